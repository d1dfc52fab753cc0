import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Engine
from django.template.defaultfilters import date as djangos_date
from django.template.defaultfilters import truncatechars as djangos_truncatechars
from django.utils import timezone

from rapidreview.templatetags.govuk import date as govuk_date
from rapidreview.templatetags.govuk import govuk_datetime, govuk_time
from rapidreview.templatetags.govuk import truncatechars as govuk_truncatechars

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC


@pytest.mark.parametrize(("value", "expected"), [
    (datetime.time(7, 0), "7am"),
    (datetime.time(17, 30), "5:30pm"),
    (datetime.time(12, 0), "midday"),
    (datetime.time(0, 0), "midnight"),
    (datetime.time(0, 5), "12:05am"),
    (datetime.time(12, 45), "12:45pm"),
    (None, ""),
])
def test_times_read_the_govuk_way(value, expected):
    assert govuk_time(value) == expected


def test_a_stored_utc_time_is_shown_in_london_time_in_summer():
    assert govuk_datetime(datetime.datetime(2026, 7, 1, 14, 15, tzinfo=UTC)) == "1 July 2026, 3:15pm"


def test_a_stored_utc_time_is_shown_in_london_time_in_winter():
    assert govuk_datetime(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)) == "1 December 2026, 9am"


@pytest.mark.parametrize("text", [
    "", "short", "x" * 80, "x" * 81, "An action description that runs well past the limit of the list it is shown in, "
    "and more", "Café au lait, crème brûlée and the partnership’s “curly” quotes, long enough to need cutting here",
    "e\u0301" * 90, "e\u0301" * 40, "Agency’s", 12345, None,
])
@pytest.mark.parametrize("length", [0, 1, 5, 80, "x"])
def test_truncatechars_reads_as_djangos_own_and_replaces_it_in_every_template(text, length):
    template = Engine.get_default().from_string("{{ text|truncatechars:length }}")
    assert template.render(Context({"text": text, "length": length}, autoescape=False)) == str(
        djangos_truncatechars(text, length))
    assert Engine.get_default().template_builtins[-1].filters["truncatechars"] is govuk_truncatechars


@pytest.mark.parametrize("value", [
    datetime.date(2026, 9, 3), datetime.date(1999, 12, 31), datetime.date(987, 1, 1), datetime.date(2026, 5, 14),
    datetime.datetime(2026, 9, 3, 8, 5, tzinfo=UTC),  # 9:05 in London
    datetime.datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # 1:30am in London, the clocks having gone forward
    datetime.datetime(2026, 6, 30, 23, 30, tzinfo=UTC),  # already 1 July in London
    datetime.datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # still 31 December in London
    datetime.datetime(2026, 6, 30, 23, 30), "2026-06-30", "", None, 5,
])
@pytest.mark.parametrize("arg", ["j F Y", "c", "j M Y", "l j F Y", "j F Y, H:i", "j M Y, H:i", "j M Y, H:i:s", None])
def test_date_reads_as_djangos_own_and_replaces_it_in_every_template(value, arg):
    source = "{{ value|date:arg }}" if arg else "{{ value|date }}"
    template = Engine.get_default().from_string(source)
    aware = isinstance(value, datetime.datetime) and timezone.is_aware(value)
    try:
        expected = str(djangos_date(timezone.localtime(value) if aware else value, arg))
    except TypeError:  # Django's own refuses a time format for a date; so must this
        with pytest.raises(TypeError):
            template.render(Context({"value": value, "arg": arg}))
    else:
        assert template.render(Context({"value": value, "arg": arg})) == expected
    assert Engine.get_default().template_builtins[-1].filters["date"] is govuk_date
