import datetime

import pytest

from rapidreview.clocks import demo
from rapidreview.clocks.models import NonWorkingDay
from tests.factories import default_partnership, make_partnership


def test_the_demo_closure_is_the_next_christmas_eve_on_a_weekday():
    assert demo.next_christmas_eve_closure(datetime.date(2026, 11, 26)) == datetime.date(2026, 12, 24)
    assert demo.next_christmas_eve_closure(datetime.date(2026, 12, 24)) == datetime.date(2027, 12, 24)
    assert demo.next_christmas_eve_closure(datetime.date(2027, 12, 25)) == datetime.date(2029, 12, 24)


@pytest.mark.django_db
def test_loading_the_demo_twice_adds_one_closure_to_the_main_partnership_only():
    ours, neighbour = default_partnership(), make_partnership("Neighbouring Safeguarding Children Partnership")
    demo.load({"users": {}, "partnership": ours, "partnerships": {"a": ours, "b": neighbour}})
    demo.load({"users": {}, "partnership": ours, "partnerships": {"a": ours, "b": neighbour}})
    assert list(NonWorkingDay.objects.values_list("partnership", flat=True)) == [ours.pk]
