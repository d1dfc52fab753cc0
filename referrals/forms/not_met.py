"""When the threshold was not met: the letter to the referrer, assurance requests, and closing the case."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from rapidreview.accounts.models import Agency
from rapidreview.accounts.selectors import partnership_agencies
from rapidreview.forms import GovUKFormMixin
from themes.models import Theme

from ..models import LetterSentBy
from .common import DateField, area, radios, text


class LetterForm(GovUKFormMixin, forms.Form):
    next_steps = area("Next steps for the referrer", required=True, rows=10,
                      help_text="This text appears in the letter under the decision.",
                      error_messages={"required": "Enter the next steps for the referrer"})


class LetterManualSendForm(GovUKFormMixin, forms.Form):
    submit_label = "Record that it was sent"

    sent_by = radios([c for c in LetterSentBy.choices if c[0] != LetterSentBy.EMAIL], "How was it sent?",
                     required=True, error_messages={"required": "Select how the letter was sent"})
    sent_to = text("Where it was sent", max_length=300, required=True,
                   help_text="The e-mail or postal address", error_messages={"required": "Enter where it was sent"})
    sent_on = DateField(label="Date sent")


class AssuranceRequestForm(GovUKFormMixin, forms.Form):
    submit_label = "Send the request"

    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(),
                                    error_messages={"required": "Select the agency"})
    request = area("What assurance is needed?", required=True, rows=6,
                   error_messages={"required": "Enter what assurance is needed"})
    due_on = DateField(label="Answer due by", not_future=False)

    def __init__(self, *args, partnership, **kwargs):
        """The agencies in ``partnership``'s arrangements (the case's leading partnership)."""
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = partnership_agencies(partnership)

    def clean_due_on(self):
        due = self.cleaned_data.get("due_on")
        if due and due <= timezone.localdate():
            raise ValidationError("Answer due by must be in the future")
        return due


class AssuranceAnswerForm(GovUKFormMixin, forms.Form):
    submit_label = "Record the response"

    response = area("The agency's response", required=True, rows=6,
                    error_messages={"required": "Enter the agency's response"})
    responded_on = DateField(label="Date of the response")


class AssuranceReplyForm(GovUKFormMixin, forms.Form):
    """The agency's safeguarding lead answers in the app; the answer is dated the day it is sent."""

    submit_label = "Send your answer"

    response = area("Your agency's answer", required=True, rows=8,
                    help_text="Say what your agency has checked or done, and what assurance it can give.",
                    error_messages={"required": "Enter your agency's answer"})


class CloseForm(GovUKFormMixin, forms.Form):
    submit_label = "Close the case"

    themes = forms.ModelMultipleChoiceField(label="Themes for the SIN-stage themes log",
                                            queryset=Theme.objects.none(),
                                            widget=forms.CheckboxSelectMultiple, required=False,
                                            help_text="Select all that apply")
    note = area("Note (optional)", rows=3)

    def __init__(self, *args, partnership, **kwargs):
        """The themes on ``partnership``'s own list (the case's leading partnership)."""
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(is_active=True, partnership=partnership)
