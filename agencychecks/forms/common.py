"""Fields and limits every agency check form shares: real dates, nothing in the future, long text kept in bounds."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from rapidreview.forms import DateInputField

MAX_TEXT = 10000


class RealDateField(DateInputField):
    """Day, month and year boxes that say plainly when the date does not exist (31 February)."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError as error:
            raise forms.ValidationError(f"{self.label} must be a real date") from error


def date_field(label: str, required: bool = False, hint: str = "") -> DateInputField:
    field = RealDateField(label=label, required=required, help_text=hint or "For example, 27 3 2024")
    field.error_messages["required"] = f"Enter {label[0].lower()}{label[1:]}"
    return field


def not_future(form, name):
    value = form.cleaned_data.get(name)
    if value and value > timezone.localdate():
        form.add_error(name, f"{form.fields[name].label} must be today or in the past")


def long_text(field: forms.Field, rows: int = 6):
    field.widget = forms.Textarea(attrs={"rows": rows})
    field.max_length = MAX_TEXT
    field.validators.append(MaxLengthValidator(MAX_TEXT, message=f"Keep this to {MAX_TEXT:,} characters or fewer"))
