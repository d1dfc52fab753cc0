"""Attendance, quorum, recording the meeting, and conflicts of interest (access and vote)."""

import datetime

import pytest
import time_machine
from django.core import mail

from panels import selectors, services
from panels.models import Attendance, ConflictOfInterest, PanelState
from rapidreview.accounts.models import StatutoryPartner
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification
from referrals.models import Case, Stage
from referrals.selectors import visible_cases
from tests.factories import make_user

from .conftest import LONDON
from .factories import make_member

MEETING_DAY = datetime.datetime(2026, 3, 12, 13, 0, tzinfo=LONDON)
P, A, S = Attendance.PRESENT, Attendance.APOLOGIES, Attendance.SUBSTITUTE


def _record(panel, bu, **by_user):
    rows = {}
    for inv in panel.invitations.select_related("user"):
        attendance = by_user.get(inv.user.full_name.split()[0].lower(), (P, ""))
        rows[inv.pk] = attendance if isinstance(attendance, tuple) else (attendance, "")
    return services.panel_record_attendance(panel=panel, rows=rows, actor=bu)


@pytest.fixture
def meeting_day(traveller):
    traveller.move_to(MEETING_DAY)


def test_everyone_present_is_quorate(scheduled, bu, meeting_day):
    _record(scheduled, bu)
    status = selectors.quorum_status(scheduled)
    assert status.met and status.missing == []


def test_quorum_says_plainly_which_partner_is_missing(scheduled, bu, meeting_day):
    _record(scheduled, bu, pete=A)
    status = selectors.quorum_status(scheduled)
    assert not status.met
    assert status.missing == ["Police"]
    assert "No voting member is present for: Police." in status.message


def test_a_named_substitute_counts_for_the_member_they_represent(scheduled, bu, meeting_day):
    _record(scheduled, bu, pete=(S, "DS Sam Stand-in"))
    assert selectors.quorum_status(scheduled).met
    assert scheduled.invitations.get(substitute_name="DS Sam Stand-in").attendance == S


def test_a_substitute_must_be_named(scheduled, bu, meeting_day):
    with pytest.raises(DomainError, match="Name the substitute who represented Pete Police"):
        _record(scheduled, bu, pete=(S, " "))


def test_a_non_voting_member_does_not_make_quorum(scheduled, bu, meeting_day, members):
    _record(scheduled, bu, harriet=A)
    assert selectors.quorum_status(scheduled).missing == ["Health"]
    assert members["nonvoting"] not in selectors.voting_members_present(scheduled)


def test_attendance_cannot_be_recorded_before_the_meeting_day(scheduled, bu):
    with pytest.raises(DomainError, match="record attendance on or after that day"):
        _record(scheduled, bu)


def test_recording_the_meeting_as_held_meets_the_panel_meeting_clock(scheduled, bu, meeting_day):
    _record(scheduled, bu)
    services.panel_record_held(panel=scheduled, actor=bu, notes="All agencies presented")
    scheduled.refresh_from_db()
    assert scheduled.state == PanelState.HELD
    clock = Clock.objects.get(case_id=scheduled.case_id, kind=ClockKind.PANEL_MEETING)
    assert clock.state == ClockState.MET


def test_an_inquorate_meeting_cannot_be_recorded_as_held(scheduled, bu, meeting_day):
    _record(scheduled, bu, pete=A)
    with pytest.raises(DomainError, match="Police"):
        services.panel_record_held(panel=scheduled, actor=bu)
    assert Clock.objects.get(case_id=scheduled.case_id, kind=ClockKind.PANEL_MEETING).state == ClockState.RUNNING


def test_the_meeting_cannot_be_held_without_everyones_attendance(scheduled, bu, meeting_day):
    with pytest.raises(DomainError, match="Record attendance for everyone"):
        services.panel_record_held(panel=scheduled, actor=bu)


def test_recording_held_is_refused_at_the_wrong_stage(scheduled, bu, meeting_day):
    _record(scheduled, bu)
    Case.objects.filter(pk=scheduled.case_id).update(stage=Stage.CLOSED)
    scheduled.case.refresh_from_db()
    with pytest.raises(DomainError, match="cannot be done while the case is at"):
        services.panel_record_held(panel=scheduled, actor=bu)


# ---- conflicts ---------------------------------------------------------------------------------------------------

def test_a_conflicted_member_loses_access_to_the_case(scheduled, members, bu):
    police = members["police"]
    assert visible_cases(police).filter(pk=scheduled.case_id).exists()
    services.conflict_declare(case=scheduled.case, user=police, nature="Related to the family",
                              implications="Cannot take part", actor=police)
    assert not visible_cases(police).filter(pk=scheduled.case_id).exists()
    assert selectors.is_conflicted(police, scheduled.case)
    assert police not in selectors.case_panel_members(scheduled.case)


def test_a_conflicted_member_cannot_vote_and_does_not_count_for_quorum(scheduled, members, bu, meeting_day):
    _record(scheduled, bu)
    assert selectors.can_vote(members["police"], scheduled.case)
    services.conflict_declare(case=scheduled.case, user=members["police"], nature="Investigated the family",
                              implications="Not independent", actor=bu)
    assert not selectors.can_vote(members["police"], scheduled.case)
    assert members["police"] not in selectors.voting_members_present(scheduled)
    assert selectors.quorum_status(scheduled).missing == ["Police"]


