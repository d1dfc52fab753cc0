"""The working-day calendar: weekends, England and Wales bank holidays, and closures the business unit enters.

The start day is day 0: ``add_working_days(d, 1)`` is the next working day after ``d``.
"""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    # Without subdiv="ENG" the GB calendar misses Easter Monday and the August bank holiday.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def _closures() -> frozenset[datetime.date]:
    from rapidreview.clocks.models import NonWorkingDay

    return NonWorkingDay.cached_dates()


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year) and day not in _closures()


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The date ``n`` working days after ``start`` (or before it, for negative ``n``)."""
    step = 1 if n >= 0 else -1
    day, remaining = start, abs(n)
    while remaining:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """How many working days after ``a`` ``b`` is (negative when ``b`` is earlier)."""
    if b < a:
        return -working_days_between(b, a)
    count, day = 0, a
    while day < b:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
