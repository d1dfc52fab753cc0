import csv
import datetime
import io
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actionplan.models import Action, ActionStatus
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction, AccessLog
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.clocks.services import clock_start
from rapidreview.datacache import watched
from rapidreview.pdf import Marking
from referrals.models import CaseEvent, Harm, Referral, Source, Stage
from tests.actionplan.factories import LedgerCaseFactory as CaseFactory
from tests.actionplan.factories import make_action
from tests.factories import AgencyFactory, default_partnership, make_user
from tests.forms_as_rendered import accepted, page_form
from tests.pdfs import assert_pdf_of_record, pdf_text
from themes import statistics
from themes.models import Theme, ThemeLog
from themes.services import case_log_themes
from themes.statistics import age_band, annual_statistics, register_figure

pytestmark = pytest.mark.django_db
YEAR = 2025


def aware(y, m, d):
    return timezone.make_aware(datetime.datetime(y, m, d, 12))


def moved(case, stage, when):
    event = CaseEvent.objects.create(case=case, kind="stage", to_stage=stage, summary="moved")
    CaseEvent.objects.filter(pk=event.pk).update(at=when)


def clock(kind, due, met_on=None, label=""):
    subject = CaseFactory()
    c = clock_start(kind=kind, subject=subject, start=due - datetime.timedelta(days=14), due=due, label=label,
                    partnership=subject.partnership)
    if met_on:
        Clock.objects.filter(pk=c.pk).update(state=ClockState.MET, met_at=aware(met_on.year, met_on.month,
                                                                                   met_on.day))
    return c


def figures(stats, key):
    section = next(s for s in stats["sections"] if s["key"] == key)
    return {row["label"]: row["value"] for row in section["rows"]}


@pytest.fixture
def known_year(business_unit):
    """Three referrals in 2025 (two professional, one public); two SINs; one rapid review; one CSPR."""
    a = CaseFactory(source=Source.PROFESSIONAL, harm=Harm.DIED, sin_notified_on=datetime.date(YEAR, 3, 1),
                    child_dob=datetime.date(YEAR - 1, 6, 1), incident_date=datetime.date(YEAR, 2, 20))
    b = CaseFactory(source=Source.PROFESSIONAL, harm=Harm.SERIOUS_HARM, sin_notified_on=datetime.date(YEAR, 7, 1),
                    child_dob=datetime.date(YEAR - 15, 1, 1), incident_date=datetime.date(YEAR, 6, 1))
    c = CaseFactory(source=Source.PUBLIC)
    for case, sex, kinds in ((a, "male", ["neglect", "physical"]), (b, "female", ["neglect"]), (c, "", [])):
        Referral.objects.create(case=case, received_on=datetime.date(YEAR, 1, 15), referrer_name="R",
                                description="d", child_sex=sex, abuse_kinds=kinds)
    CaseFactory(source=Source.PUBLIC)  # referred this year, outside YEAR: no referral row, created now
    for case in (a, b, c):
        moved(case, Stage.THRESHOLD, aware(YEAR, 2, 1))
    moved(a, Stage.DECISION, aware(YEAR, 3, 10))
    moved(a, Stage.CSPR, aware(YEAR, 4, 1))
    mine = Theme.objects.filter(partnership=default_partnership())
    case_log_themes(case=a, themes=[mine.get(name="Neglect")], log=ThemeLog.RAPID_REVIEW, actor=business_unit)
    case_log_themes(case=b, themes=[mine.get(name="Housing")], log=ThemeLog.SIN, actor=business_unit)
    return a, b, c


def test_the_funnel_and_the_children(known_year):
    stats = annual_statistics(YEAR, partnership=default_partnership())
    funnel = figures(stats, "funnel")
    assert funnel["Referrals received"] == 3
    assert funnel["Referrals: professional"] == 2 and funnel["Referrals: parent or member of the community"] == 1
    assert funnel["Serious Incident Notification discussions held"] == 3
    assert funnel["Serious Incident Notifications agreed"] == 2
    assert funnel["Rapid reviews held"] == 1 and funnel["Practice reviews commissioned"] == 1
    assert figures(stats, "harm") == {"The child died": 1, "The child was seriously harmed": 1}
    assert figures(stats, "category") == {"Physical abuse": 1, "Neglect": 2}
    assert figures(stats, "sex") == {"Female": 1, "Male": 1}
    assert figures(stats, "age") == {"Under 1": 1, "10 to 15": 1}
    assert figures(stats, "themes") == {"Neglect": 1.0}


