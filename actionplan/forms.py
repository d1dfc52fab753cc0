"""Forms for the action plan pages."""

import django_filters
from django import forms

from rapidreview.accounts.models import Agency, User
from rapidreview.forms import DateInputField, GovUKFormMixin

from .importer import FIELDS, IGNORE
from .models import Action, ActionSource, ActionStatus
from .selectors import led_case_by_reference, overdue_q, owning_agencies, possible_owners


class CaseReferenceField(forms.CharField):
    """A case chosen by its reference among those the partnership leads. The working group manages actions without
    seeing case records."""

    partnership = None

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        case = led_case_by_reference(value, partnership=self.partnership)
        if case is None:
            raise forms.ValidationError("There is no case with that reference. Check it and try again.")
        return case


class ActionForm(GovUKFormMixin, forms.Form):
    submit_label = "Save action"

    case = CaseReferenceField(label="Case reference", help_text="For example RR-2025-001.", max_length=20)
    source = forms.ChoiceField(label="Where the action comes from", choices=ActionSource.choices,
                               widget=forms.RadioSelect, error_messages={"required": "Choose where the action "
                                                                                     "comes from."})
    learning = forms.CharField(label="The learning it addresses", widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": "Enter the learning the action addresses."})
    description = forms.CharField(label="The action", widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": "Enter the action."})
    agency = forms.ModelChoiceField(label="Owning agency", queryset=Agency.objects.none(),
                                    error_messages={"required": "Choose the agency that owns the action."})
    owner = forms.ModelChoiceField(label="Owner (optional)", required=False, queryset=User.objects.none(),
                                   help_text="The person responsible in the owning agency.")
    due_on = DateInputField(label="Due date", help_text="For example, 31 3 2026.", require_all_fields=False)

    def __init__(self, *args, partnership, action: Action | None = None, **kwargs):
        """``partnership``: the plan's (the action's, or the acting one for a new action): its cases, agencies and
        people are the choices."""
        if action is not None and "initial" not in kwargs:
            kwargs["initial"] = {"source": action.source, "learning": action.learning,
                                 "description": action.description, "agency": action.agency_id,
                                 "owner": action.owner_id, "due_on": action.due_on}
        super().__init__(*args, **kwargs)
        self.fields["case"].partnership = partnership
        self.fields["agency"].queryset = owning_agencies(partnership=partnership, keep=action and action.agency_id)
        self.fields["owner"].queryset = possible_owners(partnership=partnership, keep=action and action.owner_id)
        self.fields["owner"].label_from_instance = lambda u: f"{u.full_name} ({u.agency})" if u.agency else u.full_name
        if action is not None:
            # The review an action belongs to never changes; an action of a review held before Rapid Review has no
            # case to choose.
            del self.fields["case"]

    def clean_due_on(self):
        value = self.cleaned_data.get("due_on")
        if value is None:
            raise forms.ValidationError("Enter the due date.")
        return value


class ProgressForm(GovUKFormMixin, forms.Form):
    submit_label = "Save update"

    status = forms.ChoiceField(label="Status", widget=forms.RadioSelect, required=False)
    note = forms.CharField(label="Progress update", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="What has been done since the last update. Do not include children's names.")

    def __init__(self, *args, statuses: list[str], current: str, **kwargs):
        kwargs.setdefault("initial", {"status": current})
        super().__init__(*args, **kwargs)
        choices = [(s, ActionStatus(s).label) for s in statuses]
        if current not in statuses:
            choices = [(current, f"{ActionStatus(current).label} (no change)"), *choices]
        self.fields["status"].choices = choices


class SendBackForm(GovUKFormMixin, forms.Form):
    submit_label = "Send back"

    note = forms.CharField(label="Why is the action not yet complete?", widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "Say why the action is not yet complete."})


class EvidenceForm(GovUKFormMixin, forms.Form):
    submit_label = "Add evidence"

    text = forms.CharField(label="Evidence", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="Describe what shows the action was done.")
    file = forms.FileField(label="Upload a file (optional)", required=False,
                           help_text="PDF, Word (.docx), Excel (.xlsx), PNG or JPEG, smaller than 10 MB.",
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}))

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            raise forms.ValidationError("Enter the evidence or choose a file.")
        return data


class ImportForm(GovUKFormMixin, forms.Form):
    submit_label = "Upload and check"

    file = forms.FileField(label="Action plan spreadsheet (.xlsx)",
                           error_messages={"required": "Choose the spreadsheet to import."},
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class MeetingForm(GovUKFormMixin, forms.Form):
    submit_label = "Record meeting"

    held_on = DateInputField(label="Date of the meeting", require_all_fields=False)
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def clean_held_on(self):
        value = self.cleaned_data.get("held_on")
        if value is None:
            raise forms.ValidationError("Enter the date of the meeting.")
        return value


class FilterForm(GovUKFormMixin, forms.Form):
    submit_label = "Apply filters"


OVERDUE_CHOICES = [("", "Any"), ("yes", "Overdue only"), ("no", "Not overdue")]


class ActionFilter(django_filters.FilterSet):
    """The plan's filters; ``agencies`` are the agency choices (the acting partnership's, or the lead's own)."""

    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.none(), empty_label="All agencies")
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, empty_label="Any status")
    source = django_filters.ChoiceFilter(choices=ActionSource.choices, empty_label="Any source")
    case = django_filters.CharFilter(field_name="case__reference", lookup_expr="iexact", label="Case reference")
    overdue = django_filters.ChoiceFilter(choices=OVERDUE_CHOICES[1:], empty_label="Any", method="filter_overdue",
                                          label="Overdue")

    class Meta:
        model = Action
        fields = ["agency", "status", "source", "case", "overdue"]
        form = FilterForm

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agency"].queryset = agencies

    def filter_overdue(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(overdue_q())
        if value == "no":
            return queryset.exclude(overdue_q())
        return queryset


def column_mapping_form(headings: list[str], samples: list[str]) -> type[forms.Form]:
    """A form with one question per spreadsheet column: which import field it holds (or none)."""
    choices = [(IGNORE, "Do not import this column")] + [(key, label) for key, label, _ in FIELDS]
    fields = {}
    for index, heading in enumerate(headings):
        if not heading:
            continue
        sample = samples[index] if index < len(samples) else ""
        fields[f"column_{index}"] = forms.ChoiceField(
            label=f"Column “{heading}”", choices=choices,
            help_text=f"First row: {sample[:80]}" if sample else "The first row is empty in this column.")
    return type("ColumnMappingForm", (GovUKFormMixin, forms.Form), {"submit_label": "Check the rows", **fields})
