"""Themes, logs, recurrence, learning and statistics are each partnership's own (issue 18, ADR 0015).

Partnership A is the tests' ``default_partnership()``; B is another partnership on the same installation, with its
own business unit. B's people see none of A's themes, logs, learning or figures, and what A counts is A's alone.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.models import Partnership, Role
from rapidreview.accounts.signals import partnership_created
from rapidreview.db import DomainError
from referrals.models import CaseEvent, CaseParticipation, Stage
from tests.factories import AgencyFactory, default_partnership, make_partnership, make_user
from tests.forms_as_rendered import accepted, page_form
from tests.pdfs import pdf_text
from tests.themes.factories import CaseFactory
from themes import statistics
from themes.learning import learning_create
from themes.models import CaseTheme, LearningItem, LearningKind, Theme, ThemeLog
from themes.selectors import recurrence
from themes.services import case_log_themes, theme_create
from themes.standard import STANDARD_THEMES
from themes.statistics import annual_statistics, register_figure

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def a():
    return default_partnership()


@pytest.fixture
def b():
    """Another partnership, made as the installation's administrator makes one: the signal gives it its list."""
    partnership = make_partnership("Borough B Safeguarding Children Partnership", slug="borough-b", short_name="BBSCP")
    partnership_created.send(sender=Partnership, partnership=partnership, actor=None)
    return partnership


@pytest.fixture
def b_unit(b):
    return make_user(Role.BUSINESS_UNIT, partnership=b, full_name="Bo Borough")


def theme(partnership, name):
    return Theme.objects.get(partnership=partnership, name=name)


def test_the_seeded_standard_themes_belong_to_the_installations_first_partnership(a):
    """Migration 0002 seeded the list before partnerships existed; 0005 gave it to the one partnership."""
    assert not Theme.objects.filter(partnership__isnull=True).exists()
    assert list(Theme.objects.filter(partnership=a).order_by("name").values_list("name", flat=True)) == sorted(
        STANDARD_THEMES)


def test_a_new_partnership_starts_with_the_standard_list_and_keeps_its_own(a, b):
    assert set(Theme.objects.filter(partnership=b).values_list("name", flat=True)) == set(STANDARD_THEMES)
    partnership_created.send(sender=Partnership, partnership=b, actor=None)  # sent twice: nothing doubled
    assert Theme.objects.filter(partnership=b).count() == len(STANDARD_THEMES)
    theme_create(partnership=b, name="Private fostering")
    theme_create(partnership=a, name="Private fostering")  # the same name on another list is that list's business
    with pytest.raises(DomainError, match="already a theme"):
        theme_create(partnership=b, name="private fostering")
    assert theme(a, "Neglect").pk != theme(b, "Neglect").pk


