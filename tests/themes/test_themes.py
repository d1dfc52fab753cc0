import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.db import DomainError
from referrals.models import CaseEvent
from tests.actionplan.factories import LedgerCaseFactory as CaseFactory
from tests.factories import AgencyFactory, default_partnership, make_user
from themes.models import CaseTheme, Theme, ThemeLog
from themes.selectors import recurrence, theme_report
from themes.services import case_log_themes, theme_create

pytestmark = pytest.mark.django_db


def theme(name, partnership=None):
    return Theme.objects.get(partnership=partnership or default_partnership(), name=name)


def test_the_seeded_list_is_there():
    assert Theme.objects.filter(partnership=default_partnership(), is_active=True).count() >= 20
    assert theme("Bruising in non-mobile babies").slug == "bruising-in-non-mobile-babies"


def test_logging_themes_replaces_the_cases_themes_in_that_log_only_and_is_idempotent(business_unit):
    case = CaseFactory()
    neglect, housing, voice = theme("Neglect"), theme("Housing"), theme("The voice of the child")
    case_log_themes(case=case, themes=[neglect, housing], log=ThemeLog.SIN, actor=business_unit)
    case_log_themes(case=case, themes=[voice.pk], log=ThemeLog.RAPID_REVIEW, actor=business_unit)
    first = CaseTheme.objects.get(case=case, theme=neglect).recorded_at
    events = CaseEvent.objects.filter(case=case).count()
    case_log_themes(case=case, themes=[neglect, housing], log=ThemeLog.SIN, actor=business_unit)
    assert CaseEvent.objects.filter(case=case).count() == events  # nothing changed, nothing recorded
    assert CaseTheme.objects.get(case=case, theme=neglect).recorded_at == first
    case_log_themes(case=case, themes=[neglect], log=ThemeLog.SIN, actor=business_unit, source="Panel")
    assert set(CaseTheme.objects.filter(case=case).values_list("theme__name", "log")) == {
        ("Neglect", "sin"), ("The voice of the child", "rapid_review")}


def test_logging_into_an_unknown_log_is_refused(business_unit):
    with pytest.raises(DomainError):
        case_log_themes(case=CaseFactory(), themes=[], log="elsewhere", actor=business_unit)


def test_recurrence_counts_other_cases_in_the_last_24_months_and_links_only_visible_ones(business_unit):
    neglect, housing = theme("Neglect"), theme("Housing")
    case = CaseFactory()
    case_log_themes(case=case, themes=[neglect, housing], log=ThemeLog.RAPID_REVIEW, actor=business_unit)
    recent = [CaseFactory() for _ in range(3)]
    for other in recent:
        case_log_themes(case=other, themes=[neglect], log=ThemeLog.SIN, actor=business_unit)
    old = CaseFactory()
    case_log_themes(case=old, themes=[neglect, housing], log=ThemeLog.RAPID_REVIEW, actor=business_unit,
                    recorded_at=timezone.now() - relativedelta(months=25))

    rows = recurrence(case=case, user=business_unit)
    assert [(r["theme"].name, r["count"]) for r in rows] == [("Neglect", 3), ("Housing", 0)]
    assert set(rows[0]["cases"]) == set(recent)

    stranger = make_user(Role.AGENCY_LEAD)
    rows = recurrence(case=case, user=stranger)
    assert rows[0]["count"] == 3 and rows[0]["cases"] == []


def test_recurrence_runs_in_three_queries(business_unit, django_assert_num_queries):
    case = CaseFactory()
    case_log_themes(case=case, themes=list(Theme.objects.filter(partnership=case.partnership)[:6]),
                    log=ThemeLog.RAPID_REVIEW,
                    actor=business_unit)
    for _ in range(4):
        case_log_themes(case=CaseFactory(), themes=list(Theme.objects.filter(partnership=case.partnership)[:6]),
                        log=ThemeLog.SIN,
                        actor=business_unit)
    user = make_user(Role.RR_CHAIR)
    user.role_names  # noqa: B018 - load roles first
    with django_assert_num_queries(3):  # the case's themes, the most recent cases with counts, which are visible
        recurrence(case=case, user=user)


def test_recurrence_counts_every_other_case_and_lists_the_most_recent_few(business_unit):
    import time_machine

    case = CaseFactory()
    neglect = theme("Neglect")
    case_log_themes(case=case, themes=[neglect], log=ThemeLog.RAPID_REVIEW, actor=business_unit)
    others = []
    for day in range(1, 6):
        with time_machine.travel(f"2026-0{day}-10 09:00"):
            other = CaseFactory(reference=f"LG-{day}")
            case_log_themes(case=other, themes=[neglect], log=ThemeLog.SIN, actor=business_unit)
            others.append(other)
    case_log_themes(case=others[0], themes=[neglect], log=ThemeLog.RAPID_REVIEW, actor=business_unit)  # counted once
    [row] = recurrence(case=case, user=business_unit, listed=1)
    assert row["count"] == 5
    # listed=1 takes up to three candidates, the most recent first (LG-1 was logged again today, after the others).
    assert [c.reference for c in row["cases"]] == ["LG-1"]


def test_recurrence_include_renders_the_sentence(client, business_unit):
    from django.template.loader import render_to_string

    case, other = CaseFactory(), CaseFactory(reference="LG-OTHER")
    for c in (case, other):
        case_log_themes(case=c, themes=[theme("Neglect")], log=ThemeLog.RAPID_REVIEW, actor=business_unit)
    html = render_to_string("themes/_recurrence.html", {"recurrence": recurrence(case=case, user=business_unit)})
    assert "Recorded on 1 other case since" in html and "(in either themes log)" in html and "LG-OTHER" in html


