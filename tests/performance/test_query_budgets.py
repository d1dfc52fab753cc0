"""Query budgets: every list page and dashboard runs the same number of queries however many rows it shows.

The data comes from the benchmark generator (``generate_national_data``): each ``add`` of ten cases puts cases at
every open stage, with agency forms, panels, decisions, themes, actions and clocks. A page is measured with two
batches (two rows in each stage's list, two overdue clocks, two outbox rows, two exports) and again with seven (seven
rows; more than a page where lists page; 22 overdue clocks, 50 outbox rows, 12 exports), so an N+1 query shows up as
a difference; with twelve it must not change again (a dashboard card counts its rows only when it has more than
it lists, a bounded extra query, not one per row).

The pages come from the URL configuration: every page whose address names no object is either measured or listed in
``NOT_A_LIST``, and every name in these tables must still be a page, so a renamed or removed page fails here
instead of dropping out of the measurement.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencychecks.models import AgencyCheckForm
from rapidreview.accounts.models import Role
from rapidreview.notifications.models import Notification
from rapidreview.partnership_export.models import ExportStatus, ImportStatus, PartnershipExport, PartnershipImport
from referrals.models import Case, Stage
from tests.factories import make_installation_admin, make_partnership
from tests.security.matrix import routes

BATCH = {"cases": 10, "forms": 75, "actions": 60, "clocks": 200}


def _outbox(gen, count):
    """``count`` more outbox rows, as reminders and notices leave them."""
    case_type = ContentType.objects.get_for_model(Case)
    cases = list(Case.objects.order_by("reference")[:count])
    start = Notification.objects.count()
    business_unit = gen.by_role[Role.BUSINESS_UNIT][0]
    Notification.objects.bulk_create([
        Notification(recipient=business_unit, partnership=business_unit.partnership, to_email="bu@bench.test",
                     subject=f"Reminder {n}", body_text="A reminder.", kind="clocks.reminder",
                     related_type=case_type, related_id=cases[n % len(cases)].pk,
                     idempotency_key=f"perf-test-{start + n}")
        for n in range(count)])


def _exports(gen, count):
    """``count`` more past exports of the business unit's partnership, asked for by one member and confirmed by
    another, as a partnership leaving the installation and coming back leaves them."""
    requester, confirmer = gen.by_role[Role.BUSINESS_UNIT][:2]
    now = timezone.now()
    PartnershipExport.objects.bulk_create([
        PartnershipExport(partnership=requester.partnership, reason=f"Export {n}", requested_by=requester,
                          confirmed_by=confirmer, confirmed_at=now, ready_at=now, expires_at=now,
                          status=ExportStatus.EXPIRED if n % 2 else ExportStatus.READY)
        for n in range(count)])


def _overdue(count):
    """``count`` more running clocks past their due date, as the sweep marks them, so overdue lists have rows."""
    from rapidreview.clocks.models import Clock, ClockState

    ids = list(Clock.objects.filter(state=ClockState.RUNNING).order_by("id").values_list("id", flat=True)[:count])
    Clock.objects.filter(pk__in=ids).update(state=ClockState.OVERDUE,
                                            due_on=datetime.date.today() - datetime.timedelta(days=3))


# Every list page, dashboard and export, measured as (label, URL name, URL arguments, query string, who). "who" is a
# role; the home dashboard is measured once for every role.
MEASURED = [
    ("case list", "referrals:case_list", (), "", Role.BUSINESS_UNIT),
    ("case list, filtered", "referrals:case_list", (), "stage=rapid_review", Role.BUSINESS_UNIT),
    ("my deadlines", "clocks:mine", (), "", Role.AGENCY_LEAD),
    ("all deadlines", "clocks:all", (), "", Role.BUSINESS_UNIT),
    ("non-working days", "clocks:closures", (), "", Role.BUSINESS_UNIT),
    ("CDOP and JAR discussions", "referrals:cdop_list", (), "", Role.BUSINESS_UNIT),
    ("outbox", "notifications:outbox", (), "", Role.BUSINESS_UNIT),
    ("agency checks, business unit", "agencychecks:index", (), "", Role.BUSINESS_UNIT),
    ("my forms, agency lead", "agencychecks:index", (), "", Role.AGENCY_LEAD),
    ("glossary", "agencychecks:glossary", (), "", Role.BUSINESS_UNIT),
    ("action plan", "actionplan:list", (), "", Role.WORKING_GROUP),
    ("action plan, filtered", "actionplan:list", (), "status=in_progress", Role.WORKING_GROUP),
    ("action plan, agency lead", "actionplan:list", (), "", Role.AGENCY_LEAD),
    ("action plan CSV", "actionplan:export_csv", (), "", Role.WORKING_GROUP),
    ("action plan spreadsheet", "actionplan:export_xlsx", (), "", Role.WORKING_GROUP),
    ("working group meetings", "actionplan:meetings", (), "", Role.WORKING_GROUP),
    ("themes", "themes:list", (), "", Role.BUSINESS_UNIT),
    ("themes log, rapid reviews", "themes:log", ("rapid_review",), "", Role.BUSINESS_UNIT),
    ("themes log, notifications", "themes:log", ("sin",), "", Role.BUSINESS_UNIT),
    ("themes report", "themes:report", (), "", Role.BUSINESS_UNIT),
    ("themes report CSV", "themes:report_csv", (), "", Role.BUSINESS_UNIT),
    ("annual statistics", "themes:statistics", (), "", Role.BUSINESS_UNIT),
    ("annual statistics CSV", "themes:statistics_csv", (), "", Role.BUSINESS_UNIT),
    ("annual statistics spreadsheet", "themes:statistics_xlsx", (), "", Role.BUSINESS_UNIT),
    ("learning list", "themes:learning", (), "", Role.BUSINESS_UNIT),
    ("benchmarking", "themes:benchmarking", (), "", Role.BUSINESS_UNIT),
    ("panel calendar", "panels:calendar", (), "", Role.BUSINESS_UNIT),
    ("panel members", "panels:members", (), "", Role.BUSINESS_UNIT),
    ("conflicts of interest", "panels:conflicts", (), "", Role.BUSINESS_UNIT),
    ("liaison", "panels:liaison", (), "", Role.BUSINESS_UNIT),
    ("decisions", "decisions:index", (), "", Role.BUSINESS_UNIT),
    ("decisions awaiting signature", "decisions:awaiting", (), "", Role.EXECUTIVE),
    ("people", "accounts:people", (), "", Role.BUSINESS_UNIT),
    ("agencies", "accounts:agencies", (), "", Role.BUSINESS_UNIT),
    ("access log", "audit:log", (), "", Role.BUSINESS_UNIT),
    ("retention", "audit:retention", (), "", Role.BUSINESS_UNIT),
    ("exports of the partnership's data", "partnership_export:exports", (), "", Role.BUSINESS_UNIT),
    ("what needs me, all partnerships", "what_needs_me", (), "", Role.AGENCY_LEAD),
]
DASHBOARD = "home"
# Pages of one case or form, measured by their own tests below.
MEASURED_ELSEWHERE = {"agencychecks:board", "referrals:case_detail",
                      "accounts:installation",  # the administrator's, by tests/core/test_installation_admin.py
                      "partnership_export:import_start"}  # the administrator's archives uploaded
# Pages whose address names no object and that list nothing that grows: forms, sign-in, wizards and fixed pages.
# Every such page is named here, so a new page gets a decision: measure it, or say here why not.
NOT_A_LIST = {
    "healthz", "accessibility", "privacy",
    "accounts:login", "accounts:logout", "accounts:password_reset", "accounts:password_reset_done",
    "accounts:password_reset_confirm", "accounts:password_reset_complete", "accounts:account",
    "accounts:password_change", "accounts:mfa_setup", "accounts:mfa_backup_codes", "accounts:mfa_verify",
    "accounts:reauthenticate", "accounts:partnership", "accounts:person_new", "accounts:agency_new",
    "accounts:switch_partnership", "accounts:person_add_existing", "accounts:partnership_new",
    # The Lead Safeguarding Partners: at most three rows, one per statutory partner; and its form.
    "accounts:lead_partners", "accounts:lead_partner_new",
    "audit:subject_access",
    "referrals:public_start", "referrals:public_referral", "referrals:public_check", "referrals:public_done",
    "referrals:referral_start", "referrals:referral_check", "referrals:referral_done", "referrals:referral_step",
    "panels:member_add", "panels:conflict_declare",
    "agencychecks:glossary_add",
    "actionplan:create", "actionplan:import", "actionplan:import_columns", "actionplan:import_preview",
    "actionplan:import_template", "themes:statistics_pdf", "referrals:cdop_new",
    "actionplan:meeting_create",
    "themes:index", "themes:create", "themes:learning_create",
    "partnership_export:request",
    "referrals:public_partnership",  # one partnership's start page for the public: its address names it by slug
}


def _names_without_objects() -> set[str]:
    """Every URL name whose address takes no object id (uuid or int): where list pages and dashboards live."""
    return {route.name for route in routes() if not any(conv in ("uuid", "int") for _, conv in route.converters)}


def test_every_page_without_an_object_is_measured_or_said_not_to_be_a_list():
    measured = {name for _, name, *_ in MEASURED} | {DASHBOARD}
    tables = measured | MEASURED_ELSEWHERE | NOT_A_LIST
    names = {route.name for route in routes()}
    unclassified = sorted(_names_without_objects() - tables)
    assert not unclassified, f"Measure these pages in MEASURED or add them to NOT_A_LIST: {unclassified}"
    stale = sorted(tables - names)
    assert not stale, f"These pages no longer exist; update the query budget tables: {stale}"
    assert not (measured & NOT_A_LIST), "a page is both measured and said not to be a list"


def _pages(gen):
    """(label, user, url) of every list page, dashboard and export."""
    pages = [(f"dashboard for {role}", users[0], reverse(DASHBOARD)) for role, users in sorted(gen.by_role.items())]
    for label, name, args, query, role in MEASURED:
        path = reverse(name, args=args)
        pages.append((label, gen.by_role[role][0], f"{path}?{query}" if query else path))
    return pages


def _get(client, url):
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # an export runs its queries while it streams
    return response


def _count(client, user, url):
    client.force_login(user)
    _get(client, url)  # the first request fills caches (partnership settings, non-working days)
    with CaptureQueriesContext(connection) as queries:
        response = _get(client, url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


def _counts(client, gen):
    return {name: _count(client, user, url) for name, user, url in _pages(gen)}


CARD_COUNTS_AT_MOST = 3


@pytest.mark.django_db
def test_every_list_page_and_dashboard_runs_the_same_queries_with_two_rows_as_with_many(client, generator):
    for _ in range(2):
        generator.add(**BATCH)
    _outbox(generator, 2)
    _exports(generator, 2)
    _overdue(2)
    few = _counts(client, generator)
    for _ in range(5):
        generator.add(**BATCH)
    _outbox(generator, 48)
    _exports(generator, 10)
    _overdue(20)
    assert Case.objects.filter(stage=Stage.RAPID_REVIEW).count() >= 7
    many = _counts(client, generator)
    # A dashboard card reads the rows it lists and counts them with a second query only when there are more than it
    # lists (``rapidreview.pagination.first_and_count``): a few more queries once, never one more per row.
    grew = {name: (few[name], many[name]) for name in few
            if not few[name] <= many[name] <= few[name] + CARD_COUNTS_AT_MOST}
    assert not grew, f"Query count grew with the rows (two rows, many rows): {grew}"
    for _ in range(5):
        generator.add(**BATCH)
    _overdue(20)
    more = _counts(client, generator)
    grew = {name: (many[name], more[name]) for name in many if many[name] != more[name]}
    assert not grew, f"Query count grew with the rows (many rows, more rows): {grew}"


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


@pytest.mark.django_db
def test_the_case_history_reads_only_the_tables_that_hold_something_and_as_many_rows_as_they_hold(client, generator):
    """The generator writes the history a person would have left (issue 20): the busiest case's twelve forms were
    issued, drafted, submitted and accepted. The page reads each history table holding something once, however
    many rows it holds."""
    generator.add(**BATCH)
    bu = generator.by_role[Role.BUSINESS_UNIT][0]
    case = Case.objects.get(pk=generator.benchmark_row()["case"].pk)
    url = reverse("audit:case_history", args=[case.pk])
    client.force_login(bu)
    page = " ".join(_get(client, url).content.decode().split())
    assert page.count("Agency check form: created") == 12
    assert page.count("Agency check form: changed") >= 36  # drafted, submitted and accepted, each of the twelve
    assert "Referral: created" in page and "Case: changed" in page
    assert "→ <span class=\"app-diff-ins\">Accepted</span>" in page  # a status change, as its label
    before = _count(client, bu, url)
    for form in AgencyCheckForm.objects.filter(case=case):
        form.analysis += " Added after the panel."
        form.save()  # one more history row on each form
    assert _count(client, bu, url) == before


def _imports(admin, count):
    """``count`` more archives uploaded by the installation's administrator, every other one imported."""
    rows = []
    for n in range(count):
        imported = make_partnership(f"Imported partnership {PartnershipImport.objects.count() + n}") if n % 2 else None
        rows.append(PartnershipImport(
            uploaded_by=admin, archive=f"imports/{n}.zip", archive_sha256="0" * 64,
            manifest={"partnership": {"name": f"Partnership {n}", "slug": f"partnership-{n}"}},
            status=ImportStatus.IMPORTED if imported else ImportStatus.CHECKED, partnership=imported,
            imported_by=admin if imported else None, imported_at=timezone.now() if imported else None))
    PartnershipImport.objects.bulk_create(rows)


@pytest.mark.django_db
def test_the_import_page_runs_the_same_queries_for_two_archives_uploaded_as_for_twelve(client):
    admin = make_installation_admin()
    _imports(admin, 2)
    two = _count(client, admin, reverse("partnership_export:import_start"))
    _imports(admin, 10)
    assert _count(client, admin, reverse("partnership_export:import_start")) == two
