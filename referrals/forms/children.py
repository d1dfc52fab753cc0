"""A further child in the same incident, and removing one recorded in error."""

from crispy_forms_gds.layout import Field, Fieldset, Layout
from django import forms

from rapidreview.forms import GovUKFormMixin

from ..models import ChildOutcome, Sex, YesNoUnknown
from .common import DateField, area, radios, text


class IncidentChildForm(GovUKFormMixin, forms.Form):
    submit_label = "Save the child's details"

    first_name = text("First name", max_length=100, help_text="Leave blank if the child is not yet named")
    last_name = text("Last name", max_length=100)
    dob = DateField(label="Date of birth", required=False)
    age = text("Age, if the date of birth is not known", max_length=40)
    sex = radios(Sex.choices, "Sex")
    ethnicity = text("Ethnicity", max_length=100)
    disability = text("Disability, if any", max_length=300)
    relationship = text("Relationship to the first child", max_length=100, help_text="For example, sibling")
    outcome = radios(ChildOutcome.choices, "What happened to this child?", required=True,
                     error_messages={"required": "Select what happened to this child"})
    looked_after = radios(YesNoUnknown.choices, "Was the child looked after by a local authority?")
    child_protection_plan = radios(YesNoUnknown.choices, "Was the child on a child protection plan?")

    def build_layout(self):
        self.helper.layout = Layout(
            Fieldset("first_name", "last_name", legend="Name", legend_size="m"),
            Fieldset("dob", "age", Field.radios("sex", inline=True), "ethnicity", "disability", "relationship",
                     legend="About the child", legend_size="m"),
            Field.radios("outcome"),
            Fieldset(Field.radios("looked_after", inline=True), Field.radios("child_protection_plan", inline=True),
                     legend="Care and protection", legend_size="m"),
        )


class RemoveChildForm(GovUKFormMixin, forms.Form):
    submit_label = "Remove the child from the incident"

    reason = area("Why is this child being removed?", required=True, rows=3,
                  help_text="For example, recorded in error. The details stay in the case's history.",
                  error_messages={"required": "Say why the child is being removed"})