def test_theme_report_counts_by_period_and_agency(business_unit):
    police, health = AgencyFactory(name="Police R"), AgencyFactory(name="Health R")
    a, b = CaseFactory(), CaseFactory()
    a.involved_agencies.add(police, health)
    b.involved_agencies.add(police)
    case_log_themes(case=a, themes=[theme("Neglect")], log=ThemeLog.RAPID_REVIEW, actor=business_unit,
                    recorded_at=timezone.make_aware(datetime.datetime(2025, 2, 1)))
    case_log_themes(case=b, themes=[theme("Neglect"), theme("Housing")], log=ThemeLog.SIN, actor=business_unit,
                    recorded_at=timezone.make_aware(datetime.datetime(2026, 5, 1)))
    report = theme_report(partnership=default_partnership(), by="year")
    assert report["periods"] == ["2025", "2026"]
    neglect = next(r for r in report["themes"] if r["theme"].name == "Neglect")
    assert neglect["total"] == 2 and neglect["by_period"] == [1, 1]
    by_agency = next(r for r in report["by_agency"] if r["theme"].name == "Neglect")
    assert dict(zip(report["agencies"], by_agency["counts"], strict=True)) == {"Health R": 1, "Police R": 2}
    assert theme_report(partnership=default_partnership(), by="quarter", log=ThemeLog.SIN)["periods"] == ["2026 Q2"]


def test_business_unit_adds_edits_and_deactivates_themes(client, business_unit):
    client.force_login(business_unit)
    assert client.post(reverse("themes:create"), {"name": "Private fostering", "is_active": "on"}).status_code == 302
    t = theme("Private fostering")
    response = client.post(reverse("themes:create"), {"name": "private fostering"})
    assert "already a theme" in response.content.decode()
    client.post(reverse("themes:edit", args=[t.pk]), {"name": "Private fostering arrangements", "is_active": "on"})
    client.post(reverse("themes:toggle", args=[t.pk]))
    t.refresh_from_db()
    assert t.name == "Private fostering arrangements" and not t.is_active
    assert client.get(reverse("themes:toggle", args=[t.pk])).status_code == 405


def test_chair_sees_themes_but_cannot_change_them_and_others_are_refused(client):
    t = theme_create(partnership=default_partnership(), name="Test theme")
    client.force_login(make_user(Role.RR_CHAIR))
    assert client.get(reverse("themes:list")).status_code == 200
    assert client.post(reverse("themes:toggle", args=[t.pk])).status_code == 403
    client.force_login(make_user(Role.AGENCY_LEAD))
    assert client.get(reverse("themes:list")).status_code == 403
    assert client.get(reverse("themes:report")).status_code == 403


def test_log_pages_show_cases_in_a_constant_number_of_queries(client, business_unit, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for _ in range(n):
            case_log_themes(case=CaseFactory(), themes=[theme("Neglect"), theme("Housing")], log=ThemeLog.SIN,
                            actor=business_unit)

    add(2)
    client.force_login(business_unit)
    url = reverse("themes:log", args=["sin"])
    client.get(url)
    with CaptureQueriesContext(connection) as at_two:
        client.get(url)
    add(20)
    with django_assert_num_queries(len(at_two.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("govuk-tag--blue") == 44
    assert client.get(reverse("themes:log", args=["rapid_review"])).status_code == 200
    assert client.get(reverse("themes:log", args=["nowhere"])).status_code == 404


def test_report_page_has_accessible_charts_with_tables_and_a_csv(client, business_unit):
    import csv
    import io

    case = CaseFactory()
    case.involved_agencies.add(AgencyFactory(name="Police C"))
    case_log_themes(case=case, themes=[theme("Online harm")], log=ThemeLog.RAPID_REVIEW, actor=business_unit)
    client.force_login(business_unit)
    body = client.get(reverse("themes:report"), {"by": "quarter"}).content.decode()
    assert 'role="img"' in body and "<title id=\"chart-themes-title\">" in body and "aria-labelledby" in body
    assert "<desc" in body and "Cases by theme and period" in body and "Online harm" in body
    rows = list(csv.reader(io.StringIO(client.get(reverse("themes:report_csv")).content.decode("utf-8-sig"))))
    assert rows[0] == ["Breakdown", "Theme", "Period or agency", "Cases"]
    assert ["By agency", "Online harm", "Police C", "1"] in rows


def test_business_unit_records_a_cases_themes_from_the_case(client, business_unit):
    case = CaseFactory()
    client.force_login(business_unit)
    url = reverse("themes:case_record", args=[case.pk, "sin"])
    response = client.post(url, {"themes": [theme("Neglect").pk, theme("Housing").pk], "source": "Threshold"})
    assert response.status_code == 302
    assert CaseTheme.objects.filter(case=case, log="sin").count() == 2
    client.force_login(make_user(Role.AGENCY_LEAD))
    assert client.get(url).status_code == 403


def test_the_themes_list_counts_each_case_once_whichever_logs_recorded_the_theme(client, business_unit):
    neglect = theme("Neglect")
    first, second = CaseFactory(), CaseFactory()
    case_log_themes(case=first, themes=[neglect], log=ThemeLog.SIN, actor=business_unit)
    case_log_themes(case=first, themes=[neglect], log=ThemeLog.RAPID_REVIEW, actor=business_unit)
    case_log_themes(case=second, themes=[neglect], log=ThemeLog.SIN, actor=business_unit)
    client.force_login(business_unit)
    body = client.get(reverse("themes:list")).content.decode()
    row = body[body.index(">Neglect<"):]
    row = row[:row.index("</tr>")]
    assert 'govuk-table__cell--numeric">2</td>' in row
