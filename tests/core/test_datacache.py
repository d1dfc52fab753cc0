"""Cached reports: worked out once, then again as soon as anything they read has changed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapidreview.accounts.models import Role
from rapidreview.clocks.models import Clock, ClockState
from rapidreview.clocks.services import mark_overdue
from rapidreview.datacache import cached, watch
from tests.clocks.factories import make_clock
from tests.factories import AgencyFactory, make_user

REPORT = "test-agency-report"


@pytest.fixture
def report():
    from rapidreview.accounts.models import Agency

    watch(REPORT, Agency)
    runs = []

    def work_it_out():
        runs.append(1)
        return sorted(Agency.objects.values_list("name", flat=True))

    return lambda: cached(REPORT, ("all",), work_it_out), runs


@pytest.mark.django_db
def test_a_report_is_worked_out_once_while_nothing_it_reads_changes(report):
    read, runs = report
    AgencyFactory(name="Police")
    assert read() == ["Police"]
    assert read() == ["Police"]
    assert len(runs) == 1


@pytest.mark.django_db
def test_a_save_or_a_delete_makes_the_next_read_work_it_out_again(report):
    read, runs = report
    police = AgencyFactory(name="Police")
    read()
    AgencyFactory(name="School")
    assert read() == ["Police", "School"]
    police.delete()
    assert read() == ["School"]
    assert len(runs) == 3


@pytest.mark.django_db
def test_a_report_read_while_a_write_was_uncommitted_is_not_kept(report, django_capture_on_commit_callbacks):
    read, runs = report
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        AgencyFactory(name="Police")
        read()  # e.g. another process, before the commit
    assert callbacks, "the version changes again when the transaction commits"
    for callback in callbacks:
        callback()
    read()
    assert len(runs) == 2


@pytest.mark.django_db
def test_marking_clocks_overdue_in_one_update_still_makes_the_statistics_stale(client):
    client.force_login(make_user(Role.BUSINESS_UNIT))
    clock = make_clock(start=datetime.date(2026, 1, 5))
    assert clock.state == ClockState.RUNNING
    url = reverse("themes:statistics") + "?year=2026"
    client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert mark_overdue(datetime.date(2026, 2, 1)) == 1
    assert Clock.objects.get(pk=clock.pk).state == ClockState.OVERDUE
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) > len(warm.captured_queries) + 5, "worked out again"
