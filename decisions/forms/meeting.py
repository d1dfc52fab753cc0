"""Forms of the meeting record and the vote."""

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from rapidreview.accounts.models import Agency
from rapidreview.forms import GovUKFormMixin
from themes.models import Theme

from ..models import VoteChoice, YesNo
from ..models.criteria import REG3_FIELDS, REG11_FIELDS, REGULATION_3, REGULATION_11
from .common import date_field


class MeetingRecordForm(GovUKFormMixin, forms.Form):
    submit_label = "Save meeting record"
    meeting_date = date_field("Date of the meeting", required=False)
    chair_overview = forms.CharField(label="Chair's overview of the case", required=False,
                                     widget=forms.Textarea(attrs={"rows": 6}))
    themes = forms.ModelMultipleChoiceField(queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
                                            label="Key themes", help_text="Select all that the panel identified.")
    areas_for_learning = forms.CharField(label="Areas for learning", required=False,
                                         widget=forms.Textarea(attrs={"rows": 5}))
    cspr_criteria_met = forms.ChoiceField(label="Are the criteria for a Child Safeguarding Practice Review met?",
                                          choices=YesNo.choices, required=False, widget=forms.RadioSelect)
    cspr_criteria_reasons = forms.CharField(label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    national_issues = forms.ChoiceField(label="Do the national review criteria apply?", choices=YesNo.choices,
                                        required=False, widget=forms.RadioSelect)
    national_issues_detail = forms.CharField(label="Why the national review criteria do or do not apply",
                                             required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, agencies=(), themes=None, **kwargs):
        """``themes``: the themes list of the partnership leading the case (``decisions.selectors.meeting_themes``)."""
        self.agencies = list(agencies)
        self.themes = themes if themes is not None else Theme.objects.none()
        super().__init__(*args, **kwargs)

    def build_layout(self):
        self.fields["themes"].queryset = self.themes
        for prefix, regulation in (("reg11", REGULATION_11), ("reg3", REGULATION_3)):
            for letter, criterion in regulation.items():
                self.fields[f"{prefix}_{letter}"] = forms.ChoiceField(
                    label=f"({letter}) Does the case {criterion}?", choices=YesNo.choices, required=False,
                    widget=forms.RadioSelect)
                self.fields[f"{prefix}_{letter}_reason"] = forms.CharField(
                    label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 2}))

        def criteria(fields):
            return [Field.radios(n, inline=True) if not n.endswith("_reason") else Field.textarea(n) for n in fields]

        for agency in self.agencies:
            self.fields[f"presentation_{agency.pk}"] = forms.CharField(
                label=f"{agency.name}", required=False, widget=forms.Textarea(attrs={"rows": 4}))
        presentations = [Field.textarea(f"presentation_{a.pk}") for a in self.agencies]
        self.helper.layout = Layout(
            Field("meeting_date"),
            Field.textarea("chair_overview"),
            Fieldset(*presentations, legend="Notes on each agency's presentation", legend_size=Size.MEDIUM)
            if presentations else Layout(),
            Field.checkboxes("themes"),
            Field.textarea("areas_for_learning"),
            Fieldset(*criteria(REG11_FIELDS), legend="Local review criteria (regulation 11 of SI 2018/789)",
                     legend_size=Size.MEDIUM),
            Field.radios("cspr_criteria_met", inline=True),
            Field.textarea("cspr_criteria_reasons"),
            Fieldset(*criteria(REG3_FIELDS), legend="National review criteria (regulation 3 of SI 2018/789)",
                     legend_size=Size.MEDIUM),
            Field.radios("national_issues", inline=True),
            Field.textarea("national_issues_detail"),
        )

    def clean(self):
        data = super().clean()
        if data.get("cspr_criteria_met") and not (data.get("cspr_criteria_reasons") or "").strip():
            self.add_error("cspr_criteria_reasons", "Give the reasons the criteria are or are not met")
        if data.get("national_issues") == YesNo.YES and not (data.get("national_issues_detail") or "").strip():
            self.add_error("national_issues_detail", "Describe the national issues")
        return data

    def criteria(self) -> dict:
        """The answer and reasons on each criterion of regulations 11 and 3."""
        return {f: self.cleaned_data.get(f, "") for f in REG11_FIELDS + REG3_FIELDS}

    def presentations(self) -> dict:
        return {a.pk: self.cleaned_data.get(f"presentation_{a.pk}", "") for a in self.agencies}


class ImmediateActionForm(GovUKFormMixin, forms.Form):
    submit_label = "Add to the action plan"
    description = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": "Enter the action"})
    learning = forms.CharField(label="Learning it addresses", widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": "Enter the learning the action addresses"})
    agency = forms.ModelChoiceField(queryset=Agency.objects.filter(is_active=True), label="Agency that owns it",
                                    error_messages={"required": "Choose the agency that owns the action"})
    due_on = date_field("Due date")


class VoteForm(GovUKFormMixin, forms.Form):
    """A vote: the person's own, or (with ``members``) one the business unit records for a seat.

    ``labels`` names each member as the record will ("Sam Sub for Mo Member").
    """

    submit_label = "Record vote"
    choice = forms.ChoiceField(label="Do you recommend a Child Safeguarding Practice Review?",
                               choices=VoteChoice.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Choose yes, no or abstain"})

    def __init__(self, *args, members=None, labels=None, **kwargs):
        self.members = members
        self.labels = labels or {}
        super().__init__(*args, **kwargs)

    def build_layout(self):
        if self.members is None:
            self.helper.layout = Layout(Field.radios("choice"))
            return
        self.fields["member"] = forms.ModelChoiceField(
            queryset=self.members, label="Member", empty_label="Choose the member",
            error_messages={"required": "Choose the member", "invalid_choice": "Choose a member from the list"})
        self.fields["member"].label_from_instance = lambda user: self.labels.get(user.pk, user.full_name)
        self.fields["choice"].label = "Does the member recommend a Child Safeguarding Practice Review?"
        self.order_fields(["member", "choice"])
        # Laid out here, after the member field exists, so the page shows it.
        self.helper.layout = Layout(Field("member"), Field.radios("choice"))
