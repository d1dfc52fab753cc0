"""A joint cross-border review: inviting another partnership to take part in a case, and ending its part."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from rapidreview.accounts.models import Partnership
from rapidreview.forms import GovUKFormMixin

from .common import area

# Up to this many partnerships are offered as radios; more as a drop-down list.
RADIO_LIMIT = 12


class InvitePartnershipForm(GovUKFormMixin, forms.Form):
    submit_label = "Invite the partnership"

    partnership = forms.ModelChoiceField(label="Which partnership should take part?",
                                         queryset=Partnership.objects.none(), empty_label=None,
                                         error_messages={"required": "Select the partnership to invite"})
    reason = area("Why should it take part?", required=True, rows=4,
                  help_text="For example: the child lives in its area, or its agencies worked with the family. Do "
                            "not name the child: the reason is sent by e-mail.",
                  error_messages={"required": "Say why the partnership should take part"})

    def __init__(self, *args, partnerships, **kwargs):
        """``partnerships``: those that may be invited (``referrals.selectors.partnerships_to_invite``)."""
        self.use_radios = partnerships.count() <= RADIO_LIMIT
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        if self.use_radios:
            self.fields["partnership"].widget = forms.RadioSelect()
            self.fields["partnership"].widget.choices = self.fields["partnership"].choices

    def build_layout(self):
        self.helper.layout = Layout(Field.radios("partnership") if self.use_radios else "partnership", "reason")


class EndParticipationForm(GovUKFormMixin, forms.Form):
    submit_label = "End its part in the case"

    note = area("Why is its part ending? (optional)", rows=3)


class ProposeLeadForm(InvitePartnershipForm):
    """Ask another partnership to lead the case: the one where the incident happened."""

    submit_label = "Ask it to lead"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].label = "Which partnership should lead?"
        self.fields["partnership"].error_messages["required"] = "Select the partnership that should lead"
        self.fields["reason"].label = "Why should it lead?"
        self.fields["reason"].help_text = ("For example: the incident happened in its area. Do not name the child: "
                                           "the reason is sent by e-mail.")
        self.fields["reason"].error_messages["required"] = "Say why the partnership should lead"


class AnswerLeadForm(GovUKFormMixin, forms.Form):
    submit_label = "Send the answer"

    accept = forms.TypedChoiceField(
        label="Will your partnership lead this case?", widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", "Yes, we will lead it"), ("no", "No, the partnership that asked should keep it")],
        error_messages={"required": "Select whether your partnership will lead the case"})
    note = area("Anything to add (needed if you decline)", rows=3,
                help_text="Sent by e-mail to both business units. Do not name the child.")

    def build_layout(self):
        self.helper.layout = Layout(Field.radios("accept"), "note")
