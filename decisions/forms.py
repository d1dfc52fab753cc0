"""Forms for the panel's outcome. Dates a person types use GOV.UK day/month/year boxes."""

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from rapidreview.accounts.models import Agency
from rapidreview.forms import DateInputField, GovUKFormMixin

from .models import (
    SECTION_FIELDS,
    AlternativeKind,
    CsprMilestone,
    CsprParticipation,
    DecisionSheetVersion,
    Methodology,
    NationalPanelResponse,
    ParallelProcess,
    SignatureOutcome,
    VoteChoice,
    YesNo,
)


def date_field(label: str, required: bool = True, help_text: str = "") -> DateInputField:
    field = DateInputField(label=label, required=required, help_text=help_text or "For example, 27 3 2026")
    field.error_messages = {**field.error_messages, "required": f"Enter the {label[0].lower()}{label[1:]}",
                            "incomplete": f"Enter the {label[0].lower()}{label[1:]} as a day, month and year"}
    return field


def _radios(self, *names):
    for name in names:
        choices = [c for c in self.fields[name].choices if c[0]]
        self.fields[name].widget = forms.RadioSelect()
        self.fields[name].choices = choices  # also sets the widget's choices; no "---------" radio


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
    national_issues = forms.ChoiceField(label="Do national issues arise?", choices=YesNo.choices, required=False,
                                        widget=forms.RadioSelect)
    national_issues_detail = forms.CharField(label="National issues", required=False,
                                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, agencies=(), **kwargs):
        self.agencies = list(agencies)
        super().__init__(*args, **kwargs)

    def build_layout(self):
        from themes.models import Theme

        self.fields["themes"].queryset = Theme.objects.filter(is_active=True)
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
            Field.radios("cspr_criteria_met", inline=True),
            Field.textarea("cspr_criteria_reasons"),
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
    submit_label = "Record vote"
    choice = forms.ChoiceField(label="Do you recommend a Child Safeguarding Practice Review?",
                               choices=VoteChoice.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Choose yes, no or abstain"})

    def __init__(self, *args, members=None, **kwargs):
        self.members = members
        super().__init__(*args, **kwargs)

    def build_layout(self):
        if self.members is not None:
            self.fields["member"] = forms.ModelChoiceField(
                queryset=self.members, label="Member", error_messages={"required": "Choose the member"})
            self.fields["choice"].label = "Does the member recommend a Child Safeguarding Practice Review?"
            self.order_fields(["member", "choice"])


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


class NationalPanelSendForm(GovUKFormMixin, forms.Form):
    submit_label = "Record date sent"
    sent_on = date_field("Date sent to the National Panel")
    late_reason = forms.CharField(label="Reason for sending after the deadline", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="Only needed when the decision is sent after the deadline.")


class NationalPanelResponseForm(GovUKFormMixin, forms.Form):
    submit_label = "Record response"
    response_on = date_field("Date of the response")
    response = forms.ChoiceField(label="The National Panel's response", choices=NationalPanelResponse.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Choose agree, disagree or advice"})
    text = forms.CharField(label="What the National Panel said", widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": "Enter what the National Panel said"})


class NoCsprForm(GovUKFormMixin, forms.Form):
    submit_label = "Record outcome"
    kind = forms.ChoiceField(label="What will happen instead of a practice review?", choices=AlternativeKind.choices,
                             widget=forms.RadioSelect, error_messages={"required": "Choose what will happen instead"})
    detail = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    learning = forms.CharField(label="Learning identified", widget=forms.Textarea(attrs={"rows": 5}),
                               error_messages={"required": "Enter the learning identified"})


class ActionRowForm(forms.Form):
    description = forms.CharField(label="Action", required=False,
                                  widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"}))
    agency = forms.ModelChoiceField(queryset=Agency.objects.filter(is_active=True), required=False,
                                    label="Agency", widget=forms.Select(attrs={"class": "govuk-select"}))
    due_on = forms.DateField(label="Due date (day/month/year, for example 27/3/2026)", required=False,
                             input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                             widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}))

    def clean(self):
        data = super().clean()
        if data.get("description"):
            if not data.get("agency"):
                self.add_error("agency", "Choose the agency that owns the action")
            if not data.get("due_on"):
                self.add_error("due_on", "Enter the due date as day/month/year")
        return data


ActionFormSet = forms.formset_factory(ActionRowForm, extra=1, max_num=20)


class CsprCommissionForm(GovUKFormMixin, forms.Form):
    submit_label = "Commission the review"
    methodology = forms.ChoiceField(choices=Methodology.choices, widget=forms.RadioSelect, label="Methodology",
                                    error_messages={"required": "Choose the methodology"})
    methodology_detail = forms.CharField(label="About the methodology", required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}))
    reviewers = forms.CharField(label="Reviewer or reviewers", max_length=300,
                                error_messages={"required": "Enter the reviewer or reviewers"})
    terms_of_reference = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}),
                                         error_messages={"required": "Enter the terms of reference"})
    started_on = date_field("Start date")


class CsprUpdateForm(CsprCommissionForm):
    submit_label = "Save details"
    planned_publication_on = date_field("Planned publication date", required=False)

    def build_layout(self):
        del self.fields["started_on"]


class MilestoneForm(GovUKFormMixin, forms.ModelForm):
    submit_label = "Save milestone"
    planned_on = date_field("Planned date", required=False)
    completed_on = date_field("Date done", required=False)

    class Meta:
        model = CsprMilestone
        fields = ["kind", "planned_on", "completed_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "kind": forms.RadioSelect}


class ParticipationForm(GovUKFormMixin, forms.ModelForm):
    submit_label = "Save"

    class Meta:
        model = CsprParticipation
        fields = ["status", "notes"]
        widgets = {"status": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}


class ParallelProcessForm(GovUKFormMixin, forms.ModelForm):
    submit_label = "Save process"

    class Meta:
        model = ParallelProcess
        fields = ["kind", "description", "status", "may_delay_publication", "notes"]
        widgets = {"kind": forms.RadioSelect, "status": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"may_delay_publication": "This may delay publication"}


class DateNotesForm(GovUKFormMixin, forms.Form):
    submit_label = "Save"
    held_on = date_field("Date held")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ReportSentForm(GovUKFormMixin, forms.Form):
    submit_label = "Record date sent"
    sent_on = date_field("Date sent to the National Panel and the Secretary of State")


class PublishForm(GovUKFormMixin, forms.Form):
    submit_label = "Record publication"
    published_on = date_field("Publication date")
    pseudonym = forms.CharField(label="Pseudonym used in the report", max_length=60,
                                help_text='For example, "Child Q". Never the child\'s name.',
                                error_messages={"required": "Enter the pseudonym"})
    published_url = forms.URLField(label="Link to the published report", required=False, assume_scheme="https")