def test_timeliness_comes_from_the_clocks(db):
    clock(ClockKind.PANEL_MEETING, datetime.date(YEAR, 3, 10), met_on=datetime.date(YEAR, 3, 10))
    clock(ClockKind.PANEL_MEETING, datetime.date(YEAR, 4, 10), met_on=datetime.date(YEAR, 4, 14))
    clock(ClockKind.NATIONAL_PANEL, datetime.date(YEAR, 5, 1), met_on=datetime.date(YEAR, 4, 30))
    clock(ClockKind.AGENCY_FORM, datetime.date(YEAR, 5, 1), met_on=datetime.date(YEAR, 5, 1), label="Police")
    clock(ClockKind.AGENCY_FORM, datetime.date(YEAR, 5, 1), met_on=datetime.date(YEAR, 5, 7), label="Health")
    clock(ClockKind.AGENCY_FORM, datetime.date(YEAR, 5, 1), label="Health")  # never returned: late up to today
    cancelled = clock(ClockKind.AGENCY_FORM, datetime.date(YEAR, 5, 1), label="Police")
    Clock.objects.filter(pk=cancelled.pk).update(state=ClockState.CANCELLED)
    rows = figures(annual_statistics(YEAR, partnership=default_partnership()), "timeliness")
    assert rows["Panels held by working day 10"] == 0.5
    assert rows["Panels: average days late (late ones)"] == 4.0
    assert rows["Decisions sent to the National Panel by working day 15"] == 1.0
    assert rows["Agency check forms returned on time (all agencies)"] == pytest.approx(1 / 3)
    assert rows["Forms on time: Police"] == 1.0 and rows["Forms on time: Health"] == 0.0


def test_actions_completed_on_time(business_unit):
    wg = make_user(Role.WORKING_GROUP)
    agency = AgencyFactory()
    on_time = make_action(agency=agency, actor=wg, due_on=datetime.date(YEAR, 6, 30))
    late = make_action(agency=agency, actor=wg, due_on=datetime.date(YEAR, 6, 30))
    make_action(agency=agency, actor=wg, due_on=datetime.date(YEAR, 6, 30))  # never done: late
    Action.objects.filter(pk=on_time.pk).update(status=ActionStatus.EMBEDDED, completed_on=datetime.date(YEAR, 6, 1),
                                                completion_confirmed_at=aware(YEAR, 6, 2))
    Action.objects.filter(pk=late.pk).update(status=ActionStatus.COMPLETED, completed_on=datetime.date(YEAR, 8, 1),
                                             completion_confirmed_at=aware(YEAR, 8, 2))
    rows = figures(annual_statistics(YEAR, partnership=default_partnership()), "actions")
    assert rows["Actions due in the year"] == 3
    assert rows["Actions completed on time"] == pytest.approx(1 / 3)
    assert rows["Actions embedded"] == 1


def test_registered_figures_appear_in_their_sections(db, monkeypatch):
    monkeypatch.setattr(statistics, "_figures", {})
    register_figure("cspr_published", lambda year, partnership: {"label": "Practice reviews published", "value": 2},
                    reads=())
    register_figure("national_panel_agreed",
                    lambda year, partnership: {"label": "Agreed by the National Panel", "value": 0.75}, reads=())
    register_figure("extra", lambda year, partnership: None, reads=())
    stats = annual_statistics(YEAR, partnership=default_partnership())
    assert figures(stats, "funnel")["Practice reviews published"] == 2
    assert figures(stats, "national_panel") == {"Agreed by the National Panel": 0.75}
    assert not any(s["key"] == "other" for s in stats["sections"])


def test_age_bands():
    on = datetime.date(2025, 6, 1)
    assert age_band(datetime.date(2025, 1, 1), on) == "Under 1"
    assert age_band(datetime.date(2020, 6, 2), on) == "1 to 4"
    assert age_band(datetime.date(2008, 6, 1), on) == "16 to 17"
    assert age_band(None, on) == "Not known"


