"""Demo data for clocks: an office closure as an extra non-working day. The clocks themselves are started by the
stage apps' demo data through ``clock_start``. Idempotent: keyed on the date."""

import datetime

from django.utils import timezone

from .models import NonWorkingDay


def next_christmas_eve_closure(today: datetime.date) -> datetime.date:
    """The next 24 December that falls on a weekday (the office closes early for Christmas)."""
    year = today.year if today < datetime.date(today.year, 12, 24) else today.year + 1
    day = datetime.date(year, 12, 24)
    while day.weekday() >= 5:
        year += 1
        day = datetime.date(year, 12, 24)
    return day


def load(context: dict) -> None:
    """Tower Hamlets closes its office on Christmas Eve; City & Hackney does not, so their deadlines differ."""
    day = next_christmas_eve_closure(timezone.localdate())
    manager = context.get("users", {}).get("manager")
    NonWorkingDay.objects.get_or_create(
        partnership=context["partnership"], date=day,
        defaults={"reason": "Office closed for Christmas Eve", "created_by": manager})
    context.setdefault("non_working_days", []).append(day)
