"""Calendar invitations (RFC 5545 / iTIP) for panel meetings, built with the icalendar package.

One UID per panel for its whole life; every change or cancellation carries the next SEQUENCE, so Outlook and other
calendars update or remove the meeting they already hold instead of adding a second one. Only the case reference
goes in: never a child's name. The organiser, the description and the links are the case's leading partnership's
(the one that runs its panel), and the links open in that partnership.
"""

import datetime
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from rapidreview.templatetags.govuk import in_partnership

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Rapid Review//Panel meetings//EN"


def _london_vtimezone() -> icalendar.Timezone:
    """A compact Europe/London definition with yearly rules (what Outlook itself writes)."""
    tz = icalendar.Timezone()
    tz.add("tzid", "Europe/London")
    standard = icalendar.TimezoneStandard()
    standard.add("dtstart", datetime.datetime(1970, 10, 25, 2, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    standard.add("tzoffsetfrom", datetime.timedelta(hours=1))
    standard.add("tzoffsetto", datetime.timedelta(hours=0))
    standard.add("tzname", "GMT")
    daylight = icalendar.TimezoneDaylight()
    daylight.add("dtstart", datetime.datetime(1970, 3, 29, 1, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    daylight.add("tzoffsetfrom", datetime.timedelta(hours=0))
    daylight.add("tzoffsetto", datetime.timedelta(hours=1))
    daylight.add("tzname", "BST")
    tz.add_component(standard)
    tz.add_component(daylight)
    return tz


def panel_ics(panel, *, attendees, method: str = "REQUEST", sequence: int | None = None,
              papers_url: str = "", removed: bool = False) -> str:
    """The calendar file for ``panel`` sent to ``attendees`` (Users).

    ``method``: REQUEST (an invitation or update, answered with Accept or Decline), CANCEL (with ``removed``, only
    these attendees are taken off and the meeting itself stands), or PUBLISH (an "Add to calendar" download).
    """
    partnership = panel.case.partnership
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add_component(_london_vtimezone())

    event = icalendar.Event()
    event.add("uid", panel.ics_uid)
    event.add("sequence", panel.sequence if sequence is None else sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    start = panel.meeting_at.astimezone(LONDON)
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=panel.duration_minutes))
    event.add("summary", f"Rapid review panel: case {panel.case.reference}")
    location = panel.venue or ("Online" if panel.online_link else "")
    if location:
        event.add("location", location)
    lines = [f"{partnership.name} rapid review panel for case {panel.case.reference}."]
    if panel.online_link:
        lines.append(f"Join online: {panel.online_link}")
    panel_url = in_partnership(settings.SITE_URL + panel.get_absolute_url(), partnership)
    lines.append(f"Agenda and details: {panel_url}")
    if papers_url:
        lines.append(f"Papers (quality-assured agency check pack): {in_partnership(papers_url, partnership)}")
    lines.append(f"Questions: {partnership.name} business unit, {partnership.contact_email}")
    event.add("description", "\n".join(lines))
    event.add("url", panel_url)
    event.add("status", "CANCELLED" if method == "CANCEL" and not removed else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = icalendar.vCalAddress(f"mailto:{partnership.contact_email}")
    organizer.params["cn"] = icalendar.vText(partnership.short_name or partnership.name)
    event.add("organizer", organizer)
    for user in attendees:
        attendee = icalendar.vCalAddress(f"mailto:{user.email}")
        attendee.params["cn"] = icalendar.vText(user.full_name or user.email)
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        if method == "REQUEST":
            attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
            attendee.params["rsvp"] = icalendar.vText("TRUE")
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical().decode()
