"""Forms of the decision sheet: drafting, signing, withdrawing and disputes."""

from crispy_forms_gds.layout import Field, Fieldset, Layout
from django import forms

from rapidreview.forms import GovUKFormMixin

from ..models import SECTION_FIELDS, DecisionSheetVersion, SignatureOutcome
from ..models.criteria import REG3_FIELDS, REGULATION_3
from ..models.sheets import CHOICE_FIELDS, CSPR_FIELDS, REGULATION_11
from .common import date_field


def _radios(self, *names):
    for name in names:
        choices = [c for c in self.fields[name].choices if c[0]]
        self.fields[name].widget = forms.RadioSelect()
        self.fields[name].choices = choices  # also sets the widget's choices; no "---------" radio


class SheetForm(GovUKFormMixin, forms.ModelForm):
    """The parts of the decision sheet that only the panel can say. Dates, the child, the household, agencies,
    attendance, the vote and signatures come from the case and are not asked again."""

    submit_label = "Save draft"

    class Meta:
        model = DecisionSheetVersion
        fields = SECTION_FIELDS
        widgets = {f: forms.Textarea(attrs={"rows": 5}) for f in SECTION_FIELDS
                   if f not in CHOICE_FIELDS and f not in ("cspr_reviewer", "cspr_timescale")}

    def build_layout(self):
        _radios(self, *CHOICE_FIELDS)
        for name in SECTION_FIELDS:
            self.fields[name].required = False
        for letter, criterion in REGULATION_11.items():
            self.fields[f"reg11_{letter}"].label = f"({letter}) Does the case {criterion}?"
            self.fields[f"reg11_{letter}_reason"].label = "Reasons"
        for letter, criterion in REGULATION_3.items():
            self.fields[f"reg3_{letter}"].label = f"({letter}) Does the case {criterion}?"
            self.fields[f"reg3_{letter}_reason"].label = "Reasons"
        inline = {"child_in_need", "criteria_met", "national_issues", *(f"reg11_{k}" for k in REGULATION_11),
                  *(f"reg3_{k}" for k in REGULATION_3)}

        def field(name):
            if name in inline:
                return Field.radios(name, inline=True)
            if name in CHOICE_FIELDS:
                return Field.radios(name)
            return Field.textarea(name) if isinstance(self.fields[name].widget, forms.Textarea) else Field(name)

        def group(legend, *names):
            return Fieldset(*(field(n) for n in names), legend=legend, legend_size="m")

        self.helper.layout = Layout(
            group("The case", "case_summary", "child_in_need", "significant_adults"),
            group("Practice and analysis", "agency_involvement", "analysis"),
            group("Immediate actions", "immediate_actions", "siblings_safety"),
            group("Learning", "learning"),
            group("Local review criteria (regulation 11)",
                  *(n for k in REGULATION_11 for n in (f"reg11_{k}", f"reg11_{k}_reason")),
                  "criteria_met", "criteria_reasons"),
            group("National review criteria (regulation 3)", *REG3_FIELDS, "national_issues",
                  "national_issues_detail"),
            group("Decision", "recommendation", "rationale"),
            group("If a practice review is recommended", *CSPR_FIELDS),
            group("Parallel processes and the family", "parallel_processes", "family_involvement"))


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