def test_statistics_page_and_exports_for_a_chosen_year(client, known_year):
    client.force_login(make_user(Role.EXECUTIVE))
    body = client.get(reverse("themes:statistics"), {"year": YEAR}).content.decode()
    assert f"Annual statistics {YEAR}" in body and "Serious Incident Notifications agreed" in body
    rows = list(csv.reader(io.StringIO(client.get(reverse("themes:statistics_csv"), {"year": YEAR})
                                       .content.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Figure", "Value", "As shown", "Note"]
    assert ["Referrals to reviews", "Referrals received", "3", "3", ""] in rows
    wb = load_workbook(io.BytesIO(client.get(reverse("themes:statistics_xlsx"), {"year": YEAR}).content))
    values = {(r[0], r[1]): r[2] for r in wb.active.iter_rows(min_row=2, values_only=True)}
    assert values["Referrals to reviews", "Serious Incident Notifications agreed"] == 2


def test_the_statistics_pdf_is_linked_from_the_page_and_marked_official_sensitive(client, known_year):
    client.force_login(make_user(Role.EXECUTIVE))
    page = client.get(reverse("themes:statistics"), {"year": YEAR}).content.decode()
    link = f'{reverse("themes:statistics_pdf")}?year={YEAR}'
    assert f'href="{link}"' in page
    response = client.get(link)
    assert response["Content-Disposition"] == f'attachment; filename="annual-statistics-{YEAR}.pdf"'
    assert_pdf_of_record(response.content, title=f"Safeguarding Children Partnership: annual statistics {YEAR}",
                         marking=Marking.OFFICIAL_SENSITIVE)
    text = pdf_text(response.content)
    assert "Serious Incident Notifications agreed" in text and "Referrals received 3" in text
    assert AccessLog.objects.filter(action=AccessAction.PDF).count() == 1


def test_statistics_are_refused_to_agency_leads_and_to_post(client):
    client.force_login(make_user(Role.AGENCY_LEAD))
    assert client.get(reverse("themes:statistics")).status_code == 403
    assert client.get(reverse("themes:statistics_pdf")).status_code == 403
    client.force_login(make_user(Role.BUSINESS_UNIT))
    assert client.post(reverse("themes:statistics")).status_code == 405
    assert client.get(reverse("themes:statistics"), {"year": "nonsense"}).status_code == 200


def _tables(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN) "([a-z0-9_]+)"', sql))


def test_the_statistics_watch_every_table_they_read(known_year, business_unit):
    """A write to any table the figures read must make the cached statistics stale (ADR 0035): every table named by
    the statistics' queries, the registered figures' included, belongs to a watched model."""
    a, b, _ = known_year
    make_action(case=a, actor=make_user(Role.WORKING_GROUP), due_on=datetime.date(YEAR, 6, 30))
    clock(ClockKind.PANEL_MEETING, datetime.date(YEAR, 3, 20), met_on=datetime.date(YEAR, 3, 19))
    with CaptureQueriesContext(connection) as read:
        annual_statistics(YEAR, partnership=default_partnership())
    tables = set().union(*(_tables(q["sql"]) for q in read.captured_queries))
    by_table = {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}
    assert {"referrals_case", "clocks_clock", "actionplan_action", "themes_casetheme",
            "decisions_nationalpanelsubmission", "decisions_cspr"} <= tables, "the figures were all worked out"
    unwatched = {table for table in tables if by_table[table] not in watched(statistics.STATISTICS)}
    assert not unwatched, f"read by the statistics but not watched: {sorted(unwatched)}"


def _statistics_queries(client) -> int:
    with CaptureQueriesContext(connection) as page:
        assert client.get(reverse("themes:statistics_csv"), {"year": YEAR}).status_code == 200
    return len(page.captured_queries)


def test_a_progress_note_leaves_the_statistics_warm_and_a_new_status_does_not(client, known_year):
    """Writes the figures do not read (a progress note) keep the cached statistics; a status change, which the
    actions' figures count, makes the next download work them out again."""
    group = make_user(Role.WORKING_GROUP)
    action = make_action(case=known_year[0], actor=group, due_on=datetime.date(YEAR, 6, 30))
    reader = Client()
    reader.force_login(make_user(Role.EXECUTIVE))
    cold = _statistics_queries(reader)
    warm = _statistics_queries(reader)
    assert cold > warm + 5
    client.force_login(group)
    note = page_form(client, reverse("actionplan:progress", args=[action.pk]))
    note.fill(note="Spoke to the designated nurse; the audit is booked.")
    accepted(note.submit())
    assert action.updates.filter(note__startswith="Spoke to").exists()
    assert _statistics_queries(reader) == warm, "a note alone changes no figure"
    started = page_form(client, reverse("actionplan:progress", args=[action.pk]))
    started.fill(status=ActionStatus.IN_PROGRESS, note="Audit begun.")
    accepted(started.submit())
    assert Action.objects.get(pk=action.pk).status == ActionStatus.IN_PROGRESS
    assert _statistics_queries(reader) > warm + 5, "worked out again"
