"""Forms of the decision sheet: drafting, signing, withdrawing and disputes."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from rapidreview.forms import GovUKFormMixin

from ..models import SECTION_FIELDS, DecisionSheetVersion, SignatureOutcome
from .common import date_field


def _radios(self, *names):
    for name in names:
        choices = [c for c in self.fields[name].choices if c[0]]
        self.fields[name].widget = forms.RadioSelect()
        self.fields[name].choices = choices  # also sets the widget's choices; no "---------" radio


class SheetForm(GovUKFormMixin, forms.ModelForm):
    submit_label = "Save draft"

    class Meta:
        model = DecisionSheetVersion
        fields = SECTION_FIELDS
        widgets = {f: forms.Textarea(attrs={"rows": 6}) for f in SECTION_FIELDS
                   if f not in ("criteria_met", "national_issues", "recommendation")}

    def build_layout(self):
        _radios(self, "criteria_met", "national_issues", "recommendation")
        for name in SECTION_FIELDS:
            self.fields[name].required = False
        self.helper.layout = Layout(
            Field.textarea("case_summary"), Field.textarea("agency_involvement"), Field.textarea("analysis"),
            Field.textarea("immediate_actions"), Field.textarea("learning"),
            Field.radios("criteria_met", inline=True), Field.textarea("criteria_reasons"),
            Field.radios("national_issues", inline=True), Field.textarea("national_issues_detail"),
            Field.radios("recommendation"), Field.textarea("rationale"))


class SignForm(GovUKFormMixin, forms.Form):
    submit_label = "Submit"
    outcome = forms.ChoiceField(label="Do you agree with the decision?", choices=SignatureOutcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": "Choose whether you agree and sign, or dispute"})
    reasons = forms.CharField(label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="Required if you dispute the decision.")

    def __init__(self, *args, partners=(), **kwargs):
        self.partners = partners
        super().__init__(*args, **kwargs)

    def build_layout(self):
        if len(self.partners) > 1:
            self.fields["partner"] = forms.ChoiceField(label="Signing for", choices=self.partners,
                                                       widget=forms.RadioSelect)
            self.order_fields(["partner", "outcome", "reasons"])

    def clean(self):
        data = super().clean()
        if data.get("outcome") == SignatureOutcome.DISPUTE and not (data.get("reasons") or "").strip():
            self.add_error("reasons", "Give your reasons for disputing the decision")
        return data


class WithdrawForm(GovUKFormMixin, forms.Form):
    submit_label = "Withdraw from signature"
    reason = forms.CharField(label="Why is the sheet being withdrawn?", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter why the sheet is being withdrawn"})


class DisputeMeetingForm(GovUKFormMixin, forms.Form):
    submit_label = "Save meeting"
    meeting_on = date_field("Date of the meeting")
    notes = forms.CharField(label="What the meeting decided", widget=forms.Textarea(attrs={"rows": 5}),
                            error_messages={"required": "Enter what the meeting decided"})


class EscalateForm(GovUKFormMixin, forms.Form):
    submit_label = "Escalate to the Executive chair"
    reason = forms.CharField(label="Why is this being escalated?", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Enter why this is being escalated"})


class ResolveForm(GovUKFormMixin, forms.Form):
    submit_label = "Record resolution"
    resolution = forms.CharField(label="Resolution", widget=forms.Textarea(attrs={"rows": 5}),
                                 error_messages={"required": "Enter the resolution"})
