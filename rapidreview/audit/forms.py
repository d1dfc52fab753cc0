"""Forms for the audit pages: filters on the access log, legal holds, retention rules, subject access search."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from rapidreview.forms import DateInputField, GovUKFormMixin

from .models import RetentionRule


class SafeDateField(DateInputField):
    """GOV.UK day, month and year boxes that answer an impossible date with a message, not an error page."""

    def __init__(self, *, label, required=False, **kwargs):
        super().__init__(label=label, required=required, require_all_fields=False,
                         help_text="For example, 27 3 2026", **kwargs)
        self.label_text = label
        self.error_messages["incomplete"] = f"{label} must include a day, month and year"

    def compress(self, data_list):
        if not data_list or not all(data_list):
            return None
        day, month, year = data_list
        try:
            value = datetime.date(int(year), int(month), int(day))
        except (TypeError, ValueError, OverflowError) as error:
            raise ValidationError(f"{self.label_text} must be a real date") from error
        if value.year < 1900:
            raise ValidationError(f"{self.label_text} must be a real date")
        return value


class AccessLogFilterForm(GovUKFormMixin, forms.Form):
    """The form of ``filters.AccessLogFilter``, which supplies its fields; this adds the check across two dates."""

    submit_label = "Apply filters"

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data


class LegalHoldForm(GovUKFormMixin, forms.Form):
    submit_label = "Place legal hold"

    reason = forms.CharField(
        label="Why must this case be kept?", max_length=300,
        help_text="For example: an inquest is open, or a claim has been made. Do not include the child's name.",
        widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Enter why this case must be kept"})


class RetentionRuleForm(GovUKFormMixin, forms.ModelForm):
    submit_label = "Save retention period"

    class Meta:
        model = RetentionRule
        fields = ["years_after_closure", "until_age", "basis"]
        labels = {"years_after_closure": "Years to keep after the case closes"}
        widgets = {"basis": forms.Textarea(attrs={"rows": 3})}


class SubjectAccessForm(GovUKFormMixin, forms.Form):
    """A name to search for across every case: the child's name, other names, household and referrer."""

    submit_label = "Search"

    name = forms.CharField(label="Full or partial name", max_length=200, min_length=2,
                           help_text="Searches children's names and other names, household members and referrers.",
                           error_messages={"required": "Enter a name to search for",
                                           "min_length": "Enter at least 2 characters"})

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise ValidationError("Enter at least 2 characters")
        return name
