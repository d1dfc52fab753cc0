"""Recording the three-way threshold discussion."""

from crispy_forms_gds.layout import Field, Fieldset, Layout
from django import forms

from rapidreview.accounts.models import Role, StatutoryPartner, User
from rapidreview.accounts.selectors import current_assignments
from rapidreview.forms import GovUKFormMixin

from ..models import Route, ThresholdOutcome, YesNoUnknown
from ..rules import route_outcome_problem
from .common import DateField, area, radios


def threshold_people(partner: str, *, partnership):
    """``partnership``'s threshold decision makers for ``partner`` today."""
    ids = current_assignments(Role.THRESHOLD, partnership=partnership).filter(statutory_partner=partner).values(
        "user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name")


class ThresholdForm(GovUKFormMixin, forms.Form):
    submit_label = "Record the decision"

    discussed_on = DateField(label="Date of the discussion")
    la_participant = forms.ModelChoiceField(
        label="Local authority (the decision maker)", queryset=None,
        error_messages={"required": "Select who took part for the local authority"})
    health_participant = forms.ModelChoiceField(label="Health", queryset=None, required=False,
                                                empty_label="Did not take part")
    police_participant = forms.ModelChoiceField(label="Police", queryset=None, required=False,
                                                empty_label="Did not take part")
    absence_reason = area("If health or police did not take part, why not?", rows=3)
    route = radios(Route.choices, "What is being notified?", required=True,
                   help_text="A care leaver under 18 whose death or serious harm meets the serious incident "
                             "criteria is a serious incident.",
                   error_messages={"required": "Select what is being notified"})
    abuse_or_neglect = radios(YesNoUnknown.choices, "Is abuse or neglect known or suspected?",
                              help_text="A looked-after child's death goes to a rapid review only if it is.")
    outcome = radios(ThresholdOutcome.choices, "Outcome", required=True,
                     error_messages={"required": "Select whether the threshold was met"})
    rationale = area("Rationale", required=True, rows=6,
                     error_messages={"required": "Enter the rationale for the decision"})

    def __init__(self, *args, partnership, **kwargs):
        """``partnership`` is the case's leading partnership: its threshold decision makers are the choices."""
        super().__init__(*args, **kwargs)
        self.fields["la_participant"].queryset = threshold_people(StatutoryPartner.LOCAL_AUTHORITY,
                                                                  partnership=partnership)
        self.fields["health_participant"].queryset = threshold_people(StatutoryPartner.HEALTH, partnership=partnership)
        self.fields["police_participant"].queryset = threshold_people(StatutoryPartner.POLICE, partnership=partnership)
        self.fields["outcome"].choices = [
            (ThresholdOutcome.MET, "Serious Incident Notification threshold met: notify the National Panel; a "
                                   "rapid review follows"),
            (ThresholdOutcome.NOTIFY_ONLY, "Notify the Secretary of State and Ofsted only: a looked-after child's "
                                           "death without abuse or neglect known or suspected, or a care leaver's "
                                           "death; no rapid review"),
            (ThresholdOutcome.NOT_MET, "Threshold not met")]
        self.fields["route"].initial = Route.SERIOUS_INCIDENT

    def build_layout(self):
        self.helper.layout = Layout(
            "discussed_on",
            Fieldset("la_participant", "health_participant", "police_participant", "absence_reason",
                     legend="Who took part", legend_size="m"),
            Fieldset(Field.radios("route"), Field.radios("abuse_or_neglect", inline=True), Field.radios("outcome"),
                     "rationale", legend="The decision", legend_size="m"),
        )

    def clean(self):
        data = super().clean()
        if "health_participant" in data and "police_participant" in data:
            absent = data.get("health_participant") is None or data.get("police_participant") is None
            if absent and not (data.get("absence_reason") or "").strip():
                self.add_error("absence_reason", "Explain why health or police did not take part")
        if data.get("route") and data.get("outcome"):
            problem = route_outcome_problem(data["route"], data.get("abuse_or_neglect", ""), data["outcome"])
            if problem:
                self.add_error("outcome", problem)
        return data
