"""Every form of the panels app, submitted as its page rendered it (tests/forms_as_rendered.py)."""

import datetime

import pytest

from panels.forms import (
    AgendaForm,
    AttendanceForm,
    CancelForm,
    ConflictForm,
    HandlingForm,
    HeldForm,
    InvitationReplyForm,
    LiaisonForm,
    MembershipForm,
    ScheduleForm,
    SetUpForm,
    SubstituteForm,
)
from panels.models import ConflictOfInterest, Panel, PanelState
from rapidreview.accounts.models import Role, RoleAssignment
from tests.factories import make_user
from tests.forms_as_rendered import accepted, page_form, submits

from .factories import PanelCaseFactory

pytestmark = pytest.mark.django_db


@submits(SetUpForm, ScheduleForm, AgendaForm, AttendanceForm, HeldForm)
def test_the_business_unit_sets_up_schedules_and_holds_a_panel(client, bu, case, members, traveller, sending):
    case.involved_agencies.add(members["housing_agency"])
    client.force_login(bu)
    form = page_form(client, f"/panels/case/{case.pk}/set-up/")
    assert form["invitees"] == [str(members["housing"].pk)], "the involved agency's member is ticked already"
    accepted(form.submit())
    form = page_form(client, f"/panels/case/{case.pk}/schedule/")
    form.fill(meeting_date=datetime.date(2026, 3, 12), start_time="10:00", venue="Town Hall, Room 1")
    accepted(form.submit())
    with sending():
        accepted(page_form(client, f"/panels/case/{case.pk}/", action=f"/panels/case/{case.pk}/invitations/")
                 .submit())
    accepted(page_form(client, f"/panels/case/{case.pk}/agenda/").fill(agenda="1. Welcome\n2. The case").submit())

    traveller.move_to(datetime.datetime(2026, 3, 12, 14, tzinfo=datetime.UTC))
    client.force_login(bu)  # a new day, a new sign-in
    panel = Panel.objects.get(case=case)
    form = page_form(client, f"/panels/case/{case.pk}/attendance/")
    form.fill(**{f"{inv.pk}-attendance": "present" for inv in panel.invitations.all()})
    accepted(form.submit())
    accepted(page_form(client, f"/panels/case/{case.pk}/held/").fill(notes="Quorate").submit())
    panel.refresh_from_db()
    assert panel.state == PanelState.HELD


@submits(CancelForm)
def test_the_business_unit_cancels_a_scheduled_meeting(client, bu, scheduled, sending):
    client.force_login(bu)
    with sending():
        accepted(page_form(client, f"/panels/case/{scheduled.case_id}/cancel/").fill(reason="The chair is ill")
                 .submit())
    scheduled.refresh_from_db()
    assert scheduled.state != PanelState.SCHEDULED


@submits(ConflictForm, HandlingForm, SubstituteForm)
def test_conflicts_are_declared_recorded_handled_and_given_a_substitute(client, bu, scheduled, members):
    case = scheduled.case
    client.force_login(members["health"])
    form = page_form(client, f"/panels/case/{case.pk}/conflict/")
    accepted(form.fill(nature="Knows the family", implications="Cannot take part").submit())
    client.force_login(members["police"])
    form = page_form(client, "/panels/conflicts/declare/")
    accepted(form.fill(reference=case.reference, nature="Worked with the father",
                       implications="Cannot take part").submit())

    client.force_login(bu)
    form = page_form(client, f"/panels/case/{case.pk}/conflict/record/")
    form.fill(member=members["la"], nature="Line manages the social worker", implications="Cannot vote")
    accepted(form.submit())
    assert ConflictOfInterest.objects.filter(case=case).count() == 3
    conflict = ConflictOfInterest.objects.get(case=case, user=members["la"])
    accepted(page_form(client, f"/panels/conflicts/{conflict.pk}/").fill(handling="Another chair").submit())
    substitute = make_user(Role.PANEL_MEMBER, full_name="Sam Substitute")
    accepted(page_form(client, f"/panels/conflicts/{conflict.pk}/substitute/").fill(substitute=substitute).submit())
    conflict.refresh_from_db()
    assert conflict.handling == "Another chair" and conflict.substitute == substitute


@submits(MembershipForm)
def test_the_business_unit_adds_and_changes_a_panel_membership(client, bu, members):
    person = make_user(Role.AGENCY_LEAD, full_name="Nina Newmember")  # a person of the partnership
    client.force_login(bu)
    form = page_form(client, "/panels/members/add/")
    form.fill(user=person, title="Designated Doctor", core="yes", voting="no", starts_on=datetime.date(2026, 3, 2))
    accepted(form.submit())
    seat = RoleAssignment.objects.get(user=person, role=Role.PANEL_MEMBER)
    accepted(page_form(client, f"/panels/members/{seat.pk}/").fill(title="Designated Doctor for Safeguarding")
             .submit())
    seat.refresh_from_db()
    assert seat.title == "Designated Doctor for Safeguarding" and seat.core and not seat.voting


@submits(LiaisonForm)
def test_the_business_unit_records_liaison_with_the_national_panel(client, bu, case):
    other = PanelCaseFactory(sin_notified_on=datetime.date(2026, 3, 3))
    client.force_login(bu)
    form = page_form(client, "/panels/liaison/")
    form.fill(cases=[case, other], liaised_on=datetime.date(2026, 3, 2), contact="Bea with the Panel secretariat",
              timelines_agreed="Panel on 16 March")
    accepted(form.submit())


@submits(InvitationReplyForm)
def test_an_invitee_replies_to_the_invitation_in_the_service(client, scheduled, members):
    client.force_login(members["police"])
    form = page_form(client, f"/panels/case/{scheduled.case_id}/reply/")
    accepted(form.fill(response="not_attending", note="On leave; DI Shah is my agreed substitute.").submit())
    assert scheduled.invitations.get(user=members["police"]).response == "not_attending"
