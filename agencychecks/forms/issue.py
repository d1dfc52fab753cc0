"""Issuing the forms for a case, with a due date before the panel meets."""

from crispy_forms_gds.layout import Layout
from django import forms

from rapidreview.forms import GovUKFormMixin

from .common import date_field


class IssueForm(GovUKFormMixin, forms.Form):
    submit_label = "Issue forms"

    due_on = date_field("Due date", required=True)
    confirm_late = forms.BooleanField(
        required=False, label="I understand the forms will be due less than one working day before the panel")

    def __init__(self, *args, earliest, latest, latest_before_panel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.earliest, self.latest, self.latest_before_panel = earliest, latest, latest_before_panel
        self.fields["due_on"].help_text = (
            f"Between {earliest.day} {earliest:%B %Y} and {latest.day} {latest:%B %Y}. "
            f"For example, {latest.day} {latest.month} {latest.year}")
        if latest_before_panel is None or latest <= latest_before_panel:
            del self.fields["confirm_late"]
            # The layout was built with every field; without this the page logs KeyError 'confirm_late'.
            self.helper.layout = Layout(*self.fields)

    def clean(self):
        data = super().clean()
        due = data.get("due_on")
        if due and not self.earliest <= due <= self.latest:
            self.add_error("due_on", f"Due date must be between {self.earliest.day} {self.earliest:%B %Y} and "
                                     f"{self.latest.day} {self.latest:%B %Y}")
        elif due and due.weekday() > 4:
            self.add_error("due_on", "Due date must be a working day")
        elif (due and self.latest_before_panel and due > self.latest_before_panel
              and "confirm_late" in self.fields and not data.get("confirm_late")):
            self.add_error("confirm_late", "Choose an earlier due date, or confirm the forms will arrive late for "
                                           "the panel")
        return data
