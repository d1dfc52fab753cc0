"""Invitations: e-mail with a calendar file that updates and cancels the same event; the agenda."""

import datetime

import icalendar
import pytest
from django.core import mail

from panels import services
from panels.models import PanelState
from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification

from .conftest import LONDON, at

D = datetime.date


def _ics(note) -> icalendar.Calendar:
    attachment = note.attachments.get()
    assert attachment.filename == "invite.ics"
    return icalendar.Calendar.from_ical(bytes(attachment.content))


def _event(cal):
    (event,) = cal.walk("VEVENT")
    return event


def test_every_invitee_gets_one_invitation_with_a_valid_calendar_file(scheduled, members):
    notes = Notification.objects.filter(kind="panels.invitation")
    assert notes.count() == 5
    assert len(mail.outbox) == 5
    note = notes.get(recipient=members["police"])
    cal = _ics(note)
    event = _event(cal)
    assert str(cal["method"]) == "REQUEST"
    assert str(event["uid"]) == scheduled.ics_uid
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == datetime.datetime(2026, 3, 12, 10, 0, tzinfo=LONDON)
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert cal.walk("VTIMEZONE")[0]["tzid"] == "Europe/London"
    assert str(event["location"]) == "Town Hall"
    assert str(event["attendee"]) == f"mailto:{members['police'].email}"
    sent = [m for m in mail.outbox if m.to == [members["police"].email]]
    assert len(sent) == 1
    assert sent[0].alternatives[-1].mimetype == "text/calendar; method=REQUEST" and not sent[0].attachments


def test_an_invitation_gives_the_time_the_govuk_way_and_the_calendar_file_keeps_machine_time(scheduled, members):
    note = Notification.objects.get(kind="panels.invitation", recipient=members["police"])
    assert note.subject.endswith("12 March 2026 at 10am")
    assert "When: Thursday 12 March 2026 at 10am (UK time)" in note.body_text
    assert "DTSTART;TZID=Europe/London:20260312T100000" in bytes(note.attachments.get().content).decode()


def test_invitations_never_name_the_child(scheduled):
    for note in Notification.objects.filter(kind="panels.invitation"):
        text = note.subject + note.body_text + bytes(note.attachments.get().content).decode()
        assert scheduled.case.child_first_name not in text
        assert "Quillfeather" not in text
        assert scheduled.case.reference in note.subject


def test_sending_again_sends_nothing_twice(scheduled, bu, sending):
    with sending():
        assert services.panel_send_invitations(panel=scheduled, actor=bu) == 0
    assert Notification.objects.filter(kind="panels.invitation").count() == 5
    assert len(mail.outbox) == 5


def test_rescheduling_sends_an_update_with_the_same_uid_and_the_next_sequence(scheduled, members, bu, sending):
    with sending():
        services.panel_schedule(panel=scheduled, meeting_at=at(D(2026, 3, 13), 14), actor=bu, venue="Town Hall")
    updates = Notification.objects.filter(kind="panels.invitation", recipient=members["health"]).order_by("id")
    assert updates.count() == 2
    first, second = (_event(_ics(n)) for n in updates)
    assert str(first["uid"]) == str(second["uid"])
    assert second["sequence"] == first["sequence"] + 1 == 1
    assert second.decoded("dtstart") == datetime.datetime(2026, 3, 13, 14, 0, tzinfo=LONDON)
    assert updates.last().subject.startswith("Updated:")
    assert len(mail.outbox) == 10


def test_saving_the_same_schedule_again_sends_no_update(scheduled, bu):
    services.panel_schedule(panel=scheduled, meeting_at=at(D(2026, 3, 12)), actor=bu, venue="Town Hall")
    assert Notification.objects.filter(kind="panels.invitation").count() == 5


def test_cancelling_sends_a_cancel_with_the_same_uid_and_the_next_sequence(scheduled, members, bu):
    services.panel_cancel(panel=scheduled, actor=bu, reason="The family asked for more time")
    cancels = Notification.objects.filter(kind="panels.cancellation")
    assert cancels.count() == 5
    cal = _ics(cancels.get(recipient=members["la"]))
    event = _event(cal)
    assert str(cal["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == scheduled.ics_uid
    assert event["sequence"] == 1
    assert "The family asked for more time" in cancels.first().body_text
    scheduled.refresh_from_db()
    assert scheduled.state == PanelState.CANCELLED


def test_rescheduling_after_a_cancellation_sends_the_next_sequence_again(scheduled, members, bu):
    services.panel_cancel(panel=scheduled, actor=bu)
    services.panel_schedule(panel=scheduled, meeting_at=at(D(2026, 3, 16)), actor=bu, venue="Town Hall")
    latest = Notification.objects.filter(kind="panels.invitation", recipient=members["la"]).order_by("-id").first()
    event = _event(_ics(latest))
    assert event["sequence"] == 2
    assert str(event["uid"]) == scheduled.ics_uid


def test_a_person_added_after_invitations_gets_the_current_version_only(scheduled, members, bu):
    from .factories import make_member

    extra = make_member(core=False, voting=False, title="Early Help", agency=members["housing_agency"])
    services.panel_set_up(case=scheduled.case, invitee_ids=[members["housing"].pk, extra.pk], actor=bu)
    assert Notification.objects.filter(kind="panels.invitation").count() == 6
    assert Notification.objects.filter(kind="panels.invitation", recipient=extra).count() == 1


def test_invitations_cannot_be_sent_before_the_meeting_is_scheduled(panel, bu):
    with pytest.raises(DomainError, match="Schedule the meeting"):
        services.panel_send_invitations(panel=panel, actor=bu)
    assert not mail.outbox


def test_the_agenda_is_sent_once_per_version(scheduled, bu):
    services.panel_agenda_save(panel=scheduled, agenda="1. Welcome\n2. Agency checks", actor=bu)
    assert services.panel_agenda_send(panel=scheduled, actor=bu) == 5
    assert services.panel_agenda_send(panel=scheduled, actor=bu) == 0
    services.panel_agenda_save(panel=scheduled, agenda="1. Welcome\n2. Agency checks\n3. Vote", actor=bu)
    assert services.panel_agenda_send(panel=scheduled, actor=bu) == 5
    notes = Notification.objects.filter(kind="panels.agenda")
    assert notes.count() == 10
    assert "3. Vote" in notes.order_by("-id").first().body_text


def test_the_agenda_cannot_be_sent_empty(scheduled, bu):
    with pytest.raises(DomainError, match="Write the agenda"):
        services.panel_agenda_send(panel=scheduled, actor=bu)


def test_the_papers_link_is_included_when_the_agency_check_pack_exists(scheduled):
    from django.urls import NoReverseMatch, reverse

    note = Notification.objects.filter(kind="panels.invitation").first()
    try:
        url = reverse("agencychecks:pack", args=[scheduled.case.pk])
    except NoReverseMatch:
        assert "papers will be shared" in note.body_text
    else:
        assert url in note.body_text
