"""The section pages a lead fills in, one form per section (the chronology is a formset of contacts).

Saving a section is lenient: blank answers are fine in a draft (the check-answers page says what is missing),
but anything typed must make sense (real dates, not in the future, an end after a start, not too long).
"""

from crispy_forms_gds.layout import Layout
from django import forms
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.forms import modelformset_factory

from rapidreview.forms import GovUKFormMixin

from ..models import AgencyCheckForm, ChronologyEntry
from ..sections import SECTIONS
from .common import date_field, long_text, not_future


class SectionForm(GovUKFormMixin, forms.ModelForm):
    """Base for the section pages: long text areas with a length limit."""

    submit_label = "Save and continue"
    date_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        text_fields = {f.name for f in self.instance._meta.fields if isinstance(f, models.TextField)}
        for name, field in self.fields.items():
            if name in text_fields:
                long_text(field)

    def clean(self):
        data = super().clean()
        for name in self.date_fields:
            not_future(self, name)
        return data


YES_NO = [("yes", "Yes"), ("no", "No")]


class InvolvementForm(SectionForm):
    involved_choice = forms.ChoiceField(
        label="Has your agency been involved with the child or family?", choices=YES_NO, required=False,
        widget=forms.RadioSelect, help_text="Check every record system your agency holds.")
    involvement_from = date_field("Involvement started")
    involvement_to = date_field("Involvement ended")
    date_fields = ("involvement_from", "involvement_to")

    class Meta:
        model = AgencyCheckForm
        fields = ["no_involvement_note", "involvement_from", "involvement_to", "involvement_ongoing",
                  "involvement_summary"]
        labels = {"no_involvement_note": "If no: confirm the checks you made",
                  "involvement_ongoing": "Our involvement is ongoing"}
        help_texts = {"no_involvement_note": "Which record systems you searched, for which names, and when.",
                      "involvement_summary": "For example, health visiting from birth; a referral to the "
                                             "children's centre in 2023."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        involved = self.instance.involved
        self.fields["involved_choice"].initial = {True: "yes", False: "no"}.get(involved, "")
        self.order_fields(["involved_choice", "no_involvement_note", "involvement_from", "involvement_to",
                           "involvement_ongoing", "involvement_summary"])
        self.helper.layout = Layout(*self.fields)

    def clean(self):
        data = super().clean()
        start, end = data.get("involvement_from"), data.get("involvement_to")
        if start and end and end < start:
            self.add_error("involvement_to", "Involvement ended must be the same as or after involvement started")
        choice = data.get("involved_choice")
        data["involved"] = {"yes": True, "no": False}.get(choice)
        return data


class ChronologyEntryForm(GovUKFormMixin, forms.ModelForm):
    date = date_field("Date of contact", required=True)

    class Meta:
        model = ChronologyEntry
        fields = ["date", "contact_type", "practitioner_role", "summary"]
        help_texts = {"summary": "What happened and what was decided, in plain words. Not copied from case notes.",
                      "practitioner_role": "A role, not a name. For example, health visitor."}
        error_messages = {"contact_type": {"required": "Select the type of contact"},
                          "summary": {"required": "Enter a summary of the contact"},
                          "practitioner_role": {"required": "Enter the practitioner's role"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        long_text(self.fields["summary"], rows=4)
        self.fields["contact_type"].choices = [("", "Choose a type")] + list(self.fields["contact_type"].choices)[1:]
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        not_future(self, "date")
        return data


def chronology_formset(form, data=None, *, add_row=False):
    """The form's contacts; one blank row to start with, or when ``add_row`` asks for another."""
    queryset = form.chronology.all()
    extra = 1 if add_row or not (queryset.exists() or data is not None) else 0
    formset_class = modelformset_factory(ChronologyEntry, form=ChronologyEntryForm, extra=extra, can_delete=True,
                                         max_num=200, validate_max=True)
    return formset_class(data=data, queryset=queryset, prefix="chronology")


class AnalysisForm(SectionForm):
    class Meta:
        model = AgencyCheckForm
        fields = ["analysis", "went_well", "could_be_better", "prevention"]
        help_texts = {
            "analysis": "The moments in your agency's work that mattered most, and why practice went as it did.",
            "went_well": "Practice that helped the child, including working with other agencies.",
            "could_be_better": "Be specific about what, and why, without blaming individuals.",
            "prevention": "What would make a difference next time, in your agency or across the partnership.",
        }


def theme_choices() -> list[tuple[str, str]]:
    try:
        theme_model = apps.get_model("themes", "Theme")
    except LookupError:
        return []
    queryset = theme_model.objects.all()
    if any(f.name == "is_active" for f in theme_model._meta.fields):
        queryset = queryset.filter(is_active=True)
    return [(t.name, t.name) for t in queryset.order_by("name")]


class ThemesForm(SectionForm):
    themes = forms.MultipleChoiceField(label="Which of the partnership's themes apply?", required=False,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = AgencyCheckForm
        fields = ["themes", "themes_other", "themes_in_other_cases"]
        labels = {"themes_other": "Other themes, in your own words"}
        help_texts = {"themes_in_other_cases": "Whether your agency sees the same themes in other children's "
                                               "cases, and how often."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = theme_choices()
        # Keep themes already chosen even if the list changed since.
        chosen = [t for t in (self.instance.themes or []) if t not in dict(choices)]
        self.fields["themes"].choices = choices + [(t, t) for t in chosen]
        if not self.fields["themes"].choices:
            self.fields["themes"].widget = forms.MultipleHiddenInput()


class LearningForm(SectionForm):
    class Meta:
        model = AgencyCheckForm
        fields = ["good_practice", "improvement_areas", "immediate_actions", "agency_learning"]
        help_texts = {"immediate_actions": "What your agency has already done since the incident. Write “None” "
                                           "if nothing yet."}


class SignoffForm(SectionForm):
    manager_signed_on = date_field("Date the manager signed off")
    date_fields = ("manager_signed_on",)

    class Meta:
        model = AgencyCheckForm
        fields = ["author_name", "author_role", "manager_name", "manager_role", "manager_signed_on"]
        help_texts = {"manager_name": "The manager who has read and agreed this form."}


SECTION_FORMS = {"involvement": InvolvementForm, "analysis": AnalysisForm, "themes": ThemesForm,
                 "learning": LearningForm, "signoff": SignoffForm}
if set(SECTION_FORMS) | {"chronology"} != {s.key for s in SECTIONS}:
    raise ImproperlyConfigured("Every agency check section needs a form (or is the chronology).")
