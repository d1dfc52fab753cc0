"""Fields every referral form shares: GOV.UK date boxes and short builders for radios, text and text areas."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from rapidreview.forms import DateInputField


class DateField(DateInputField):
    """GOV.UK day, month and year boxes, with plain messages; never a 500 on 31 February."""

    def __init__(self, *, label, name=None, required=True, help_text="For example, 27 3 2026", not_future=True,
                 **kwargs):
        """``name`` says what the date is in error messages ("the date it happened"); it defaults to the label."""
        super().__init__(label=label, required=required, help_text=help_text, require_all_fields=False, **kwargs)
        name = name or f"{label[0].lower()}{label[1:]}".rstrip("?")
        self.label_text = f"{name[0].upper()}{name[1:]}"
        self.not_future = not_future
        self.error_messages["required"] = f"Enter {name}"
        self.error_messages["incomplete"] = f"{self.label_text} must include a day, month and year"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError) as exc:
            raise ValidationError(f"{self.label_text.rstrip('?')} must be a real date") from exc
        if value.year < 1900:
            raise ValidationError(f"{self.label_text.rstrip('?')} must be a real date")
        if self.not_future and value > timezone.localdate():
            raise ValidationError(f"{self.label_text.rstrip('?')} must be today or in the past")
        return value


def radios(choices, label, required=False, **kwargs):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, required=required, **kwargs)


def text(label, required=False, max_length=200, **kwargs):
    return forms.CharField(label=label, required=required, max_length=max_length, **kwargs)


def area(label, required=False, rows=5, **kwargs):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)
