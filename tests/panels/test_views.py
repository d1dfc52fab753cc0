"""The panel pages in the browser's terms: who may open them, what they do, and bad input."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from panels import services
from panels.models import Panel, PanelState
from rapidreview.accounts.models import Role, RoleAssignment
from rapidreview.notifications.models import Notification
from tests.factories import make_user

from .factories import PanelCaseFactory as CaseFactory
from .factories import make_member


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


@pytest.fixture
def bu_client(client, bu):
    client.force_login(bu)
    return client


@pytest.mark.parametrize("name", ["panels:calendar", "panels:members", "panels:member_add", "panels:conflicts",
                                  "panels:liaison"])
def test_an_agency_lead_cannot_open_business_unit_pages(client, db, name):
    client.force_login(make_user(Role.AGENCY_LEAD))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ["panels:set_up", "panels:schedule", "panels:attendance", "panels:agenda",
                                  "panels:held", "panels:cancel"])
def test_a_panel_member_cannot_run_the_panel(client, scheduled, members, name):
    client.force_login(members["police"])
    assert client.get(reverse(name, args=[scheduled.case_id])).status_code == 403


def test_sending_invitations_needs_a_post(bu_client, scheduled):
    assert bu_client.get(reverse("panels:send_invitations", args=[scheduled.case_id])).status_code == 405


def test_ending_a_membership_needs_a_post(bu_client, members):
    assignment = RoleAssignment.objects.get(user=members["police"], role=Role.PANEL_MEMBER)
    assert bu_client.get(reverse("panels:member_end", args=[assignment.pk])).status_code == 405


def test_the_calendar_needs_a_get(bu_client, db):
    assert bu_client.post(reverse("panels:calendar")).status_code == 405


def test_the_business_unit_sets_up_and_schedules_a_panel_in_the_browser(bu_client, case, members, sending):
    case.involved_agencies.add(members["housing_agency"])
    page = bu_client.get(reverse("panels:set_up", args=[case.pk]))
    assert page.status_code == 200
    assert 'checked' in page.content.decode().split("Hugo Housing")[0].rsplit("<input", 1)[1]
    response = bu_client.post(reverse("panels:set_up", args=[case.pk]), {"invitees": [str(members["housing"].pk)]})
    assert response.status_code == 302
    panel = Panel.objects.get(case=case)
    assert panel.invitations.count() == 5
    response = bu_client.post(reverse("panels:schedule", args=[case.pk]), {
        "meeting_date_0": "12", "meeting_date_1": "3", "meeting_date_2": "2026", "start_time": "10:00",
        "duration_minutes": "120", "venue": "Town Hall, Room 1", "online_link": "", "override_reason": ""})
    assert response.status_code == 302, response.content.decode()
    panel.refresh_from_db()
    assert panel.state == PanelState.SCHEDULED and panel.venue == "Town Hall, Room 1"
    with sending():
        bu_client.post(reverse("panels:send_invitations", args=[case.pk]))
    assert Notification.objects.filter(kind="panels.invitation").count() == 5
    page = bu_client.get(reverse("panels:panel", args=[case.pk])).content.decode()
    assert "Thursday 12 March 2026 at 10am" in page


def test_a_date_past_the_limit_shows_an_error_and_keeps_what_was_typed(bu_client, panel):
    response = bu_client.post(reverse("panels:schedule", args=[panel.case_id]), {
        "meeting_date_0": "20", "meeting_date_1": "3", "meeting_date_2": "2026", "start_time": "10:00",
        "duration_minutes": "120", "venue": "The Old Library", "online_link": "", "override_reason": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "on or before 16 March 2026" in page
    assert "The Old Library" in page


def test_nonsense_in_the_schedule_form_gives_errors_not_a_crash(bu_client, panel):
    response = bu_client.post(reverse("panels:schedule", args=[panel.case_id]), {
        "meeting_date_0": "31", "meeting_date_1": "2", "meeting_date_2": "abc", "start_time": "25:99",
        "duration_minutes": "7", "venue": "", "online_link": "not a link"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_a_panel_next_to_another_is_refused_in_the_browser_with_no_tick_box(bu_client, scheduled, bu):
    other = services.panel_set_up(case=CaseFactory(sin_notified_on=datetime.date(2026, 3, 2)), invitee_ids=[],
                                  actor=bu)
    url = reverse("panels:schedule", args=[other.case_id])
    page = bu_client.get(url).content.decode()
    assert "confirm_spacing" not in page
    data = {"meeting_date_0": "13", "meeting_date_1": "3", "meeting_date_2": "2026", "start_time": "10:00",
            "duration_minutes": "120", "venue": "Town Hall"}
    for extra in ({}, {"confirm_spacing": "on", "confirm_spacing_shown": "1"}):
        response = bu_client.post(url, {**data, **extra})
        assert response.status_code == 200
        page = response.content.decode()
        assert "govuk-error-summary" in page
        assert "never held back-to-back" in page
        other.refresh_from_db()
        assert other.state == PanelState.SETTING_UP
        assert other.meeting_date is None


def test_the_business_unit_records_attendance_in_the_browser(bu_client, bu, scheduled, traveller):
    traveller.move_to(datetime.datetime(2026, 3, 12, 14, tzinfo=datetime.UTC))
    bu_client.force_login(bu)  # a new day, a new sign-in
    data = {f"{inv.pk}-attendance": "present" for inv in scheduled.invitations.all()}
    police = scheduled.invitations.get(user__full_name="Pete Police")
    data[f"{police.pk}-attendance"] = "substitute"
    response = bu_client.post(reverse("panels:attendance", args=[scheduled.case_id]), data)
    assert response.status_code == 200
    assert "Name the substitute for Pete Police" in response.content.decode()
    data[f"{police.pk}-substitute_name"] = "DS Stand-in"
    assert bu_client.post(reverse("panels:attendance", args=[scheduled.case_id]), data).status_code == 302
    assert bu_client.post(reverse("panels:held", args=[scheduled.case_id]), {"notes": ""}).status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.state == PanelState.HELD


def test_an_invited_member_sees_the_panel_page(client, scheduled, members):
    client.force_login(members["housing"])
    page = client.get(reverse("panels:panel", args=[scheduled.case_id]))
    assert page.status_code == 200
    assert "Declare a conflict of interest" in page.content.decode()


def test_a_panel_member_not_invited_gets_not_found(client, scheduled):
    client.force_login(make_member(full_name="Outside Member"))
    assert client.get(reverse("panels:panel", args=[scheduled.case_id])).status_code == 404


def test_a_conflicted_member_gets_not_found_on_the_panel_and_case_pages(client, scheduled, members):
    client.force_login(members["housing"])
    response = client.post(reverse("panels:conflict_declare_case", args=[scheduled.case_id]),
                           {"nature": "My neighbour", "implications": "Cannot be impartial"})
    assert response.status_code == 302
    assert client.get(reverse("panels:panel", args=[scheduled.case_id])).status_code == 404
    try:
        case_url = reverse("referrals:case_detail", args=[scheduled.case_id])
    except NoReverseMatch:
        return
    assert client.get(case_url).status_code == 404


def test_a_member_declares_a_conflict_by_case_reference(client, scheduled, members):
    client.force_login(members["health"])
    response = client.post(reverse("panels:conflict_declare"), {"reference": "nope", "nature": "x",
                                                                "implications": "y"})
    assert "Enter the reference of a case whose panel you sit on" in response.content.decode()
    response = client.post(reverse("panels:conflict_declare"), {
        "reference": scheduled.case.reference.lower(), "nature": "x", "implications": "y"})
    assert response.status_code == 302
    assert scheduled.case.conflicts.get().user == members["health"]


def test_the_membership_register_lists_core_and_case_by_case_members(bu_client, members):
    page = bu_client.get(reverse("panels:members")).content.decode()
    core, case_by_case = page.split("Case-by-case members")
    assert "Pete Police" in core and "Hugo Housing" in case_by_case
    assert "Non-voting" in core


def test_the_business_unit_adds_changes_and_ends_a_membership(bu_client, db, members):
    person = make_user(Role.AGENCY_LEAD, full_name="Nadia New")  # a person of the partnership
    response = bu_client.post(reverse("panels:member_add"), {
        "user": str(person.pk), "title": "Named GP", "statutory_partner": "health", "core": "yes", "voting": "yes",
        "starts_on_0": "1", "starts_on_1": "3", "starts_on_2": "2026"})
    assert response.status_code == 302, response.content.decode()
    assignment = RoleAssignment.objects.get(user=person, role=Role.PANEL_MEMBER)
    assert assignment.voting and assignment.core and assignment.title == "Named GP"
    response = bu_client.post(reverse("panels:member_edit", args=[assignment.pk]), {
        "title": "Named GP", "statutory_partner": "health", "core": "yes", "voting": "no",
        "substitute": str(members["health"].pk), "starts_on_0": "1", "starts_on_1": "3", "starts_on_2": "2026"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert not assignment.voting and assignment.substitute == members["health"]
    assert bu_client.post(reverse("panels:member_end", args=[assignment.pk])).status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on is not None


def test_the_membership_register_takes_the_same_number_of_queries_for_many_members(
        bu_client, db, django_assert_num_queries):
    for _ in range(2):
        make_member()
    bu_client.get(reverse("panels:members"))
    few = _count(bu_client, reverse("panels:members"))
    for _ in range(15):
        make_member()
    with django_assert_num_queries(few):
        bu_client.get(reverse("panels:members"))


def test_the_calendar_takes_the_same_number_of_queries_for_many_panels(
        bu_client, members, bu, traveller, django_assert_num_queries):
    def add_panels(days):
        for day in days:
            case = CaseFactory(sin_notified_on=datetime.date(2026, 3, 2))
            panel = services.panel_set_up(case=case, invitee_ids=[], actor=bu)
            services.panel_schedule(panel=panel, meeting_at=datetime.datetime(2026, 3, day, 10,
                                                                              tzinfo=datetime.UTC),
                                    actor=bu, venue="Town Hall", override_reason="Agreed")

    add_panels([3, 5])
    bu_client.get(reverse("panels:calendar"))
    few = _count(bu_client, reverse("panels:calendar"))
    add_panels([9, 11, 13, 17, 19])
    with django_assert_num_queries(few):
        bu_client.get(reverse("panels:calendar"))


def test_quorum_is_not_judged_before_attendance_is_recorded(bu_client, scheduled):
    page = bu_client.get(reverse("panels:panel", args=[scheduled.case_id])).content.decode()
    assert "Not quorate" not in page


def test_the_panel_page_is_logged_as_a_view_of_the_case(bu_client, scheduled):
    from rapidreview.audit.models import AccessLog

    bu_client.get(reverse("panels:panel", args=[scheduled.case_id]))
    assert AccessLog.objects.filter(case_id=scheduled.case_id, object_type="panels.panel").count() == 1


def test_the_panel_page_shows_where_the_cases_themes_recur(bu_client, panel, bu):
    from referrals.models import Stage
    from themes.models import Theme, ThemeLog
    from themes.services import case_log_themes

    theme = Theme.objects.get(name__iexact="Domestic abuse")
    earlier = CaseFactory(stage=Stage.CLOSED)
    case_log_themes(case=earlier, themes=[theme], log=ThemeLog.RAPID_REVIEW, actor=bu)
    case_log_themes(case=panel.case, themes=[theme], log=ThemeLog.SIN, actor=bu)
    page = bu_client.get(reverse("panels:panel", args=[panel.case_id])).content.decode()
    assert "Themes and where they recur" in page
    assert "Recorded on 1 other case since" in page and earlier.reference in page


def test_sending_the_agenda_says_how_many_got_it_and_why_it_could_not(bu_client, scheduled, bu):
    url = reverse("panels:agenda_send", args=[scheduled.case_id])
    page = bu_client.post(url, follow=True).content.decode()
    assert "Write the agenda" in page  # nothing to send yet: the service's reason, not a server error
    services.panel_agenda_save(panel=scheduled, agenda="1. Welcome", actor=bu)
    assert "Agenda sent to 5 people." in bu_client.post(url, follow=True).content.decode()
    assert "Everyone invited already has this version of the agenda." in bu_client.post(
        url, follow=True).content.decode()
