"""The working-day calendar: weekends, England's bank holidays, and the closures a partnership's business unit
enters.

The start day is day 0: ``add_working_days(d, 1)`` is the next working day after ``d``. Every function takes the
``partnership`` whose calendar applies (a ``Partnership`` or its id); ``None`` means England's calendar alone, for
things that belong to no partnership (ADR 0015).

Each function reads the business unit's closures once (a cache lookup, a network round trip on Redis), not once a
day: a dashboard of clocks started years ago asks for spans of thousands of days.
"""

import datetime
from functools import lru_cache

import holidays

from rapidreview.clocks.models import NonWorkingDay


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[datetime.date]:
    # Without subdiv="ENG" the GB calendar misses Easter Monday and the August bank holiday.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def _closures(partnership) -> frozenset[datetime.date]:
    return NonWorkingDay.cached_dates(getattr(partnership, "pk", partnership))


def _is_working(day: datetime.date, closures: frozenset[datetime.date]) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year) and day not in closures


def is_working_day(day: datetime.date, *, partnership) -> bool:
    return _is_working(day, _closures(partnership))


def add_working_days(start: datetime.date, n: int, *, partnership) -> datetime.date:
    """The date ``n`` working days after ``start`` (or before it, for negative ``n``)."""
    closures = _closures(partnership)
    step = datetime.timedelta(days=1 if n >= 0 else -1)
    day, remaining = start, abs(n)
    while remaining:
        day += step
        if _is_working(day, closures):
            remaining -= 1
    return day


def _weekdays_after(a: datetime.date, b: datetime.date) -> int:
    """Monday-to-Friday days in (a, b], for a <= b, without walking the days."""
    days = (b - a).days
    weeks, rest = divmod(days, 7)
    first = a.weekday() + 1  # the weekday of a + 1 day, counted on past Sunday (7 = Monday again)
    return weeks * 5 + sum(1 for offset in range(rest) if (first + offset) % 7 < 5)


def working_days_between(a: datetime.date, b: datetime.date, *, partnership) -> int:
    """How many working days after ``a`` ``b`` is (negative when ``b`` is earlier)."""
    if b < a:
        return -working_days_between(b, a, partnership=partnership)
    if a == b:
        return 0
    days_off = set(_closures(partnership))
    for year in range(a.year, b.year + 1):
        days_off |= bank_holidays(year)
    lost = sum(1 for day in days_off if a < day <= b and day.weekday() < 5)
    return _weekdays_after(a, b) - lost
