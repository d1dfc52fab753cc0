"""Forms for themes, the logs, the report, learning and the statistics."""

from django import forms
from django.utils import timezone

from rapidreview.accounts.models import User
from rapidreview.accounts.selectors import active_people
from rapidreview.forms import DateInputField, GovUKFormMixin

from .models import LEARNING_ROUTES, LearningKind, Theme


class ThemeForm(GovUKFormMixin, forms.Form):
    submit_label = "Save theme"

    name = forms.CharField(max_length=120, error_messages={"required": "Enter the theme's name."})
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="Optional. What the theme covers, to help people choose consistently.")
    is_active = forms.BooleanField(label="Offer this theme when recording themes", required=False, initial=True)


class CaseThemesForm(GovUKFormMixin, forms.Form):
    submit_label = "Save themes"

    themes = forms.ModelMultipleChoiceField(queryset=Theme.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple, label="Themes in this case")
    source = forms.CharField(label="Where were they identified? (optional)", required=False, max_length=200,
                             help_text="For example: the threshold discussion on 3 March.")

    def __init__(self, *args, themes, **kwargs):
        """``themes``: the choices, from ``selectors.themes_to_record`` (the leading partnership's list)."""
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes


def year_choices():
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this, this - 8, -1)]


class LogFilterForm(GovUKFormMixin, forms.Form):
    """The form of ``filters.LogFilter``, which supplies its fields."""

    submit_label = "Apply filters"


class ReportFilterForm(GovUKFormMixin, forms.Form):
    log = forms.ChoiceField(choices=[("", "Both logs"), ("rapid_review", "Rapid reviews and practice reviews"),
                                     ("sin", "Serious Incident Notification stage")], required=False, label="Log")
    by = forms.ChoiceField(choices=[("year", "Year"), ("quarter", "Quarter")], required=False, label="Count by")
    start_year = forms.TypedChoiceField(choices=[("", "Any")] + year_choices(), coerce=int, required=False,
                                        empty_value=None, label="From year")
    end_year = forms.TypedChoiceField(choices=[("", "Any")] + year_choices(), coerce=int, required=False,
                                      empty_value=None, label="To year")


class LearningForm(GovUKFormMixin, forms.Form):
    submit_label = "Save"

    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title."})
    date = DateInputField(label="Date", require_all_fields=False)
    audience = forms.CharField(required=False, max_length=300, help_text="Who it is for.")
    attendance = forms.IntegerField(required=False, min_value=0, label="Attendance (optional)",
                                    help_text="How many people attended.")
    materials_url = forms.URLField(required=False, assume_scheme="https", label="Link to materials (optional)",
                                   error_messages={"invalid": "Enter a web address starting with https://"})
    follow_up = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Follow-up")
    follow_up_on = DateInputField(label="Follow-up due (optional)", required=False, require_all_fields=False,
                                  help_text="A reminder is sent to the business unit as this date approaches.")

    publication_override = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        label="If the check stops a word that identifies nobody: why it may be published (optional)",
        help_text="The title, text and link are checked against every child's and household member's names, "
                  "other names, dates of birth and addresses. Your reason is kept in the history.")

    def __init__(self, *args, kind: str, partnership=None, **kwargs):
        """``partnership``: the business unit's, whose people may own a learning route."""
        super().__init__(*args, **kwargs)
        if kind in LEARNING_ROUTES:
            self.fields["owner"] = forms.ModelChoiceField(
                label="Owner", queryset=active_people(partnership) if partnership else User.objects.none(),
                help_text="Who leads it and reports back to the partnership.",
                error_messages={"required": "Choose who owns this learning route."})
            self.fields["outputs"] = forms.CharField(
                required=False, widget=forms.Textarea(attrs={"rows": 5}), label="What it produced (optional)",
                help_text="Findings, the briefing, recommendations. Checked like anything published: never name a "
                          "child or family member. Actions go on the action plan.")
            self.fields["date"].label = "Date it is held or due to report"
            self.order_fields(["title", "owner", "date", "audience", "attendance", "outputs"])
        if kind == LearningKind.BULLETIN:
            self.fields["body"] = forms.CharField(
                label="Bulletin text", widget=forms.Textarea(attrs={"rows": 14}),
                error_messages={"required": "Write the bulletin."},
                help_text="Key learning from reviews. Never include a child's or family member's name.")
            self.fields["date"].label = "Issue date"
            del self.fields["attendance"]
            self.order_fields(["title", "date", "body"])
        self.fields["publication_override"] = self.fields.pop("publication_override")

    def clean_date(self):
        value = self.cleaned_data.get("date")
        if value is None:
            raise forms.ValidationError("Enter the date.")
        return value


class YearForm(forms.Form):
    year = forms.TypedChoiceField(choices=year_choices(), coerce=int, required=False, empty_value=None)


class LearningRouteForm(LearningForm):
    """Start a learning route from a case: which kind, then the learning item's fields."""

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, kind=LearningKind.LOCAL_REVIEW, partnership=partnership, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label="Which learning route?", widget=forms.RadioSelect,
            choices=[(k.value, k.label) for k in LEARNING_ROUTES],
            error_messages={"required": "Choose which learning route."})
        self.order_fields(["kind", *[name for name in self.fields if name != "kind"]])
