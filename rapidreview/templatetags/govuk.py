"""Dates and times the GOV.UK way ("7am", "5:30pm", "26 November 2026, 7:15am"), in Europe/London.

Registered as a template builtin (settings.TEMPLATES), so every template can use the filters without loading them.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def govuk_time(value) -> str:
    """'7am', '5:30pm', 'midday', 'midnight'."""
    if not value:
        return ""
    value = _local(value)
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


@register.filter
def govuk_datetime(value) -> str:
    """'26 November 2026, 7:15am'."""
    if not value:
        return ""
    value = _local(value)
    return f"{date_format(value, 'j F Y')}, {govuk_time(value)}"
