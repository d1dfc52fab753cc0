"""Forms of the National Panel, the practice review and the no-review outcome."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from rapidreview.accounts.models import Agency, Role, User
from rapidreview.accounts.selectors import users_with_role
from rapidreview.forms import GovUKFormMixin

from ..models import (
    REGULATION_3,
    AlternativeKind,
    CriterionView,
    CsprMilestone,
    CsprParticipation,
    Methodology,
    NationalPanelResponse,
    ParallelProcess,
)
from .common import date_field


def _executive_field():
    field = forms.ModelChoiceField(
        label="Sent for the Executive by", queryset=User.objects.none(),
        help_text="The Executive sends the signed decision to the National Panel: choose the member it was sent for.",
        error_messages={"required": "Choose the Executive member the decision was sent for"})
    field.label_from_instance = lambda u: f"{u.full_name}{f', {u.job_title}' if u.job_title else ''}"
    return field


class NationalPanelSendForm(GovUKFormMixin, forms.Form):
    submit_label = "Record date sent"
    sent_on = date_field("Date sent to the National Panel")
    sent_for = _executive_field()
    late_reason = forms.CharField(label="Reason for sending after the deadline", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="Only needed when the decision is sent after the deadline.")

    def __init__(self, *args, partnership=None, **kwargs):
        """``partnership``: the partnership leading the case, whose Executive sends the decision (without one, the
        form offers nobody)."""
        super().__init__(*args, **kwargs)
        if partnership is not None:
            self.fields["sent_for"].queryset = users_with_role(Role.EXECUTIVE, partnership=partnership).order_by(
                "full_name")


class NationalPanelCorrectForm(NationalPanelSendForm):
    submit_label = "Save the correction"
    reason = forms.CharField(label="Reason for the correction", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Kept in the history of the case.",
                             error_messages={"required": "Enter the reason for the correction"})


class NationalPanelResponseForm(GovUKFormMixin, forms.Form):
    submit_label = "Record response"
    response_on = date_field("Date of the response")
    response = forms.ChoiceField(label="The National Panel's response", choices=NationalPanelResponse.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Choose agree, disagree or advice"})
    text = forms.CharField(label="What the National Panel said", widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": "Enter what the National Panel said"})

    def __init__(self, *args, answers: dict | None = None, **kwargs):
        """``answers``: the signed sheet's answer on each national review criterion ("a" -> "Yes"), shown with it."""
        self.answers = answers or {}
        super().__init__(*args, **kwargs)

    def build_layout(self):
        # Regulation 3 (a) to (c): the National Panel's view of the partners' answer on each national criterion.
        layout = [Field("response_on"), Field.radios("response"), Field.textarea("text")]
        for letter, criterion in REGULATION_3.items():
            answered = f" The partners answered: {self.answers[letter]}." if self.answers.get(letter) else ""
            self.fields[f"reg3_{letter}_view"] = forms.ChoiceField(
                label=f"Regulation 3 ({letter}): whether the case {criterion}.{answered} Does the National Panel "
                      "agree with the partners' answer?",
                choices=CriterionView.choices, initial=CriterionView.NOT_STATED, widget=forms.RadioSelect,
                error_messages={"required": f"Choose agrees, disagrees or not stated for regulation 3 ({letter})"})
            self.fields[f"reg3_{letter}_comment"] = forms.CharField(
                label=f"The National Panel's comment on regulation 3 ({letter})", required=False,
                widget=forms.Textarea(attrs={"rows": 2}))
            layout += [Field.radios(f"reg3_{letter}_view", inline=True), Field.textarea(f"reg3_{letter}_comment")]
        self.helper.layout = Layout(*layout)

    def criteria(self) -> dict:
        return {k: (self.cleaned_data[f"reg3_{k}_view"], self.cleaned_data[f"reg3_{k}_comment"])
                for k in REGULATION_3}


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
        fields = ["kind", "planned_on", "completed_on", "attendees", "notes"]
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
    published_url = forms.URLField(label="Link to the published report", required=False, assume_scheme="https",
                                   widget=forms.TextInput(attrs={"spellcheck": "false"}))


class PublicationCorrectionForm(GovUKFormMixin, forms.Form):
    submit_label = "Correct publication details"
    pseudonym = forms.CharField(label="Pseudonym used in the report", max_length=60,
                                help_text='For example, "Child Q". Never a name, other name or date of birth of a '
                                          "child or household member.",
                                error_messages={"required": "Enter the pseudonym"})
    published_url = forms.URLField(label="Link to the published report", required=False, assume_scheme="https",
                                   widget=forms.TextInput(attrs={"spellcheck": "false"}))
    reason = forms.CharField(label="Why are you correcting it?", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Kept in the case's history.",
                             error_messages={"required": "Say why the publication details are being corrected"})

