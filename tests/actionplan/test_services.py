import datetime

import pytest
import time_machine
from django.utils import timezone

from actionplan.models import Action, ActionStatus, ActionUpdate
from actionplan.selectors import actions_reminder_owners, actions_visible_to
from actionplan.services import (
    action_confirm_completion,
    action_edit,
    action_reject_completion,
    action_set_status,
    allowed_statuses,
)
from rapidreview.accounts.models import Role
from rapidreview.clocks.ladders import reminder_owners
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.db import DomainError
from tests.actionplan.factories import make_action
from tests.factories import make_executive, make_user

pytestmark = pytest.mark.django_db


def test_creating_an_action_starts_a_clock_due_on_its_due_date(working_group, police):
    due = timezone.localdate() + datetime.timedelta(days=40)
    action = make_action(agency=police, actor=working_group, due_on=due)
    clock = Clock.objects.get(subject_id=action.pk)
    assert (clock.kind, clock.due_on, clock.label, clock.case_id) == (ClockKind.ACTION, due, "Test Police",
                                                                      action.case_id)
    assert action.status == ActionStatus.NOT_STARTED


def test_reminders_go_to_the_owning_agencys_leads_and_the_owner(working_group, police, police_lead, health_lead):
    owner = make_user(agency=police, full_name="Oscar Owner")
    action = make_action(agency=police, actor=working_group, owner=owner)
    clock = Clock.objects.get(subject_id=action.pk)
    assert set(reminder_owners(action, clock)) == {police_lead, owner}
    other = make_action(agency=police, actor=working_group)
    other_clock = Clock.objects.get(subject_id=other.pk)
    # The sweep's batch finder: the same people, in the same order, for many actions at once.
    assert actions_reminder_owners([(action, clock), (other, other_clock)]) == [
        reminder_owners(action, clock), reminder_owners(other, other_clock)]
    assert "Test Police" in action.reminder_reference


def test_agency_lead_marking_completed_awaits_the_working_groups_confirmation(working_group, police, police_lead):
    action = make_action(agency=police, actor=working_group)
    action_set_status(action=action, status=ActionStatus.COMPLETED, actor=police_lead, note="Audit done")
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED and action.awaiting_confirmation
    assert Clock.objects.get(subject_id=action.pk).state == ClockState.MET
    action_confirm_completion(action=action, actor=working_group)
    action.refresh_from_db()
    assert not action.awaiting_confirmation and action.completion_confirmed_by == working_group


def test_working_group_marking_completed_is_confirmed_at_once(working_group, police):
    action = make_action(agency=police, actor=working_group)
    action_set_status(action=action, status=ActionStatus.COMPLETED, actor=working_group)
    action.refresh_from_db()
    assert action.completion_confirmed_at is not None


def test_agency_lead_cannot_update_another_agencys_action(working_group, police, health_lead):
    action = make_action(agency=police, actor=working_group)
    with pytest.raises(DomainError, match="own agency"):
        action_set_status(action=action, status=ActionStatus.IN_PROGRESS, actor=health_lead, note="Not mine")
    assert Action.objects.get(pk=action.pk).status == ActionStatus.NOT_STARTED


def test_agency_lead_cannot_confirm_or_embed(working_group, police, police_lead):
    action = make_action(agency=police, actor=working_group)
    action_set_status(action=action, status=ActionStatus.COMPLETED, actor=police_lead)
    with pytest.raises(DomainError, match="Working Group"):
        action_confirm_completion(action=action, actor=police_lead)
    with pytest.raises(DomainError, match="embedded"):
        action_set_status(action=action, status=ActionStatus.EMBEDDED, actor=police_lead)


def test_embedded_needs_a_confirmed_completion(working_group, police, police_lead):
    action = make_action(agency=police, actor=working_group)
    action_set_status(action=action, status=ActionStatus.COMPLETED, actor=police_lead)
    with pytest.raises(DomainError, match="embedded"):
        action_set_status(action=action, status=ActionStatus.EMBEDDED, actor=working_group)
    action_confirm_completion(action=action, actor=working_group)
    action_set_status(action=action, status=ActionStatus.EMBEDDED, actor=working_group)
    action.refresh_from_db()
    assert action.status == ActionStatus.EMBEDDED and action.embedded_on == timezone.localdate()


