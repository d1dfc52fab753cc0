"""The meeting itself: who attended, and recording that it was held."""

from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import User
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_meet
from rapidreview.db import DomainError
from referrals.services import case_record_event

from .. import selectors
from ..models import Attendance, ConflictOfInterest, Panel, PanelState
from .common import lock, long_date, require_stage


@transaction.atomic
def panel_record_attendance(*, panel: Panel, rows: dict, actor: User) -> Panel:
    """``rows`` maps invitation id to (attendance, substitute name). A substitute must be named.

    A member with a declared conflict cannot be present: they sent apologies, or were represented by their agreed
    substitute (whose name is then taken from the conflict). An agreed substitute is present or sends apologies.
    """
    panel = lock(panel)
    require_stage(panel.case)
    if panel.state != PanelState.SCHEDULED:
        raise DomainError("Attendance is recorded for a scheduled meeting that has not yet been recorded as held.")
    if panel.meeting_date and panel.meeting_date > timezone.localdate():
        raise DomainError(f"The meeting is on {long_date(panel.meeting_date)}; record attendance on or after that "
                          "day.")
    invitations = {str(inv.pk): inv for inv in panel.invitations.select_for_update().select_related("user")}
    conflicts = {c.user_id: c for c in ConflictOfInterest.objects.filter(case_id=panel.case_id)
                 .select_related("substitute")}
    for inv_id, (attendance, substitute_name) in rows.items():
        inv = invitations.get(str(inv_id))
        if inv is None:
            raise DomainError("That person is not invited to this panel.")
        if attendance not in Attendance.values:
            raise DomainError("Choose present, apologies or represented by a substitute.")
        substitute_name = (substitute_name or "").strip()
        conflict = conflicts.get(inv.user_id)
        if conflict is not None and attendance == Attendance.PRESENT:
            raise DomainError(f"{inv.user.full_name} has declared a conflict of interest on this case, so cannot "
                              "be marked present. Record apologies, or that their agreed substitute represented "
                              "them.")
        if conflict is not None and attendance == Attendance.SUBSTITUTE and conflict.substitute_id:
            substitute_name = conflict.substitute.full_name
        if inv.substitute_for_id and attendance == Attendance.SUBSTITUTE:
            raise DomainError(f"{inv.user.full_name} is the substitute in this seat: record them as present or "
                              "sending apologies.")
        if attendance == Attendance.SUBSTITUTE and not substitute_name:
            raise DomainError(f"Name the substitute who represented {inv.user.full_name}.")
        inv.attendance = attendance
        inv.substitute_name = substitute_name if attendance == Attendance.SUBSTITUTE else ""
        inv._history_user = actor
        inv.save()
    return panel


@transaction.atomic
def panel_record_held(*, panel: Panel, actor: User, notes: str = "") -> Panel:
    """Record that the meeting took place. It must be quorate; this meets the panel-meeting clock."""
    panel = lock(panel)
    case = panel.case
    require_stage(case)
    if panel.state != PanelState.SCHEDULED:
        raise DomainError("Only a scheduled meeting can be recorded as held.")
    if panel.meeting_date > timezone.localdate():
        raise DomainError(f"The meeting is on {long_date(panel.meeting_date)}; it cannot be recorded as held before "
                          "then.")
    if panel.invitations.filter(attendance="").exists():
        raise DomainError("Record attendance for everyone invited first.")
    quorum = selectors.quorum_status(panel)
    if not quorum.met:
        raise DomainError(quorum.message + " Reschedule the meeting or record the substitute who attended.")
    panel.state = PanelState.HELD
    panel.held_at = timezone.now()
    panel.held_recorded_by = actor
    panel.notes = notes.strip()
    panel._history_user = actor
    panel.save()
    clock_meet(subject=case, kind=ClockKind.PANEL_MEETING, met_at=panel.meeting_at)
    case_record_event(case=case, kind="panel", actor=actor,
                      summary=f"Rapid review panel held on {long_date(panel.meeting_date)}", note=panel.notes)
    return panel