def test_bs_business_unit_sees_and_changes_none_of_as_themes(client, a, b_unit, business_unit):
    client.force_login(business_unit)
    accepted(page_form(client, reverse("themes:create")).fill(name="A's own theme").submit())
    assert "A&#x27;s own theme" in client.get(reverse("themes:list")).content.decode()
    mine = theme(a, "A's own theme")
    client.force_login(b_unit)
    body = client.get(reverse("themes:list")).content.decode()
    assert "A&#x27;s own theme" not in body and "A's own theme" not in body and "Neglect" in body
    assert client.get(reverse("themes:edit", args=[mine.pk])).status_code == 404
    assert client.post(reverse("themes:edit", args=[mine.pk]), {"name": "Taken", "is_active": "on"}).status_code == 404
    assert client.post(reverse("themes:toggle", args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.name == "A's own theme" and mine.is_active


def test_logs_and_the_report_hold_only_the_partnerships_own_cases(client, a, b, b_unit, business_unit):
    a_case = CaseFactory(reference="A-CASE-1")
    a_case.involved_agencies.add(AgencyFactory(name="A Police"))
    case_log_themes(case=a_case, themes=[theme(a, "Neglect")], log=ThemeLog.SIN, actor=business_unit)
    b_case = CaseFactory(reference="B-CASE-1", partnership=b)
    case_log_themes(case=b_case, themes=[theme(b, "Housing")], log=ThemeLog.SIN, actor=b_unit)
    client.force_login(b_unit)
    log = client.get(reverse("themes:log", args=["sin"])).content.decode()
    assert "B-CASE-1" in log and "A-CASE-1" not in log
    # Filtering by A's theme is no way in: it is not one of the choices, so the filter is ignored.
    assert "A-CASE-1" not in client.get(reverse("themes:log", args=["sin"]), {"theme": theme(a, "Neglect").pk}
                                        ).content.decode()
    report = client.get(reverse("themes:report")).content.decode()
    assert "Housing" in report and "Neglect" not in report
    rows = list(csv.reader(io.StringIO(client.get(reverse("themes:report_csv")).content.decode("utf-8-sig"))))
    assert {r[1] for r in rows[1:]} == {"Housing"} and not any("A Police" in r for r in rows)


def test_recurrence_counts_only_the_leading_partnerships_cases(a, b, b_unit, business_unit):
    case = CaseFactory()
    case_log_themes(case=case, themes=[theme(a, "Neglect")], log=ThemeLog.RAPID_REVIEW, actor=business_unit)
    case_log_themes(case=CaseFactory(), themes=[theme(a, "Neglect")], log=ThemeLog.SIN, actor=business_unit)
    for _ in range(3):
        case_log_themes(case=CaseFactory(partnership=b), themes=[theme(b, "Neglect")], log=ThemeLog.SIN,
                        actor=b_unit)
    [row] = recurrence(case=case, user=business_unit)
    assert (row["theme"].name, row["count"]) == ("Neglect", 1)
    # A page proposing themes by name (an agency check form under quality assurance) may pass another
    # partnership's themes of the same name: they are not the case's partnership's, so they count nothing.
    assert recurrence(case=case, user=business_unit,
                      themes=list(Theme.objects.filter(name="Neglect"))) == [row]


def test_a_case_is_given_only_its_leading_partnerships_themes(a, b, business_unit):
    case = CaseFactory()
    with pytest.raises(DomainError, match="not on the list"):
        case_log_themes(case=case, themes=[theme(b, "Neglect")], log=ThemeLog.SIN, actor=business_unit)
    assert not CaseTheme.objects.filter(case=case).exists()


def test_a_partnership_taking_part_reads_but_does_not_record_the_cases_themes(client, a, b, b_unit, business_unit):
    case = CaseFactory()
    CaseParticipation.objects.create(case=case, partnership=b, reason="The child lives in B.", added_by=business_unit)
    url = reverse("themes:case_record", args=[case.pk, "sin"])
    client.force_login(b_unit)
    assert client.get(url).status_code == 403
    assert client.post(url, {"themes": [theme(a, "Neglect").pk, theme(b, "Neglect").pk]}).status_code == 403
    assert not CaseTheme.objects.filter(case=case).exists()
    client.force_login(business_unit)
    accepted(page_form(client, url).fill(themes=[str(theme(a, "Neglect").pk)]).submit())
    assert CaseTheme.objects.filter(case=case, theme=theme(a, "Neglect")).exists()


def test_the_case_page_offers_the_leading_partnerships_themes_only(client, a, b, business_unit):
    form = page_form(client_as(client, business_unit), reverse("themes:case_record", args=[CaseFactory().pk, "sin"]))
    offered = {value for value, _label in form.controls["themes"].options}
    assert offered == {str(t.pk) for t in Theme.objects.filter(partnership=a, is_active=True)}


def client_as(client, user):
    client.force_login(user)
    return client


# Learning and bulletins


def test_learning_belongs_to_the_acting_partnership_and_is_invisible_to_others(client, a, b, b_unit, business_unit):
    client.force_login(business_unit)
    accepted(page_form(client, reverse("themes:learning_create", args=["bulletin"]))
             .fill(title="A's bulletin", body="Learning from A.").submit())
    item = LearningItem.objects.get(title="A's bulletin")
    assert item.partnership == a
    client.force_login(b_unit)
    assert "A&#x27;s bulletin" not in client.get(reverse("themes:learning")).content.decode()
    for name in ("learning_detail", "learning_edit", "bulletin_pdf"):
        assert client.get(reverse(f"themes:{name}", args=[item.pk])).status_code == 404, name
    assert client.post(reverse("themes:bulletin_send", args=[item.pk])).status_code == 404
    assert client.post(reverse("themes:learning_follow_up_done", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert not item.is_sent and item.title == "A's bulletin"


def test_someone_in_both_business_units_plans_learning_in_the_partnership_they_act_in(client, a, b):
    both = make_user(Role.BUSINESS_UNIT)
    make_user_role(both, b)
    client.force_login(both)
    client.get(reverse("themes:learning"), {"partnership": b.slug})  # the switch a link or the header makes
    when = timezone.localdate() + datetime.timedelta(days=9)
    # The page also shows the header's switcher, since this person works for two partnerships.
    accepted(page_form(client, reverse("themes:learning_create", args=["agency_visit"]), containing="title")
             .fill(title="Visit in B", date=when).submit())
    assert LearningItem.objects.get(title="Visit in B").partnership == b
    client.get(reverse("themes:learning"), {"partnership": a.slug})
    assert "Visit in B" not in client.get(reverse("themes:learning")).content.decode()


def make_user_role(user, partnership, role=Role.BUSINESS_UNIT):
    user.role_assignments.create(partnership=partnership, role=role,
                                 starts_on=timezone.localdate().replace(day=1))
    user.__dict__.pop("current_assignments", None)


def test_learning_cannot_be_planned_for_a_partnership_the_person_has_no_business_unit_role_in(b, business_unit):
    with pytest.raises(DomainError, match="Only the business unit"):
        learning_create(kind=LearningKind.CONFERENCE, actor=business_unit, partnership=b, title="Not mine",
                        date=timezone.localdate())
    assert not LearningItem.objects.exists()


# The annual statistics


def _moved(case, stage, year=YEAR):
    event = CaseEvent.objects.create(case=case, kind="stage", to_stage=stage, summary="moved")
    CaseEvent.objects.filter(pk=event.pk).update(at=timezone.make_aware(datetime.datetime(year, 5, 1, 12)))


def figures(stats, key):
    section = next(s for s in stats["sections"] if s["key"] == key)
    return {row["label"]: row["value"] for row in section["rows"]}


def test_statistics_count_the_cases_a_partnership_leads_and_show_those_it_takes_part_in_apart(a, b, business_unit):
    joint = CaseFactory(sin_notified_on=datetime.date(YEAR, 4, 1))
    _moved(joint, Stage.DECISION)
    CaseParticipation.objects.create(case=joint, partnership=b, reason="The child lives in B.",
                                     added_by=business_unit)
    CaseFactory(partnership=b, sin_notified_on=datetime.date(YEAR, 6, 1))
    in_a, in_b = annual_statistics(YEAR, partnership=a), annual_statistics(YEAR, partnership=b)
    assert figures(in_a, "funnel")["Serious Incident Notifications agreed"] == 1
    assert figures(in_a, "funnel")["Rapid reviews held"] == 1
    assert figures(in_a, "taking_part")["Serious Incident Notifications agreed"] == 0
    assert figures(in_b, "funnel")["Serious Incident Notifications agreed"] == 1  # its own case only
    assert figures(in_b, "funnel")["Rapid reviews held"] == 0
    assert figures(in_b, "taking_part") == {"Cases referred in the year": 0,
                                            "Serious Incident Notifications agreed": 1, "Rapid reviews held": 1,
                                            "Practice reviews commissioned": 0}


def test_a_figure_that_cannot_count_per_partnership_is_not_shown(a, monkeypatch):
    monkeypatch.setattr(statistics, "_figures", {})
    register_figure("cspr_published", lambda year: {"label": "Practice reviews published", "value": 99}, reads=())
    register_figure("extra", lambda year, partnership: {"label": f"Extra for {partnership.short_name}", "value": 1},
                    reads=())
    stats = annual_statistics(YEAR, partnership=a)
    assert figures(stats, "funnel")["Practice reviews published"] is None
    assert figures(stats, "other") == {"Extra for SCP": 1}


def test_the_statistics_pdf_names_the_partnership(client, b, b_unit):
    client.force_login(b_unit)
    page = client.get(reverse("themes:statistics"), {"year": YEAR}).content.decode()
    assert "Borough B Safeguarding Children Partnership" in page and "Taking part" in page
    response = client.get(reverse("themes:statistics_pdf"), {"year": YEAR})
    text = " ".join(pdf_text(response.content).split())
    assert "Borough B Safeguarding Children Partnership" in text and "The cases Borough B" in text
    assert "Taking part: cases another partnership leads" in text