def test_after_confirmation_the_agency_lead_may_add_notes_but_not_change_status(working_group, police, police_lead):
    action = make_action(agency=police, actor=working_group)
    action_set_status(action=action, status=ActionStatus.COMPLETED, actor=working_group)
    assert allowed_statuses(police_lead, action) == []
    with pytest.raises(DomainError, match="confirmed"):
        action_set_status(action=action, status=ActionStatus.IN_PROGRESS, actor=police_lead)
    action_set_status(action=action, status="", note="Shared at the team meeting", actor=police_lead)
    assert ActionUpdate.objects.filter(action=action, note="Shared at the team meeting").exists()


def test_confirming_an_action_not_awaiting_confirmation_is_refused(working_group, police):
    action = make_action(agency=police, actor=working_group)
    with pytest.raises(DomainError, match="not waiting"):
        action_confirm_completion(action=action, actor=working_group)


def test_sending_back_reopens_the_action_and_restarts_its_clock(working_group, police, police_lead):
    action = make_action(agency=police, actor=working_group)
    action_set_status(action=action, status=ActionStatus.COMPLETED, actor=police_lead)
    with pytest.raises(DomainError, match="why"):
        action_reject_completion(action=action, actor=working_group, note=" ")
    action_reject_completion(action=action, actor=working_group, note="No evidence of the audit")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS and action.completed_on is None
    assert Clock.objects.filter(subject_id=action.pk, state=ClockState.RUNNING).count() == 1


def test_an_update_with_no_note_and_no_change_is_refused(working_group, police, police_lead):
    action = make_action(agency=police, actor=working_group)
    with pytest.raises(DomainError, match="Enter a progress update"):
        action_set_status(action=action, status=ActionStatus.NOT_STARTED, actor=police_lead, note="")


def test_overdue_is_derived_from_the_due_date(working_group, police):
    due = timezone.localdate() + datetime.timedelta(days=3)
    action = make_action(agency=police, actor=working_group, due_on=due)
    assert not action.is_overdue
    with time_machine.travel(due + datetime.timedelta(days=1)):
        assert action.is_overdue
        action_set_status(action=action, status=ActionStatus.COMPLETED, actor=working_group)
        action.refresh_from_db()
        assert not action.is_overdue and not action.completed_on_time


def test_agency_lead_cannot_edit_an_actions_details(working_group, police, police_lead):
    action = make_action(agency=police, actor=working_group)
    with pytest.raises(DomainError, match="working group or the business unit"):
        action_edit(action=action, learning="x", description="y", agency=police, owner=None,
                    due_on=action.due_on, source=action.source, actor=police_lead)


def test_moving_the_due_date_moves_the_clock(working_group, police):
    action = make_action(agency=police, actor=working_group)
    new_due = action.due_on + datetime.timedelta(days=10)
    action_edit(action=action, learning=action.learning, description=action.description, agency=police,
                owner=None, due_on=new_due, source=action.source, actor=working_group)
    running = Clock.objects.get(subject_id=action.pk, state=ClockState.RUNNING)
    assert running.due_on == new_due


def test_visibility_working_group_business_unit_and_the_chairs_all_agency_leads_own_others_none(
        working_group, police, health, police_lead):
    mine = make_action(agency=police, actor=working_group)
    theirs = make_action(agency=health, actor=working_group)
    assert set(actions_visible_to(working_group)) == {mine, theirs}
    assert set(actions_visible_to(make_user(Role.BUSINESS_UNIT))) == {mine, theirs}
    assert list(actions_visible_to(police_lead)) == [mine]
    assert list(actions_visible_to(make_user(Role.PANEL_MEMBER, agency=police))) == []
    assert set(actions_visible_to(make_user(Role.RR_CHAIR))) == {mine, theirs}
    assert set(actions_visible_to(make_executive("local_authority", chair=True))) == {mine, theirs}
    assert list(actions_visible_to(make_executive("police"))) == []
    assert list(actions_visible_to(make_user(Role.THRESHOLD))) == []


def test_an_owner_from_another_agency_is_refused_unless_they_are_working_group_or_business_unit(
        working_group, police, health_lead):
    with pytest.raises(DomainError, match="does not work for"):
        make_action(agency=police, actor=working_group, owner=health_lead)
    assert not Action.objects.exists() and not Clock.objects.exists()
    bu = make_user(Role.BUSINESS_UNIT)
    assert make_action(agency=police, actor=working_group, owner=bu).owner == bu
