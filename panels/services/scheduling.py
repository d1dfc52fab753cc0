"""Giving a case's panel its date, time and place, moving it, or calling it off.

Scheduling rules (process rules 8, 22 and 23):

- the meeting is on or before working day N after the notification (N is a partnership setting); later needs an
  override with a recorded reason;
- never two panels of one partnership for different cases on the same day (also a unique constraint on
  ``Panel.partnership`` and ``Panel.meeting_date``);
- never two panels of one partnership for different cases on consecutive working days ("back-to-back"): refused
  like the same day.

The rules are the case's leading partnership's, on its calendar: two partnerships may meet on the same day
(ADR 0015). Scheduling locks that partnership's row first, so two people scheduling its panels at once are served
one after the other and cannot both take neighbouring days (ADR 0011), while other partnerships schedule freely.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from rapidreview.accounts.models import Partnership, User
from rapidreview.db import DomainError
from rapidreview.templatetags.govuk import govuk_time
from rapidreview.workdays import is_working_day
from referrals.services import case_record_event

from .. import selectors
from ..models import Panel, PanelState
from .common import LONDON, lock, long_date, require_stage
from .invitations import send_cancellation, send_invitations


@transaction.atomic
def panel_schedule(*, panel: Panel, meeting_at: datetime.datetime, actor: User, duration_minutes: int = 120,
                   venue: str = "", online_link: str = "", override_reason: str = "") -> Panel:
    """Give the panel its date, time and place, or move it. Applies the partnership's scheduling rules."""
    # One scheduler a partnership at a time: the day checks below read the partnership's other panels, which a row
    # lock on this one cannot guard.
    partnership = Partnership.objects.select_for_update().get(pk=panel.case.partnership_id)
    panel = lock(panel)
    case = panel.case
    require_stage(case)
    if panel.state == PanelState.HELD:
        raise DomainError("The panel has already met and cannot be rescheduled.")
    if timezone.is_naive(meeting_at):
        meeting_at = timezone.make_aware(meeting_at, LONDON)
    if meeting_at <= timezone.now():
        raise DomainError("The meeting must be in the future.")
    if not (venue or online_link):
        raise DomainError("Enter a venue or an online meeting link.")
    day = meeting_at.astimezone(LONDON).date()
    if not is_working_day(day, partnership=partnership):
        raise DomainError(f"{long_date(day)} is not a working day. Choose a weekday that is not a bank holiday or "
                          "a closure day.")
    deadline = selectors.meeting_deadline(case)
    override_reason = override_reason.strip()
    if deadline and day > deadline and not override_reason:
        raise DomainError(f"The panel must meet on or before {long_date(deadline)}, working day "
                          f"{partnership.panel_meeting_working_days} after the notification. To meet later, give "
                          "the reason for the override.")
    same_day = list(selectors.panels_on(day, partnership=partnership, exclude_case=case))
    if same_day:
        raise DomainError(f"The panel for case {same_day[0].case.reference} is already on {long_date(day)}. Rapid "
                          "reviews for different cases are never held on the same day.")
    neighbours = list(selectors.panels_next_to(day, partnership=partnership, exclude_case=case))
    if neighbours:
        listed = "; ".join(f"case {p.case.reference} on {long_date(p.meeting_date)}" for p in neighbours)
        raise DomainError(f"Another case's panel is on the working day next to {long_date(day)} ({listed}). Rapid "
                          "reviews for different cases are never held back-to-back: choose a date with at least one "
                          "working day between them.")

    changed = panel.state == PanelState.SCHEDULED and (
        panel.meeting_at != meeting_at or panel.venue != venue or panel.online_link != online_link
        or panel.duration_minutes != duration_minutes)
    was = panel.meeting_at
    panel.meeting_at = meeting_at
    panel.meeting_date = day
    panel.duration_minutes = duration_minutes
    panel.venue = venue
    panel.online_link = online_link
    panel.deadline_override_reason = override_reason if deadline and day > deadline else ""
    resend = panel.invitations_sent_at is not None and (changed or panel.state == PanelState.CANCELLED)
    if resend:
        panel.sequence += 1
    panel.state = PanelState.SCHEDULED
    panel.partnership = partnership
    panel._history_user = actor
    try:
        with transaction.atomic():
            panel.save()
    except IntegrityError:
        raise DomainError(f"Another case's panel was scheduled on {long_date(day)} a moment ago. Rapid reviews for "
                          "different cases are never held on the same day.") from None
    local = meeting_at.astimezone(LONDON)
    summary = (f"Panel moved to {long_date(day)} at {govuk_time(local)}" if was else
               f"Panel scheduled for {long_date(day)} at {govuk_time(local)}")
    note = (f"Override of the {partnership.panel_meeting_working_days}-working-day limit: {override_reason}"
            if panel.deadline_override_reason else "")
    case_record_event(case=case, kind="panel", actor=actor, summary=summary, note=note)
    if resend:
        send_invitations(panel)
    return panel


@transaction.atomic
def panel_cancel(*, panel: Panel, actor: User, reason: str = "") -> Panel:
    """Call the meeting off; everyone sent an invitation gets a cancellation (same UID, next SEQUENCE)."""
    panel = lock(panel)
    require_stage(panel.case)
    if panel.state != PanelState.SCHEDULED:
        raise DomainError("Only a scheduled panel can be cancelled.")
    panel.state = PanelState.CANCELLED
    if panel.invitations_sent_at:
        panel.sequence += 1
    panel._history_user = actor
    panel.save()
    if panel.invitations_sent_at:
        for inv in panel.invitations.select_related("user").exclude(sent_sequence=None):
            send_cancellation(panel, inv.user, panel.sequence, reason=reason)
            inv.sent_sequence = panel.sequence
            inv.save(update_fields=["sent_sequence", "updated_at"])
    case_record_event(case=panel.case, kind="panel", actor=actor, summary="Panel meeting cancelled", note=reason)
    return panel
