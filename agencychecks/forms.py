"""Forms for issuing, completing and quality-assuring agency check forms, and for the glossary.

Saving a section is lenient: blank answers are fine in a draft (the check-answers page says what is missing),
but anything typed must make sense (real dates, not in the future, an end after a start, not too long).
"""

from crispy_forms_gds.layout import Layout
from django import forms
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import models
from django.forms import modelformset_factory
from django.utils import timezone

from rapidreview.forms import DateInputField, GovUKFormMixin

from .models import AgencyCheckForm, ChronologyEntry, GlossaryTerm
from .sections import SECTIONS

MAX_TEXT = 10000


class RealDateField(DateInputField):
    """Day, month and year boxes that say plainly when the date does not exist (31 February)."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError as error:
            raise forms.ValidationError(f"{self.label} must be a real date") from error


def _date_field(label: str, required: bool = False, hint: str = "") -> DateInputField:
    field = RealDateField(label=label, required=required, help_text=hint or "For example, 27 3 2024")
    field.error_messages["required"] = f"Enter {label[0].lower()}{label[1:]}"
    return field


def _not_future(form, name):
    value = form.cleaned_data.get(name)
    if value and value > timezone.localdate():
        form.add_error(name, f"{form.fields[name].label} must be today or in the past")


def _long_text(field: forms.Field, rows: int = 6):
    field.widget = forms.Textarea(attrs={"rows": rows})
    field.max_length = MAX_TEXT
    field.validators.append(MaxLengthValidator(MAX_TEXT, message=f"Keep this to {MAX_TEXT:,} characters or fewer"))


class IssueForm(GovUKFormMixin, forms.Form):
    submit_label = "Issue forms"

    due_on = _date_field("Due date", required=True)
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


class SectionForm(GovUKFormMixin, forms.ModelForm):
    """Base for the section pages: long text areas with a length limit."""

    submit_label = "Save and continue"
    date_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        text_fields = {f.name for f in self.instance._meta.fields if isinstance(f, models.TextField)}
        for name, field in self.fields.items():
            if name in text_fields:
                _long_text(field)

    def clean(self):
        data = super().clean()
        for name in self.date_fields:
            _not_future(self, name)
        return data


YES_NO = [("yes", "Yes"), ("no", "No")]


class InvolvementForm(SectionForm):
    involved_choice = forms.ChoiceField(
        label="Has your agency been involved with the child or family?", choices=YES_NO, required=False,
        widget=forms.RadioSelect, help_text="Check every record system your agency holds.")
    involvement_from = _date_field("Involvement started")
    involvement_to = _date_field("Involvement ended")
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
    date = _date_field("Date of contact", required=True)

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
        _long_text(self.fields["summary"], rows=4)
        self.fields["contact_type"].choices = [("", "Choose a type")] + list(self.fields["contact_type"].choices)[1:]
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        _not_future(self, "date")
        return data


def chronology_formset(form, data=None):
    queryset = form.chronology.all()
    extra = 0 if queryset.exists() or data is not None else 1
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
    manager_signed_on = _date_field("Date the manager signed off")
    date_fields = ("manager_signed_on",)

    class Meta:
        model = AgencyCheckForm
        fields = ["author_name", "author_role", "manager_name", "manager_role", "manager_signed_on"]
        help_texts = {"manager_name": "The manager who has read and agreed this form."}


SECTION_FORMS = {"involvement": InvolvementForm, "analysis": AnalysisForm, "themes": ThemesForm,
                 "learning": LearningForm, "signoff": SignoffForm}
if set(SECTION_FORMS) | {"chronology"} != {s.key for s in SECTIONS}:
    raise ImproperlyConfigured("Every agency check section needs a form (or is the chronology).")


class ReturnForm(GovUKFormMixin, forms.Form):
    """A comment per section; at least one."""

    submit_label = "Return the form"
    note = forms.CharField(label="A note for the agency (optional)", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT)

    def __init__(self, *args, sections=SECTIONS, **kwargs):
        super().__init__(*args, **kwargs)
        for section in sections:
            self.fields[f"comment_{section.key}"] = forms.CharField(
                label=section.title, required=False, max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"max_length": f"Keep this to {MAX_TEXT:,} characters or fewer"})
        self.order_fields([f"comment_{s.key}" for s in sections] + ["note"])
        self.helper.layout = Layout(*self.fields)

    def clean(self):
        data = super().clean()
        if not any((v or "").strip() for k, v in data.items() if k.startswith("comment_")):
            first = next(k for k in self.fields if k.startswith("comment_"))
            self.add_error(first, "Comment on at least one section to say what the agency needs to change")
        return data

    def comments(self) -> dict[str, str]:
        return {k.removeprefix("comment_"): v for k, v in self.cleaned_data.items() if k.startswith("comment_") and v}


class AcceptForm(GovUKFormMixin, forms.Form):
    submit_label = "Accept the form"
    note = forms.CharField(label="Note (optional)", required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DistributeForm(GovUKFormMixin, forms.Form):
    submit_label = "Distribute the pack"
    reason = forms.CharField(label="Why go ahead without every agency's form?", required=False,
                             widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT)

    def __init__(self, *args, needs_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_reason = needs_reason
        if not needs_reason:
            del self.fields["reason"]

    def clean(self):
        data = super().clean()
        if self.needs_reason and not (data.get("reason") or "").strip() and "reason" not in self.errors:
            self.add_error("reason", "Enter why the pack is going without every agency's form")
        return data


class GlossaryTermForm(GovUKFormMixin, forms.ModelForm):
    submit_label = "Save"

    class Meta:
        model = GlossaryTerm
        fields = ["term", "expansion", "allowed"]
        labels = {"allowed": "Allowed without expanding it"}

    def clean_term(self):
        term = self.cleaned_data["term"].strip().upper()
        if not term.replace("&", "").replace("/", "").isalnum() or sum(c.isalpha() for c in term) < 2:
            raise forms.ValidationError("Enter a term of two or more capital letters, like GP or A&E")
        if GlossaryTerm.objects.filter(term__iexact=term).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("This term is already in the glossary")
        return term

    def clean(self):
        data = super().clean()
        if not data.get("allowed") and not (data.get("expansion") or "").strip() and "expansion" not in self.errors:
            self.add_error("expansion", "Enter what the term stands for, or allow it without expanding it")
        return data
