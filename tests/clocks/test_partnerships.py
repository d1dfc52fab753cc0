"""Clocks belong to a partnership (the case's leading one): its calendar, its reminders and its lists (issue 18).
One partnership's closures never move another's deadlines; reminder e-mails name their partnership and open in it."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from rapidreview.accounts.models import Agency, Role, StatutoryPartner
from rapidreview.clocks.models import Clock, NonWorkingDay
from rapidreview.clocks.tasks import sweep
from rapidreview.notifications.models import Notification
from referrals.models import CaseParticipation
from tests.clocks.factories import make_clock
from tests.factories import (
    AgencyFactory,
    act_in,
    default_partnership,
    give_role,
    make_executive,
    make_partnership,
    make_user,
)
from tests.forms_as_rendered import page_form
from tests.referrals.factories import CaseFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def ours():
    return default_partnership()


@pytest.fixture
def neighbour():
    return make_partnership("Neighbouring Safeguarding Children Partnership", short_name="NSCP")


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    global _committing
    _committing = django_capture_on_commit_callbacks


def _sweep_on(day):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(9, 0)), tick=False), \
            _committing(execute=True):
        sweep.delay()


def _since_2020(*users):
    for user in users:
        user.role_assignments.update(starts_on=D(2020, 1, 1))


def test_another_partnerships_closure_does_not_move_our_deadline_but_moves_theirs(ours, neighbour):
    NonWorkingDay.objects.create(partnership=neighbour, date=D(2026, 3, 10), reason="Their office move")
    assert make_clock(start=D(2026, 3, 2), partnership=ours).due_on == D(2026, 3, 12)
    assert make_clock(start=D(2026, 3, 2), partnership=neighbour).due_on == D(2026, 3, 13)


def test_the_closures_page_lists_and_adds_the_acting_partnerships_closures_only(client, ours, neighbour):
    NonWorkingDay.objects.create(partnership=neighbour, date=D(2027, 8, 2), reason="Their away day")
    person = make_user(Role.BUSINESS_UNIT, partnership=ours)
    give_role(person, Role.BUSINESS_UNIT, partnership=neighbour)
    client.force_login(person)
    act_in(client, ours)
    assert "Their away day" not in client.get(reverse("clocks:closures")).content.decode()
    form = page_form(client, reverse("clocks:closures"))
    form.fill(date=D(2027, 8, 2), reason="Our away day too").submit()  # the same date is free here
    assert set(NonWorkingDay.objects.values_list("partnership", "reason")) == {
        (neighbour.pk, "Their away day"), (ours.pk, "Our away day too")}
    theirs = NonWorkingDay.objects.get(partnership=neighbour)
    assert client.post(reverse("clocks:closure_remove", args=[theirs.pk])).status_code == 404
    assert NonWorkingDay.objects.filter(pk=theirs.pk).exists()
    act_in(client, neighbour)
    page = client.get(reverse("clocks:closures")).content.decode()
    assert "Their away day" in page and "Our away day too" not in page


def test_the_deadline_lists_and_pages_show_the_acting_partnerships_clocks_only(client, ours, neighbour):
    with time_machine.travel(datetime.datetime(2026, 3, 9, 10, 0), tick=False):
        ours_clock = make_clock(start=D(2026, 2, 2), partnership=ours, label="Our late one")
        theirs = make_clock(start=D(2026, 2, 2), partnership=neighbour, label="Their late one")
        client.force_login(make_user(Role.BUSINESS_UNIT, Role.RR_CHAIR, partnership=ours))
        for name in ("clocks:all", "clocks:mine"):
            page = client.get(reverse(name)).content.decode()
            assert "Our late one" in page and "Their late one" not in page, name
        assert client.get(reverse("clocks:detail", args=[ours_clock.pk])).status_code == 200
        assert client.get(reverse("clocks:detail", args=[theirs.pk])).status_code == 404
        response = client.post(reverse("clocks:recalculate", args=[theirs.pk]),
                               {"due_on_0": "30", "due_on_1": "3", "due_on_2": "2026", "reason": "Not ours"})
        assert response.status_code == 404
        theirs.refresh_from_db()
        assert theirs.due_on == D(2026, 2, 12)


def test_an_agency_lead_sees_their_agencys_deadline_on_a_case_their_partnership_takes_part_in(
        client, ours, neighbour):
    police = AgencyFactory(name="Metropolitan Police")
    lead = make_user(Role.AGENCY_LEAD, agency=police, partnership=neighbour)
    joint = CaseFactory(partnership=ours)
    CaseParticipation.objects.create(case=joint, partnership=neighbour, reason="The child lives there",
                                     added_by=lead)
    only_ours = CaseFactory(partnership=ours)
    make_clock(start=D(2026, 3, 2), partnership=ours, case_id=joint.pk, owner_agency=police, label="Joint form")
    make_clock(start=D(2026, 3, 2), partnership=ours, case_id=only_ours.pk, owner_agency=police, label="Not theirs")
    make_clock(start=D(2026, 3, 2), partnership=ours, case_id=joint.pk, label="The leading business unit's")
    client.force_login(lead)
    page = client.get(reverse("clocks:mine")).content.decode()
    assert "Joint form" in page
    assert "Not theirs" not in page and "The leading business unit" not in page


def test_reminders_go_to_the_clocks_partnerships_people_and_name_it(ours, neighbour):
    our_bu = make_user(Role.BUSINESS_UNIT, email="bu@ours.test", partnership=ours)
    their_bu = make_user(Role.BUSINESS_UNIT, email="bu@theirs.test", partnership=neighbour)
    our_chair = make_user(Role.RR_CHAIR, email="chair@ours.test", partnership=ours)
    their_chair = make_user(Role.RR_CHAIR, email="chair@theirs.test", partnership=neighbour)
    _since_2020(our_bu, their_bu, our_chair, their_chair)
    make_clock(start=D(2026, 3, 2), partnership=neighbour)  # due 12 March
    _sweep_on(D(2026, 3, 17))  # overdue to the business unit, escalated to the chair
    notes = {note.to_email: note for note in Notification.objects.all()}
    assert set(notes) == {"bu@theirs.test", "chair@theirs.test"}
    note = notes["bu@theirs.test"]
    assert note.partnership == neighbour and note.subject.startswith("NSCP: ")
    assert "in Neighbouring Safeguarding Children Partnership" in note.body_text
    assert note.body_text.rstrip().endswith(
        "Neighbouring Safeguarding Children Partnership business unit\n"
        "You can reply to this e-mail if you have a question.")


def test_a_reminder_link_opens_in_the_clocks_partnership_and_the_sender_is_named_after_it(
        ours, neighbour, monkeypatch):
    monkeypatch.setattr(Agency, "get_absolute_url", lambda self: "/cases/abc/", raising=False)
    _since_2020(make_user(Role.BUSINESS_UNIT, email="bu@theirs.test", partnership=neighbour))
    make_clock(start=D(2026, 3, 2), partnership=neighbour)
    _sweep_on(D(2026, 3, 10))
    [message] = mail.outbox
    assert "/cases/abc/?partnership=neighbouring-safeguarding-children-partnership" in message.body
    assert "Neighbouring Safeguarding Children Partnership" in message.from_email
    assert message.reply_to == [neighbour.contact_email]


def test_someone_in_two_partnerships_gets_one_reminder_email_from_each(ours, neighbour):
    both = make_user(Role.BUSINESS_UNIT, email="both@example.test", partnership=ours)
    give_role(both, Role.BUSINESS_UNIT, partnership=neighbour)
    _since_2020(both)
    make_clock(start=D(2026, 3, 2), partnership=ours, label="Ours")
    make_clock(start=D(2026, 3, 2), partnership=neighbour, label="Theirs")
    _sweep_on(D(2026, 3, 10))
    notes = list(Notification.objects.order_by("subject"))
    assert [note.partnership for note in notes] == [neighbour, ours]
    assert [note.subject.split(":")[0] for note in notes] == ["NSCP", "SCP"]
    assert "Theirs" in notes[0].body_text and "Ours" not in notes[0].body_text


def test_a_closure_holds_back_only_its_own_partnerships_reminders(ours, neighbour):
    _since_2020(make_user(Role.BUSINESS_UNIT, email="bu@ours.test", partnership=ours),
                make_user(Role.BUSINESS_UNIT, email="bu@theirs.test", partnership=neighbour))
    NonWorkingDay.objects.create(partnership=neighbour, date=D(2026, 3, 10), reason="Their office move")
    ours_clock = make_clock(start=D(2026, 3, 2), partnership=ours, due=D(2026, 3, 12))
    theirs = make_clock(start=D(2026, 3, 2), partnership=neighbour, due=D(2026, 3, 12))
    Clock.objects.filter(pk__in=[ours_clock.pk, theirs.pk]).update(next_reminder_on=D(2026, 3, 10))
    _sweep_on(D(2026, 3, 10))
    assert list(Notification.objects.values_list("to_email", flat=True)) == ["bu@ours.test"]
    _sweep_on(D(2026, 3, 11))  # their next working day
    assert set(Notification.objects.values_list("to_email", flat=True)) == {"bu@ours.test", "bu@theirs.test"}


def test_escalations_go_to_the_clocks_own_executive_chair(ours, neighbour):
    theirs = make_executive(StatutoryPartner.LOCAL_AUTHORITY, chair=True, partnership=neighbour)
    mine = make_executive(StatutoryPartner.LOCAL_AUTHORITY, chair=True, partnership=ours)
    _since_2020(theirs, mine)
    clock = make_clock(start=D(2026, 3, 2), partnership=neighbour)
    _sweep_on(D(2026, 3, 20))  # five working days overdue: the executive step
    assert clock.pk and theirs.email in Notification.objects.values_list("to_email", flat=True)
    assert mine.email not in Notification.objects.values_list("to_email", flat=True)
