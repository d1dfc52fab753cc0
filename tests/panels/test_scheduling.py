"""The scheduling rules: working-day limit with override, never the same day, never on consecutive working days."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from panels import selectors, services
from panels.models import Panel, PanelState
from rapidreview.clocks.models import NonWorkingDay
from rapidreview.db import DomainError
from referrals.models import Stage
from tests.factories import default_partnership

from .conftest import LONDON, at
from .factories import PanelCaseFactory as CaseFactory

D = datetime.date


def _panel_for(other_case, bu):
    return services.panel_set_up(case=other_case, invitee_ids=[], actor=bu)


def test_deadline_is_working_day_ten_after_the_notification(case, panel):
    assert selectors.meeting_deadline(case) == D(2026, 3, 16)


def test_meeting_on_working_day_ten_is_allowed(panel, bu):
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 16)), actor=bu, venue="Town Hall")
    panel.refresh_from_db()
    assert panel.state == PanelState.SCHEDULED
    assert panel.meeting_date == D(2026, 3, 16)
    assert panel.deadline_override_reason == ""


def test_meeting_after_working_day_ten_is_refused_without_a_reason(panel, bu):
    with pytest.raises(DomainError, match="on or before 16 March 2026"):
        services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 17)), actor=bu, venue="Town Hall")
    panel.refresh_from_db()
    assert panel.state == PanelState.SETTING_UP


def test_meeting_after_the_limit_is_allowed_with_a_recorded_override(case, panel, bu):
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 17)), actor=bu, venue="Town Hall",
                            override_reason="Police lead on leave; agreed with the chair")
    panel.refresh_from_db()
    assert panel.deadline_override_reason == "Police lead on leave; agreed with the chair"
    assert case.events.filter(note__contains="Police lead on leave").exists()


def test_the_limit_skips_easter_bank_holidays(members, bu):
    with time_machine.travel(datetime.datetime(2026, 3, 30, 9, tzinfo=LONDON), tick=False):
        case = CaseFactory(sin_notified_on=D(2026, 3, 30))
        panel = services.panel_set_up(case=case, invitee_ids=[], actor=bu)
        assert selectors.meeting_deadline(case) == D(2026, 4, 15)
        services.panel_schedule(panel=panel, meeting_at=at(D(2026, 4, 15)), actor=bu, venue="Town Hall")
        with pytest.raises(DomainError, match="on or before 15 April 2026"):
            services.panel_schedule(panel=panel, meeting_at=at(D(2026, 4, 16)), actor=bu, venue="Town Hall")


def test_a_closure_day_entered_by_the_business_unit_moves_the_limit(traveller, members, bu):
    NonWorkingDay.objects.create(partnership=default_partnership(), date=D(2026, 3, 10), reason="Office move")
    case = CaseFactory(sin_notified_on=D(2026, 3, 2))
    services.panel_set_up(case=case, invitee_ids=[], actor=bu)
    assert selectors.meeting_deadline(case) == D(2026, 3, 17)


def test_a_meeting_on_a_bank_holiday_is_refused(members, bu):
    with time_machine.travel(datetime.datetime(2026, 3, 30, 9, tzinfo=LONDON), tick=False):
        case = CaseFactory(sin_notified_on=D(2026, 3, 30))
        panel = services.panel_set_up(case=case, invitee_ids=[], actor=bu)
        with pytest.raises(DomainError, match="not a working day"):
            services.panel_schedule(panel=panel, meeting_at=at(D(2026, 4, 6)), actor=bu, venue="Town Hall")


def test_a_meeting_on_a_saturday_is_refused(panel, bu):
    with pytest.raises(DomainError, match="not a working day"):
        services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 7)), actor=bu, venue="Town Hall")


def test_a_meeting_in_the_past_is_refused(panel, bu):
    with pytest.raises(DomainError, match="future"):
        services.panel_schedule(panel=panel, meeting_at=datetime.datetime(2026, 3, 2, 8, tzinfo=LONDON), actor=bu,
                                venue="Town Hall")


def test_a_venue_or_a_link_is_required(panel, bu):
    with pytest.raises(DomainError, match="venue or an online"):
        services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 12)), actor=bu)


def test_two_panels_for_different_cases_on_the_same_day_are_refused(panel, bu, traveller):
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 12), 10), actor=bu, venue="Town Hall")
    other = _panel_for(CaseFactory(sin_notified_on=D(2026, 3, 2)), bu)
    with pytest.raises(DomainError, match=f"{panel.case.reference} is already on 12 March 2026"):
        services.panel_schedule(panel=other, meeting_at=at(D(2026, 3, 12), 15), actor=bu, venue="Room 2")


def test_a_cancelled_panel_frees_its_day(panel, bu):
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 12)), actor=bu, venue="Town Hall")
    services.panel_cancel(panel=panel, actor=bu)
    other = _panel_for(CaseFactory(sin_notified_on=D(2026, 3, 2)), bu)
    services.panel_schedule(panel=other, meeting_at=at(D(2026, 3, 12)), actor=bu, venue="Town Hall")
    other.refresh_from_db()
    assert other.state == PanelState.SCHEDULED


def test_the_database_refuses_a_second_panel_on_the_same_day_even_in_a_race(panel, bu):
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 12)), actor=bu, venue="Town Hall")
    other = _panel_for(CaseFactory(sin_notified_on=D(2026, 3, 2)), bu)
    # Bypass the service's check, as a second request would if it read before the first one committed.
    with pytest.raises(IntegrityError), transaction.atomic():
        Panel.objects.filter(pk=other.pk).update(state=PanelState.SCHEDULED, meeting_date=D(2026, 3, 12),
                                                 meeting_at=at(D(2026, 3, 12), 14))


def test_moving_a_panel_within_its_own_day_is_allowed(panel, bu):
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 12), 10), actor=bu, venue="Town Hall")
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 12), 14), actor=bu, venue="Town Hall")
    panel.refresh_from_db()
    assert panel.meeting_at.astimezone(LONDON).hour == 14


@pytest.mark.parametrize("other_day", [D(2026, 3, 11), D(2026, 3, 13)])
def test_a_panel_on_the_working_day_before_or_after_another_is_refused(panel, bu, other_day):
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 12)), actor=bu, venue="Town Hall")
    other = _panel_for(CaseFactory(sin_notified_on=D(2026, 3, 2)), bu)
    with pytest.raises(DomainError, match="never held back-to-back"):
        services.panel_schedule(panel=other, meeting_at=at(other_day), actor=bu, venue="Town Hall")
    other.refresh_from_db()
    assert other.state == PanelState.SETTING_UP
    assert other.meeting_date is None


def test_friday_and_the_following_monday_count_as_consecutive_working_days(panel, bu):
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 13)), actor=bu, venue="Town Hall")
    other = _panel_for(CaseFactory(sin_notified_on=D(2026, 3, 2)), bu)
    with pytest.raises(DomainError, match="back-to-back"):
        services.panel_schedule(panel=other, meeting_at=at(D(2026, 3, 16)), actor=bu, venue="Town Hall")


def test_moving_a_scheduled_panel_next_to_another_is_refused_and_keeps_its_date(panel, bu):
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 12)), actor=bu, venue="Town Hall")
    other = _panel_for(CaseFactory(sin_notified_on=D(2026, 3, 2)), bu)
    services.panel_schedule(panel=other, meeting_at=at(D(2026, 3, 10)), actor=bu, venue="Town Hall")
    with pytest.raises(DomainError, match="back-to-back"):
        services.panel_schedule(panel=other, meeting_at=at(D(2026, 3, 11)), actor=bu, venue="Town Hall")
    other.refresh_from_db()
    assert other.meeting_date == D(2026, 3, 10)


def test_two_working_days_apart_needs_no_confirmation(panel, bu):
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 10)), actor=bu, venue="Town Hall")
    other = _panel_for(CaseFactory(sin_notified_on=D(2026, 3, 2)), bu)
    services.panel_schedule(panel=other, meeting_at=at(D(2026, 3, 12)), actor=bu, venue="Town Hall")
    other.refresh_from_db()
    assert other.state == PanelState.SCHEDULED


def test_scheduling_is_refused_at_the_wrong_stage(case, panel, bu):
    case.stage = Stage.DECISION
    case.save()
    with pytest.raises(DomainError, match="cannot be done while the case is at"):
        services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 12)), actor=bu, venue="Town Hall")


def test_setting_up_a_panel_is_refused_before_the_notification(members, bu, traveller):
    case = CaseFactory(stage=Stage.THRESHOLD, sin_notified_on=None)
    with pytest.raises(DomainError):
        services.panel_set_up(case=case, invitee_ids=[], actor=bu)
    assert not Panel.objects.filter(case=case).exists()


def test_a_held_panel_cannot_be_rescheduled(scheduled, bu):
    Panel.objects.filter(pk=scheduled.pk).update(state=PanelState.HELD)
    scheduled.refresh_from_db()
    with pytest.raises(DomainError, match="already met"):
        services.panel_schedule(panel=scheduled, meeting_at=at(D(2026, 3, 13)), actor=bu, venue="Town Hall")


def test_set_up_invites_the_core_members_and_the_chosen_case_by_case_people(panel, members):
    invited = set(panel.invitations.values_list("user__full_name", flat=True))
    assert invited == {"Laura Authority", "Harriet Health", "Pete Police", "Nora Nonvoting", "Hugo Housing"}
    housing = panel.invitations.get(user=members["housing"])
    assert (housing.core, housing.voting, housing.seat) == (False, True, "Housing")
    assert panel.invitations.get(user=members["la"]).is_chair


def test_the_referrals_list_of_agencies_preselects_case_by_case_invitees(case, members):
    case.involved_agencies.add(members["housing_agency"])
    rows = services.invitee_choices(case)
    assert [(r["user"].full_name, r["involved"]) for r in rows] == [("Hugo Housing", True)]
    assert list(selectors.invited_agencies(case)) == [members["housing_agency"]]


def test_unticking_a_case_by_case_invitee_after_invitations_sends_them_a_cancellation(scheduled, members, bu):
    from rapidreview.notifications.models import Notification

    services.panel_set_up(case=scheduled.case, invitee_ids=[], actor=bu)
    assert not scheduled.invitations.filter(user=members["housing"]).exists()
    assert Notification.objects.filter(kind="panels.cancellation", recipient=members["housing"]).count() == 1