def test_a_member_who_sent_apologies_cannot_vote(scheduled, members, bu, meeting_day):
    _record(scheduled, bu, harriet=A)
    assert not selectors.can_vote(members["health"], scheduled.case)
    assert selectors.can_vote(members["la"], scheduled.case)
    assert not selectors.can_vote(members["nonvoting"], scheduled.case)


def test_declaring_a_conflict_tells_the_business_unit_once(scheduled, members, bu, sending):
    with sending():
        services.conflict_declare(case=scheduled.case, user=members["health"], nature="Treated the mother",
                                  implications="Perceived bias", actor=members["health"])
    notes = Notification.objects.filter(kind="panels.conflict")
    assert notes.count() == 1 and notes.get().recipient == bu
    assert len([m for m in mail.outbox if m.to == [bu.email]]) == 1
    assert scheduled.case.child_first_name not in notes.get().body_text


def test_a_conflict_cannot_be_declared_twice(scheduled, members, bu):
    services.conflict_declare(case=scheduled.case, user=members["health"], nature="x", implications="y", actor=bu)
    with pytest.raises(DomainError, match="already recorded"):
        services.conflict_declare(case=scheduled.case, user=members["health"], nature="x", implications="y",
                                  actor=bu)


def test_a_conflict_cannot_be_declared_before_the_notification(members, bu, traveller):
    from .factories import PanelCaseFactory as CaseFactory

    case = CaseFactory(stage=Stage.THRESHOLD, sin_notified_on=None)
    with pytest.raises(DomainError):
        services.conflict_declare(case=case, user=members["health"], nature="x", implications="y", actor=bu)


def test_someone_who_is_not_a_panel_member_cannot_declare(scheduled, bu):
    outsider = make_user()
    with pytest.raises(DomainError, match="not a panel member"):
        services.conflict_declare(case=scheduled.case, user=outsider, nature="x", implications="y", actor=outsider)


def test_conflicted_members_are_not_sent_later_invitations(scheduled, members, bu, sending):
    services.conflict_declare(case=scheduled.case, user=members["health"], nature="x", implications="y", actor=bu)
    with sending():
        services.panel_schedule(panel=scheduled, meeting_at=datetime.datetime(2026, 3, 13, 10, tzinfo=LONDON),
                                actor=bu, venue="Town Hall")
    assert Notification.objects.filter(kind="panels.invitation", recipient=members["health"]).count() == 1
    assert Notification.objects.filter(kind="panels.invitation", recipient=members["la"]).count() == 2


def test_the_business_unit_records_how_a_conflict_is_handled(scheduled, members, bu):
    conflict = services.conflict_declare(case=scheduled.case, user=members["health"], nature="x",
                                         implications="y", actor=bu)
    services.conflict_record_handling(conflict=conflict, handling="Designated doctor attends instead", actor=bu)
    conflict.refresh_from_db()
    assert conflict.is_handled and conflict.handled_by == bu


def test_a_commissioned_review_asks_for_a_substitute_for_each_conflicted_member(scheduled, members, bu, sending):
    conflict = services.conflict_declare(case=scheduled.case, user=members["health"], nature="x",
                                         implications="y", actor=bu)
    Case.objects.filter(pk=scheduled.case_id).update(stage=Stage.CSPR)
    scheduled.case.refresh_from_db()
    with sending():
        assert services.conflict_require_substitutes(scheduled.case) == [conflict]
        services.conflict_require_substitutes(scheduled.case)
    assert Notification.objects.filter(kind="panels.substitute_required").count() == 1
    from panels.registry import case_tasks

    rows = case_tasks(scheduled.case)
    assert rows == [{"label": "Agree a substitute for Harriet Health",
                     "url": f"/panels/conflicts/{conflict.pk}/substitute/", "status": "todo", "hint": rows[0]["hint"]}]
    deputy = make_member(partner=StatutoryPartner.HEALTH, core=False, title="Deputy nurse", full_name="Dee Deputy")
    services.conflict_agree_substitute(conflict=conflict, substitute=deputy, actor=bu)
    assert case_tasks(scheduled.case)[0]["status"] == "done"
    assert services.conflict_require_substitutes(scheduled.case) == []


def test_the_conflicted_member_cannot_be_their_own_substitute(scheduled, members, bu):
    conflict = services.conflict_declare(case=scheduled.case, user=members["health"], nature="x",
                                         implications="y", actor=bu)
    with pytest.raises(DomainError, match="someone other"):
        services.conflict_agree_substitute(conflict=conflict, substitute=members["health"], actor=bu)
    assert ConflictOfInterest.objects.get().substitute is None


def test_invited_agencies_and_members_for_other_apps(scheduled, members):
    agencies = set(selectors.invited_agencies(scheduled.case))
    assert members["housing_agency"] in agencies and members["police"].agency in agencies
    assert set(selectors.case_panel_members(scheduled.case)) == {
        members["la"], members["health"], members["police"], members["nonvoting"], members["housing"]}
    assert selectors.panel_for_case(scheduled.case) == scheduled


def test_held_panel_contract_fields(scheduled, bu):
    with time_machine.travel(MEETING_DAY, tick=False):
        _record(scheduled, bu)
        services.panel_record_held(panel=scheduled, actor=bu)
    panel = selectors.panel_for_case(scheduled.case)
    assert panel.held_at is not None and panel.meeting_at is not None and panel.state == PanelState.HELD
