"""Defences against bugs in libraries we depend on, applied once at start-up (AccountsConfig.ready)."""

from django.core.exceptions import ValidationError


def patch_date_input_field() -> None:
    """crispy-forms-gds's day/month/year field lets OverflowError escape for a year like 99999999999999999999.

    That would be a server error on every form with a date; turn it into the usual "must be a real date" message.
    """
    from crispy_forms_gds.fields import DateInputField

    if getattr(DateInputField.compress, "hardened", False):
        return
    original = DateInputField.compress

    def compress(self, data_list):
        try:
            return original(self, data_list)
        except (OverflowError, TypeError) as error:
            raise ValidationError("Enter a real date", code="invalid") from error

    compress.hardened = True
    DateInputField.compress = compress
