"""Query budgets: every list page and dashboard runs the same number of queries however many rows it shows.

The data comes from the benchmark generator (``generate_national_data``): each ``add`` of ten cases puts cases at
every open stage, with agency forms, panels, decisions, themes, actions and clocks. A page is measured with two
batches (two rows in each stage's list, two overdue clocks, two outbox rows) and again with seven (seven rows; more
than a page where lists page; 22 overdue clocks, 50 outbox rows), so an N+1 query shows up as a difference.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from agencychecks.models import AgencyCheckForm
from rapidreview.accounts.models import Role
from rapidreview.notifications.models import Notification
from referrals.models import Case, Stage

BATCH = {"cases": 10, "forms": 75, "actions": 60, "clocks": 200}


def _url(name, *args, query=""):
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{path}?{query}" if query else path


def _outbox(gen, count):
    """``count`` more outbox rows, as reminders and notices leave them."""
    case_type = ContentType.objects.get_for_model(Case)
    cases = list(Case.objects.order_by("reference")[:count])
    start = Notification.objects.count()
    Notification.objects.bulk_create([
        Notification(recipient=gen.by_role[Role.BUSINESS_UNIT][0], to_email="bu@bench.test",
                     subject=f"Reminder {n}", body_text="A reminder.", kind="clocks.reminder",
                     related_type=case_type, related_id=cases[n % len(cases)].pk,
                     idempotency_key=f"perf-test-{start + n}")
        for n in range(count)])


def _overdue(count):
    """``count`` more running clocks past their due date, as the sweep marks them, so overdue lists have rows."""
    from rapidreview.clocks.models import Clock, ClockState

    ids = list(Clock.objects.filter(state=ClockState.RUNNING).order_by("id").values_list("id", flat=True)[:count])
    Clock.objects.filter(pk__in=ids).update(state=ClockState.OVERDUE,
                                            due_on=datetime.date.today() - datetime.timedelta(days=3))


def _pages(gen):
    """(name, user, url) of every list page and dashboard that exists now."""
    role = gen.by_role
    lead = role[Role.AGENCY_LEAD][0]
    pages = [(f"dashboard for {name}", users[0], _url("home")) for name, users in sorted(role.items())]
    bu, wg = role[Role.BUSINESS_UNIT][0], role[Role.WORKING_GROUP][0]
    pages += [
        ("case list", bu, _url("referrals:case_list")),
        ("case list, filtered", bu, _url("referrals:case_list", query="stage=rapid_review")),
        ("my deadlines", lead, _url("clocks:mine")),
        ("all deadlines", bu, _url("clocks:all")),
        ("outbox", bu, _url("notifications:outbox")),
        ("agency checks, business unit", bu, _url("agencychecks:index")),
        ("my forms, agency lead", lead, _url("agencychecks:index")),
        ("action plan", wg, _url("actionplan:list")),
        ("action plan, filtered", wg, _url("actionplan:list", query="status=in_progress")),
        ("action plan, agency lead", lead, _url("actionplan:list")),
        ("themes log, rapid reviews", bu, _url("themes:log", "rapid_review")),
        ("themes log, notifications", bu, _url("themes:log", "sin")),
        ("themes report", bu, _url("themes:report")),
        ("annual statistics", bu, _url("themes:statistics")),
        ("learning list", bu, _url("themes:learning")),
        ("panel calendar", bu, _url("panels:calendar")),
        ("panel members", bu, _url("panels:members")),
        ("decisions", bu, _url("decisions:index")),
        ("decisions awaiting signature", role[Role.EXECUTIVE][0], _url("decisions:awaiting")),
        ("people", bu, _url("accounts:people")),
    ]
    return [(name, user, url) for name, user, url in pages if url]


def _count(client, user, url):
    client.force_login(user)
    client.get(url)  # the first request fills caches (partnership settings, non-working days)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


def _counts(client, gen):
    return {name: _count(client, user, url) for name, user, url in _pages(gen)}


@pytest.mark.django_db
def test_every_list_page_and_dashboard_runs_the_same_queries_with_two_rows_as_with_many(client, generator):
    for _ in range(2):
        generator.add(**BATCH)
    _outbox(generator, 2)
    _overdue(2)
    few = _counts(client, generator)
    for _ in range(5):
        generator.add(**BATCH)
    _outbox(generator, 48)
    _overdue(20)
    assert Case.objects.filter(stage=Stage.RAPID_REVIEW).count() >= 7
    many = _counts(client, generator)
    grew = {name: (few[name], many[name]) for name in few if few[name] != many[name]}
    assert not grew, f"Query count grew with the rows (two rows, many rows): {grew}"


@pytest.mark.django_db
def test_the_agency_check_board_runs_the_same_queries_for_two_forms_as_for_twelve(client, generator):
    generator.add(**BATCH)
    bu = generator.by_role[Role.BUSINESS_UNIT][0]
    benchmark = generator.benchmark_row()["case"]
    assert AgencyCheckForm.objects.filter(case=benchmark).count() == 12
    few_case = Case.objects.get(pk=benchmark.pk)
    # The same case with only two of its forms: the rest are removed.
    twelve = _count(client, bu, reverse("agencychecks:board", args=[few_case.pk]))
    keep = list(AgencyCheckForm.objects.filter(case=few_case).order_by("agency__name").values_list("pk", flat=True))
    AgencyCheckForm.objects.filter(case=few_case).exclude(pk__in=keep[:2]).delete()
    two = _count(client, bu, reverse("agencychecks:board", args=[few_case.pk]))
    assert two == twelve


@pytest.mark.django_db
def test_the_case_page_runs_the_same_queries_whatever_the_case_holds(client, generator):
    generator.add(**BATCH)
    bu = generator.by_role[Role.BUSINESS_UNIT][0]
    benchmark = generator.benchmark_row()["case"]
    before = _count(client, bu, reverse("referrals:case_detail", args=[benchmark.pk]))
    # Forty more timeline lines on the same case.
    from referrals.models import CaseEvent

    CaseEvent.objects.bulk_create([CaseEvent(case=benchmark, kind="note", summary=f"Note {n}") for n in range(40)])
    after = _count(client, bu, reverse("referrals:case_detail", args=[benchmark.pk]))
    assert after == before
