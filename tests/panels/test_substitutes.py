"""Issue 16, point 3: conflicts of interest and substitutes, through the pages the business unit, the conflicted
member and the substitute use.

"A substitute member for the group must always be agreed": the substitute takes the member's seat, access and vote
for the case, and the record shows "substitute for member".
"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from agencychecks.models import Pack
from decisions.models import Vote
from panels import services
from panels.models import Attendance, PanelInvitation
from rapidreview.accounts.models import StatutoryPartner
from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification
from referrals.models import CaseEvent
from tests.forms_as_rendered import accepted, page_form

from .conftest import LONDON
from .factories import make_member

MEETING_DAY = datetime.datetime(2026, 3, 12, 13, 0, tzinfo=LONDON)


@pytest.fixture
def conflict(scheduled, members, bu):
    return services.conflict_declare(case=scheduled.case, user=members["health"], nature="Related to the family",
                                     implications="Cannot take part", actor=bu)


@pytest.fixture
def deputy(db):
    return make_member(partner=StatutoryPartner.HEALTH, core=False, title="Deputy Designated Nurse",
                       full_name="Dee Deputy")


def _agree_through_the_page(client, conflict, person, django_capture_on_commit_callbacks):
    url = reverse("panels:conflict_substitute", args=[conflict.pk])
    form = page_form(client, url, containing="substitute")
    offered = [label for _, label in form.options("substitute")]
    with django_capture_on_commit_callbacks(execute=True):
        accepted(form.fill(substitute=person).submit())
    return offered


def _attendance_form(client, panel):
    url = reverse("panels:attendance", args=[panel.case_id])
    return url, page_form(client, url, containing=f"{panel.invitations.first().pk}-attendance")


def _attendance(client, panel, substitutes=None, **choices):
    """Submit the attendance page's form with ``choices`` by first name (everyone else present) and the names of
    ``substitutes`` (first name -> the substitute's name)."""
    _, form = _attendance_form(client, panel)
    for inv in panel.invitations.select_related("user"):
        first = inv.user.full_name.split()[0].lower()
        form.fill(**{f"{inv.pk}-attendance": choices.get(first, Attendance.PRESENT)})
        if first in (substitutes or {}):
            form.fill(**{f"{inv.pk}-substitute_name": substitutes[first]})
    return form.submit()


def test_the_agreed_substitute_is_seated_invited_sent_the_pack_and_votes_for_the_member(
        client, bu, scheduled, members, conflict, deputy, django_capture_on_commit_callbacks):
    case = scheduled.case
    Pack.objects.create(case=case, distributed_by=bu)  # the papers have already gone to the panel
    case_url = reverse("referrals:case_detail", args=[case.pk])
    client.force_login(deputy)
    assert client.get(case_url).status_code == 404
    client.force_login(bu)
    mail.outbox.clear()

    offered = _agree_through_the_page(client, conflict, deputy, django_capture_on_commit_callbacks)
    assert any("Dee Deputy" in label for label in offered)
    assert not any("Harriet Health" in label or "Pete Police" in label for label in offered)  # conflicted or seated

    seat = PanelInvitation.objects.get(panel=scheduled, user=deputy)
    assert (seat.substitute_for, seat.voting, seat.statutory_partner) == (members["health"], True, "health")
    invitation = [m for m in mail.outbox if deputy.email in m.to and "Rapid review panel" in m.subject]
    assert invitation and invitation[0].alternatives[-1].mimetype.startswith("text/calendar")  # the invitation
    assert Notification.objects.filter(kind="agencychecks.pack", recipient=deputy).exists()

    client.force_login(deputy)
    for url in (case_url, reverse("panels:panel", args=[case.pk]), reverse("agencychecks:pack", args=[case.pk])):
        assert client.get(url).status_code == 200, url
    assert "Dee Deputy for Harriet Health" in client.get(reverse("panels:panel", args=[case.pk])).content.decode()

    with time_machine.travel(MEETING_DAY, tick=False):
        client.force_login(bu)
        accepted(_attendance(client, scheduled, harriet=Attendance.SUBSTITUTE))
        assert scheduled.invitations.get(user=members["health"]).substitute_name == "Dee Deputy"
        client.force_login(deputy)
        vote_url = reverse("decisions:vote", args=[case.pk])
        page = client.get(vote_url).content.decode()
        assert "You sit on this panel for Harriet Health" in page
        accepted(page_form(client, vote_url, containing="own-choice").fill(**{"own-choice": "yes"}).submit())

    vote = Vote.objects.get(member=deputy)
    assert vote.for_member == members["health"] and vote.recorded_by == deputy
    client.force_login(bu)
    assert "Dee Deputy for Harriet Health" in client.get(vote_url).content.decode()
    events = list(CaseEvent.objects.filter(case=case).values_list("summary", flat=True))
    assert "Dee Deputy seated on the panel for Harriet Health" in events
    assert "Vote recorded: Dee Deputy for Harriet Health" in events


def test_a_member_with_a_declared_conflict_cannot_be_marked_present(client, bu, scheduled, members, conflict):
    with time_machine.travel(MEETING_DAY, tick=False):
        client.force_login(bu)
        url, form = _attendance_form(client, scheduled)
        row = scheduled.invitations.get(user=members["health"])
        assert [v for v, _ in form.options(f"{row.pk}-attendance")] == [Attendance.APOLOGIES, Attendance.SUBSTITUTE]
        for inv in scheduled.invitations.exclude(pk=row.pk):
            form.fill(**{f"{inv.pk}-attendance": Attendance.PRESENT})
        # "Present" for the conflicted member is not offered: only a tampered request can send it.
        response = client.post(url, {**form.data(), f"{row.pk}-attendance": Attendance.PRESENT})
        assert response.status_code == 200
        assert "Harriet Health has declared a conflict of interest" in response.content.decode()
        assert not scheduled.invitations.exclude(attendance="").exists()
        with pytest.raises(DomainError, match="cannot be marked present"):
            services.panel_record_attendance(panel=scheduled, rows={row.pk: (Attendance.PRESENT, "")}, actor=bu)
    row.refresh_from_db()
    assert row.attendance == ""


def test_a_member_represented_by_a_substitute_cannot_vote_from_their_own_login(client, bu, scheduled, members):
    with time_machine.travel(MEETING_DAY, tick=False):
        client.force_login(bu)
        accepted(_attendance(client, scheduled, substitutes={"pete": "Sam Standin"}, pete=Attendance.SUBSTITUTE))
        vote_url = reverse("decisions:vote", args=[scheduled.case_id])
        client.force_login(members["police"])
        page = client.get(vote_url).content.decode()
        assert "Record my vote" not in page and "the vote of your seat is theirs" in page
        assert client.post(vote_url, {"own-choice": "yes"}).status_code == 400
        assert not Vote.objects.exists()

        client.force_login(bu)
        behalf = page_form(client, vote_url, containing="behalf-member")
        assert "Pete Police (represented by Sam Standin)" in [label for _, label in behalf.options("behalf-member")]
        accepted(behalf.fill(**{"behalf-member": members["police"], "behalf-choice": "no"}).submit())
    vote = Vote.objects.get()
    assert (vote.member, vote.substitute_name, vote.recorded_by) == (members["police"], "Sam Standin", bu)
    assert "Sam Standin for Pete Police" in client.get(vote_url).content.decode()


def test_the_business_unit_records_a_vote_for_a_member_through_the_form_the_page_shows(
        client, bu, scheduled, members):
    """Issue 16, point 2: the page shows the member field, and posting what it shows records the vote."""
    with time_machine.travel(MEETING_DAY, tick=False):
        client.force_login(bu)
        accepted(_attendance(client, scheduled))
        vote_url = reverse("decisions:vote", args=[scheduled.case_id])
        page = client.get(vote_url)
        assert page.content.decode().count("Not voted yet") == 4  # every voting seat present is listed
        behalf = page_form(client, vote_url, containing="behalf-member", response=page)
        offered = [label for _, label in behalf.options("behalf-member")]
        assert set(offered) >= {"Laura Authority", "Harriet Health", "Pete Police"}
        assert "Nora Nonvoting" not in offered
        response = behalf.fill(**{"behalf-member": members["la"], "behalf-choice": "yes"}).submit(follow=True)
        assert "Vote recorded for Laura Authority." in response.content.decode()
        assert response.content.decode().count("Not voted yet") == 3
        missing = page_form(client, vote_url, containing="behalf-member").fill(**{"behalf-choice": "yes"}).submit()
        assert missing.status_code == 400 and "Choose the member" in missing.content.decode()
    vote = Vote.objects.get()
    assert (vote.member, vote.choice, vote.recorded_by) == (members["la"], "yes", bu)


def test_someone_off_the_membership_register_cannot_be_agreed_as_substitute(scheduled, conflict, bu):
    from tests.factories import make_user

    outsider = make_user(full_name="Olly Outsider")
    with pytest.raises(DomainError, match="not on the panel membership register"):
        services.conflict_agree_substitute(conflict=conflict, substitute=outsider, actor=bu)
    conflict.refresh_from_db()
    assert conflict.substitute is None
    assert not PanelInvitation.objects.filter(user=outsider).exists()


def test_someone_already_on_the_panel_cannot_take_a_second_seat(scheduled, members, conflict, bu):
    with pytest.raises(DomainError, match="already sits on this panel"):
        services.conflict_agree_substitute(conflict=conflict, substitute=members["police"], actor=bu)
    conflict.refresh_from_db()
    assert conflict.substitute is None


def test_changing_the_substitute_moves_the_seat_and_cancels_the_first_ones_invitation(
        scheduled, members, conflict, deputy, bu, sending):
    other = make_member(partner=StatutoryPartner.HEALTH, core=False, full_name="Otto Other")
    with sending():
        services.conflict_agree_substitute(conflict=conflict, substitute=deputy, actor=bu)
        services.conflict_agree_substitute(conflict=conflict, substitute=other, actor=bu)
    assert not PanelInvitation.objects.filter(user=deputy).exists()
    assert PanelInvitation.objects.get(user=other).substitute_for == members["health"]
    assert any(m.subject.startswith("Cancelled") and deputy.email in m.to for m in mail.outbox)


def test_a_substitute_agreed_before_the_panel_is_set_up_is_seated_when_it_is(case, members, deputy, bu):
    conflict = services.conflict_declare(case=case, user=members["health"], nature="x", implications="y", actor=bu)
    services.conflict_agree_substitute(conflict=conflict, substitute=deputy, actor=bu)
    panel = services.panel_set_up(case=case, invitee_ids=[], actor=bu)
    assert panel.invitations.get(user=deputy).substitute_for == members["health"]
    services.panel_set_up(case=case, invitee_ids=[], actor=bu)  # saving the invitees again keeps the seat
    assert panel.invitations.filter(user=deputy).count() == 1
