import datetime

import pytest

from rapidreview.clocks.models import NonWorkingDay
from rapidreview.workdays import add_working_days, is_working_day, working_days_between
from tests.factories import default_partnership, make_partnership

D = datetime.date

# (start, n, expected, why)
ADD_CASES = [
    (D(2026, 12, 21), 8, D(2027, 1, 5), "Christmas, Boxing Day (observed Monday 28th) and New Year are skipped"),
    (D(2026, 12, 24), 1, D(2026, 12, 29), "Christmas Day Friday, Boxing Day Saturday observed on Monday 28th"),
    (D(2026, 12, 31), 1, D(2027, 1, 4), "New Year's Day Friday and the weekend are skipped"),
    (D(2026, 4, 2), 1, D(2026, 4, 7), "Good Friday and Easter Monday are skipped"),
    (D(2026, 4, 2), 0, D(2026, 4, 2), "the start day is day 0"),
    (D(2026, 3, 7), 1, D(2026, 3, 9), "a Saturday start counts from the Monday"),
    (D(2026, 3, 8), 5, D(2026, 3, 13), "a Sunday start: five working days is the Friday"),
    (D(2026, 3, 6), 10, D(2026, 3, 20), "ten working days over two weekends"),
    (D(2026, 8, 28), 1, D(2026, 9, 1), "the August bank holiday (England only) is skipped"),
    (D(2027, 12, 24), 1, D(2027, 12, 29), "Christmas Day and Boxing Day on a weekend are observed on 27 and 28"),
    (D(2026, 1, 5), -1, D(2026, 1, 2), "negative counts go backwards over the weekend"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "n", "expected", "why"), ADD_CASES, ids=[c[3] for c in ADD_CASES])
def test_adding_working_days_skips_weekends_and_bank_holidays(start, n, expected, why):
    assert add_working_days(start, n, partnership=None) == expected, why


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "working"), [
    (D(2026, 12, 25), False),
    (D(2026, 12, 28), False),  # Boxing Day (Saturday) observed on Monday
    (D(2027, 1, 1), False),
    (D(2026, 4, 3), False),
    (D(2026, 4, 6), False),
    (D(2026, 5, 4), False),
    (D(2026, 3, 7), False),
    (D(2026, 3, 9), True),
    (D(2026, 12, 29), True),
])
def test_is_working_day(day, working):
    assert is_working_day(day, partnership=None) is working


@pytest.mark.django_db
@pytest.mark.parametrize(("a", "b", "expected"), [
    (D(2026, 12, 21), D(2027, 1, 5), 8),
    (D(2027, 1, 5), D(2026, 12, 21), -8),
    (D(2026, 3, 2), D(2026, 3, 2), 0),
    (D(2026, 3, 6), D(2026, 3, 9), 1),
])
def test_working_days_between_counts_working_days_after_the_first_date(a, b, expected):
    assert working_days_between(a, b, partnership=None) == expected


@pytest.mark.django_db
def test_a_closure_the_business_unit_enters_is_not_a_working_day():
    ours = default_partnership()
    assert add_working_days(D(2026, 3, 9), 1, partnership=ours) == D(2026, 3, 10)
    NonWorkingDay.objects.create(partnership=ours, date=D(2026, 3, 10), reason="Office move")
    assert not is_working_day(D(2026, 3, 10), partnership=ours)
    assert add_working_days(D(2026, 3, 9), 1, partnership=ours) == D(2026, 3, 11)
    NonWorkingDay.objects.get(date=D(2026, 3, 10)).delete()
    assert add_working_days(D(2026, 3, 9), 1, partnership=ours) == D(2026, 3, 10)


@pytest.mark.django_db
def test_one_partnerships_closure_is_a_working_day_for_another_and_for_england():
    ours, neighbour = default_partnership(), make_partnership("Neighbouring Safeguarding Children Partnership")
    NonWorkingDay.objects.create(partnership=neighbour, date=D(2026, 3, 10), reason="Their office move")
    assert not is_working_day(D(2026, 3, 10), partnership=neighbour)
    assert is_working_day(D(2026, 3, 10), partnership=ours)
    assert is_working_day(D(2026, 3, 10), partnership=ours.pk)
    assert is_working_day(D(2026, 3, 10), partnership=None)
    assert add_working_days(D(2026, 3, 9), 1, partnership=ours) == D(2026, 3, 10)
    assert add_working_days(D(2026, 3, 9), 1, partnership=neighbour) == D(2026, 3, 11)
    assert working_days_between(D(2026, 3, 9), D(2026, 3, 11), partnership=ours) == 2
    assert working_days_between(D(2026, 3, 9), D(2026, 3, 11), partnership=neighbour) == 1


def _walked(a, b, partnership):
    """The definition, one day at a time: what the arithmetic in ``working_days_between`` must agree with."""
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    count, day = 0, a
    while day < b:
        day += datetime.timedelta(days=1)
        count += is_working_day(day, partnership=partnership)
    return sign * count


@pytest.mark.django_db
def test_working_days_between_agrees_with_walking_the_calendar_day_by_day():
    ours = default_partnership()
    NonWorkingDay.objects.create(partnership=ours, date=datetime.date(2026, 12, 29), reason="Office closed")
    NonWorkingDay.objects.create(partnership=ours, date=datetime.date(2027, 1, 2),
                                 reason="A Saturday: already not a working day")
    start = datetime.date(2024, 12, 20)
    for a_offset in range(0, 21):
        a = start + datetime.timedelta(days=a_offset)
        for b_offset in (-9, -1, 0, 1, 2, 5, 6, 7, 8, 13, 40, 400, 760):
            b = a + datetime.timedelta(days=b_offset)
            assert working_days_between(a, b, partnership=ours) == _walked(a, b, ours), (a, b)
