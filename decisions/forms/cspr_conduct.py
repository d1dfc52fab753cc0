"""Forms of the partners' oversight of a practice review (regulation 14) and of the family's involvement."""

from django import forms

from rapidreview.forms import GovUKFormMixin

from ..models import Consent, CsprCheckpoint, CsprInformationRequest, FamilyContact
from .common import date_field


class CheckpointForm(GovUKFormMixin, forms.ModelForm):
    """One check of the review's time and quality (regulation 14(1))."""

    submit_label = "Record the check"
    checked_on = date_field("Date of the check")
    on_time = forms.TypedChoiceField(label="Is the review on time?", choices=[("yes", "Yes"), ("no", "No")],
                                     coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                     error_messages={"required": "Say whether the review is on time"})
    quality_adequate = forms.TypedChoiceField(
        label="Is the quality of the review adequate?", choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        error_messages={"required": "Say whether the quality is adequate"})

    class Meta:
        model = CsprCheckpoint
        fields = ["checked_on", "on_time", "quality_adequate", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"notes": "Needed when the review is late or its quality falls short: say what the partners "
                               "will do."}


class InformationRequestForm(GovUKFormMixin, forms.ModelForm):
    """A written request to the reviewer (regulation 14(2) and (3)): sent as an e-mail."""

    submit_label = "Send the written request"
    due_on = date_field("Reply needed by")

    class Meta:
        model = CsprInformationRequest
        fields = ["kind", "detail", "addressed_to", "addressed_to_email", "due_on"]
        widgets = {"kind": forms.RadioSelect, "detail": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"detail": "This is sent to the reviewer by e-mail: use the case reference, never the child's "
                                "name."}


class RequestAnsweredForm(GovUKFormMixin, forms.Form):
    submit_label = "Record the reply"
    received_on = date_field("Date the reply was received")
    notes = forms.CharField(label="What the reviewer sent", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class FamilyContactForm(GovUKFormMixin, forms.ModelForm):
    submit_label = "Save family contact"
    contacted_on = date_field("Date of contact")

    class Meta:
        model = FamilyContact
        fields = ["relationship", "contacted_on", "consent", "advocate_offered", "notes"]
        widgets = {"consent": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"consent": "Consent to take part"}

    def build_layout(self):
        self.fields["consent"].choices = Consent.choices


class FamilyDraftForm(GovUKFormMixin, forms.Form):
    submit_label = "Save"
    shared_on = date_field("Date the draft report was shared with the family")
    response = forms.CharField(label="The family's response", required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
