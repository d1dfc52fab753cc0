"""Issuing the forms for a case to the agencies chosen, with a due date before the panel meets."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils.html import format_html

from rapidreview.forms import GovUKFormMixin

from .common import date_field


class IssueForm(GovUKFormMixin, forms.Form):
    submit_label = "Issue forms"

    agencies = forms.MultipleChoiceField(label="Agencies to send a form to", widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": "Choose the agencies to send a form to"})
    due_on = date_field("Due date", required=True)
    confirm_late = forms.BooleanField(
        required=False, label="I understand the forms will be due less than one working day before the panel")

    def __init__(self, *args, earliest, latest, choices, latest_before_panel=None, **kwargs):
        """``choices``: the ``IssuableAgency`` rows of the agencies without a form on the case."""
        super().__init__(*args, **kwargs)
        self.earliest, self.latest, self.latest_before_panel = earliest, latest, latest_before_panel
        self.rows = {str(row.agency.pk): row for row in choices}
        self.fields["agencies"].choices = [(key, _label(row)) for key, row in self.rows.items()]
        self.fields["agencies"].help_text = ("Agencies of the partnerships leading or taking part in the case. Ticked: "
                                             "the agencies invited to the panel or listed as involved.")
        self.fields["due_on"].help_text = (
            f"Between {earliest.day} {earliest:%B %Y} and {latest.day} {latest:%B %Y}. "
            f"For example, {latest.day} {latest.month} {latest.year}")
        if latest_before_panel is None or latest <= latest_before_panel:
            del self.fields["confirm_late"]
        # Rebuilt from the final fields: the layout made with every field would log KeyError 'confirm_late'.
        self.helper.layout = Layout(*[Field.checkboxes(name, legend_size=Size.SMALL) if name == "agencies"
                                      else name for name in self.fields])

    def clean_agencies(self):
        return [self.rows[key].agency for key in self.cleaned_data["agencies"]]

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


def _label(row) -> str:
    """"Metropolitan Police (Tower Hamlets SCP, City & Hackney SCP)", and a warning when it has no lead there."""
    served = ", ".join(p.short_name or p.name for p in row.partnerships)
    if row.has_lead:
        return format_html("{} ({})", row.agency.name, served)
    return format_html('{} ({}) <strong class="govuk-tag govuk-tag--red">No safeguarding lead</strong>',
                       row.agency.name, served)
