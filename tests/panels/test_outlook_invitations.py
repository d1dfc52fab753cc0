"""Invitations Outlook answers with Accept and Decline: an inline meeting request, replies to the partnership,
updates that say what changed, one attendee removed without cancelling the meeting, and replies in the service."""

import datetime
import html

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from panels import services
from panels.models import InvitationResponse, PanelInvitation
from rapidreview.notifications.models import Notification

from .conftest import LONDON, at

D = datetime.date


def _parts(message):
    return [(part.get_content_type(), part) for part in message.message().walk()]


def _calendar(message) -> icalendar.Calendar:
    (part,) = [p for t, p in _parts(message) if t == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_payload(decode=True))


def _to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


def test_an_invitation_is_text_html_and_an_inline_meeting_request(scheduled, members):
    (message,) = _to(members["police"])
    root = message.message()
    assert root.get_content_type() == "multipart/alternative"
    types = [t for t, _ in _parts(message)]
    assert types == ["multipart/alternative", "text/plain", "text/html", "text/calendar"]
    (calendar_part,) = [p for t, p in _parts(message) if t == "text/calendar"]
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_filename() is None and not calendar_part.get("Content-Disposition")
    event = _calendar(message).walk("VEVENT")[0]
    partnership = scheduled.case.partnership
    assert str(event["organizer"]) == f"mailto:{partnership.contact_email}"
    assert message.reply_to == [partnership.contact_email]
    attendee = event["attendee"]
    assert attendee.params["RSVP"] == "TRUE" and attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert reverse("panels:reply", args=[scheduled.case_id]) in message.body


def test_someone_added_later_gets_an_invitation_not_an_update(scheduled, members, bu, sending):
    with sending():
        services.panel_schedule(panel=scheduled, meeting_at=at(D(2026, 3, 13), 14), actor=bu, venue="Town Hall")
    from .factories import make_member

    extra = make_member(core=False, voting=False, title="Early Help", agency=members["housing_agency"])
    with sending():
        services.panel_set_up(case=scheduled.case, invitee_ids=[members["housing"].pk, extra.pk], actor=bu)
    (message,) = _to(extra)
    assert not message.subject.startswith("Updated") and "You are invited" in message.body


def test_an_update_says_what_changed(scheduled, members, bu, sending):
    with sending():
        services.panel_schedule(panel=scheduled, meeting_at=at(D(2026, 3, 12), 14), actor=bu,
                                venue="Committee Room 2")
    update = _to(members["health"])[-1]
    assert update.subject.startswith("Updated:")
    assert "The time is now 2pm (it was 10am)." in update.body
    assert "The venue is now Committee Room 2 (it was Town Hall)." in update.body
    assert "- The time is now 2pm" in update.body and "&" not in update.body


def test_taking_one_person_off_cancels_it_for_them_only(scheduled, members, bu, sending):
    before = len(mail.outbox)
    with sending():
        services.panel_set_up(case=scheduled.case, invitee_ids=[], actor=bu)
    assert len(mail.outbox) == before + 1
    (cancel,) = _to(members["housing"])[-1:]
    calendar = _calendar(cancel)
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["method"]) == "CANCEL" and str(event["status"]) == "CONFIRMED"
    assert [str(a) for a in [event["attendee"]]] == [f"mailto:{members['housing'].email}"]
    assert event["sequence"] == scheduled.sequence + 1
    scheduled.refresh_from_db()
    assert scheduled.sequence == 0, "the meeting itself did not change for anyone else"
    assert "The meeting itself goes ahead" in cancel.body


def test_an_invitee_adds_the_meeting_to_their_calendar_and_others_cannot(client, scheduled, members):
    url = reverse("panels:calendar_ics", args=[scheduled.case_id])
    client.force_login(members["police"])
    page = client.get(reverse("panels:panel", args=[scheduled.case_id])).content.decode()
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["method"]) == "PUBLISH"
    assert str(calendar.walk("VEVENT")[0]["uid"]) == scheduled.ics_uid
    assert scheduled.case.child_first_name not in response.content.decode()
    PanelInvitation.objects.filter(panel=scheduled, user=members["housing"]).delete()
    client.force_login(members["housing"])
    assert client.get(url).status_code == 404


def test_an_invitee_replies_in_the_service_and_the_business_unit_sees_it(client, scheduled, members, bu):
    url = reverse("panels:reply", args=[scheduled.case_id])
    client.force_login(members["police"])
    page = client.get(url).content.decode()
    assert 'name="response"' in page and 'name="note"' in page
    refused = client.post(url, {"response": InvitationResponse.NOT_ATTENDING, "note": ""})
    assert refused.status_code == 200 and "Say why you cannot attend" in html.unescape(refused.content.decode())
    invitation = PanelInvitation.objects.get(panel=scheduled, user=members["police"])
    assert invitation.response == ""
    response = client.post(url, {"response": InvitationResponse.NOT_ATTENDING,
                                 "note": "On leave; DI Shah is my agreed substitute."})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.NOT_ATTENDING and invitation.responded_at
    client.force_login(bu)
    page = html.unescape(client.get(reverse("panels:panel", args=[scheduled.case_id])).content.decode())
    assert "Cannot attend" in page and "DI Shah is my agreed substitute" in page
    assert client.post(url, {"response": InvitationResponse.ATTENDING}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.NOT_ATTENDING


def test_a_reply_link_is_in_every_invitation_and_no_ics_file_is_attached(scheduled):
    for message in mail.outbox:
        assert not message.attachments
    assert Notification.objects.filter(kind="panels.invitation").count() == len(mail.outbox)


@pytest.mark.parametrize("hour", [10])
def test_calendar_times_stay_in_london_time(scheduled, hour):
    event = _calendar(mail.outbox[0]).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime.datetime(2026, 3, 12, hour, 0, tzinfo=LONDON)
