import datetime
from zoneinfo import ZoneInfo

import pytest

from rapidreview.templatetags.govuk import govuk_datetime, govuk_time

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
