"""Writes about panels: membership, set-up, scheduling, invitations, agenda, attendance, conflicts, liaison.

Scheduling rules (process rules 8, 22 and 23):

- the meeting is on or before working day N after the notification (N is a partnership setting); later needs an
  override with a recorded reason;
- never two panels for different cases on the same day (also a unique constraint on ``Panel.meeting_date``);
- panels on consecutive working days need a confirmation (``SpacingWarning`` until ``confirm_spacing=True``).
"""

import datetime
import uuid
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from rapidreview.accounts.models import Role, RoleAssignment, User
from rapidreview.accounts.selectors import agency_leads, users_with_role
from rapidreview.accounts.services import role_end
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_meet
from rapidreview.db import DomainError
from rapidreview.notifications.services import notify
from rapidreview.workdays import is_working_day
from referrals.models import Case, Stage
from referrals.services import case_record_event

from . import selectors
from .ics import panel_ics
from .models import (
    Attendance,
    ConflictOfInterest,
    NationalPanelLiaison,
    Panel,
    PanelInvitation,
    PanelState,
)

LONDON = ZoneInfo("Europe/London")
SETUP_STAGES = (Stage.RAPID_REVIEW,)


class SpacingWarning(DomainError):
    """The date is allowed but next to another case's panel: the user must confirm."""

    def __init__(self, message: str, panels: list[Panel]):
        super().__init__(message)
        self.panels = panels


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _require_stage(case: Case, stages=SETUP_STAGES) -> None:
    if case.stage not in stages:
        raise DomainError(f"This cannot be done while the case is at “{case.get_stage_display()}”.")


def _lock(panel: Panel) -> Panel:
    return Panel.objects.select_for_update(of=("self",)).select_related("case").get(pk=panel.pk)


def papers_url(case: Case) -> str:
    """The link to the quality-assured agency check pack, when the agency checks app provides one."""
    try:
        return settings.SITE_URL + reverse("agencychecks:pack", args=[case.pk])
    except NoReverseMatch:
        return ""


# ---- membership register (RoleAssignment with role=panel_member) ------------------------------------------------

MEMBERSHIP_FIELDS = ("title", "statutory_partner", "voting", "core", "is_chair", "substitute", "starts_on", "ends_on")


@transaction.atomic
def membership_add(*, user: User, actor: User, **fields) -> RoleAssignment:
    """Add ``user`` to the panel register with the given seat and attributes."""
    starts_on = fields.get("starts_on") or timezone.localdate()
    if RoleAssignment.objects.filter(user=user, role=Role.PANEL_MEMBER, starts_on=starts_on).exists():
        raise DomainError(f"{user.full_name} already has a panel membership starting on {_date(starts_on)}.")
    _check_membership_dates(fields)
    assignment = RoleAssignment(user=user, role=Role.PANEL_MEMBER,
                                **{k: v for k, v in fields.items() if k in MEMBERSHIP_FIELDS})
    assignment.starts_on = starts_on
    assignment._history_user = actor
    assignment.save()
    return assignment


@transaction.atomic
def membership_update(*, assignment: RoleAssignment, actor: User, **fields) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk, role=Role.PANEL_MEMBER)
    _check_membership_dates({"starts_on": assignment.starts_on, **fields})
    for key, value in fields.items():
        if key in MEMBERSHIP_FIELDS:
            setattr(assignment, key, value)
    assignment._history_user = actor
    assignment.save()
    return assignment


def _check_membership_dates(fields: dict) -> None:
    starts, ends = fields.get("starts_on"), fields.get("ends_on")
    if starts and ends and ends < starts:
        raise DomainError("The end date must be on or after the start date.")


def membership_end(*, assignment: RoleAssignment, actor: User) -> RoleAssignment:
    """End a panel membership today (its history is kept)."""
    if assignment.role != Role.PANEL_MEMBER:
        raise DomainError("This is not a panel membership.")
    if assignment.ends_on is not None and assignment.ends_on < timezone.localdate():
        raise DomainError("This membership has already ended.")
    return role_end(assignment=assignment, actor=actor)


# ---- setting up a case's panel -------------------------------------------------------------------------------------

def invitee_choices(case: Case) -> list[dict]:
    """Case-by-case people the business unit may tick: case-by-case panel members, then the safeguarding leads of
    the agencies involved. ``involved`` marks those the referral's list of agencies pre-selects."""
    involved = set(case.involved_agencies.values_list("pk", flat=True))
    core_ids = set(selectors.core_assignments().values_list("user_id", flat=True))
    rows, seen = [], set()
    for a in selectors.case_by_case_assignments():
        if a.user_id in seen or a.user_id in core_ids:
            continue
        seen.add(a.user_id)
        rows.append({"user": a.user, "agency": a.user.agency, "seat": a.title or a.user.job_title,
                     "voting": a.voting, "involved": a.user.agency_id in involved, "member": True})
    for agency in case.involved_agencies.all():
        for lead in agency_leads(agency):
            if lead.pk in seen or lead.pk in core_ids:
                continue
            seen.add(lead.pk)
            rows.append({"user": lead, "agency": agency, "seat": f"Safeguarding lead, {agency.name}",
                         "voting": False, "involved": True, "member": False})
    return rows


@transaction.atomic
def panel_set_up(*, case: Case, invitee_ids: Iterable, actor: User) -> Panel:
    """Create (or update) the case's panel: invite every current core member and the chosen case-by-case people.

    People no longer ticked are taken off; if they had been sent an invitation they get a cancellation.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_stage(case)
    panel, created = Panel.objects.get_or_create(
        case=case, defaults={"created_by": actor, "ics_uid": f"panel-{uuid.uuid4()}@rapidreview"})
    panel = _lock(panel)
    if panel.state == PanelState.HELD:
        raise DomainError("The panel has already met; its invitations can no longer change.")
    invitations_sync(panel=panel, invitee_ids=invitee_ids)
    if created:
        case_record_event(case=case, kind="panel", actor=actor, summary="Rapid review panel set up")
    if panel.invitations_sent_at and panel.state == PanelState.SCHEDULED:
        _send_invitations(panel)
    return panel


def invitations_sync(*, panel: Panel, invitee_ids: Iterable) -> None:
    """Make the panel's invitations the current core members plus ``invitee_ids`` (case-by-case choices).

    Called by ``panel_set_up`` (which checks the stage and locks); the demo also uses it for panels that met.
    """
    case = panel.case
    chosen = {str(i) for i in invitee_ids}
    choices = {str(row["user"].pk): row for row in invitee_choices(case)}
    unknown = chosen - set(choices)
    if unknown:
        raise DomainError("Choose people from the list.")
    conflicted = set(str(i) for i in selectors.conflicted_user_ids(case).values_list("user_id", flat=True))

    existing = {str(inv.user_id): inv for inv in panel.invitations.select_related("user")}
    wanted: dict[str, dict] = {}
    for a in selectors.core_assignments():
        if str(a.user_id) in conflicted or str(a.user_id) in wanted:
            continue
        wanted[str(a.user_id)] = {"user": a.user, "agency": a.user.agency, "seat": a.title or a.user.job_title,
                                  "statutory_partner": a.statutory_partner or (a.user.agency.statutory_partner
                                                                               if a.user.agency else ""),
                                  "voting": a.voting, "core": True, "is_chair": a.is_chair}
    assignments = {str(a.user_id): a for a in selectors.case_by_case_assignments()}
    for uid in chosen:
        if uid in wanted or uid in conflicted:
            continue
        row = choices[uid]
        a = assignments.get(uid)
        partner = (a.statutory_partner if a else "") or (row["agency"].statutory_partner if row["agency"] else "")
        wanted[uid] = {"user": row["user"], "agency": row["agency"], "seat": row["seat"], "voting": row["voting"],
                       "statutory_partner": partner, "core": False, "is_chair": False}

    removed = [inv for uid, inv in existing.items() if uid not in wanted and not inv.core]
    if any(inv.sent_sequence is not None for inv in removed) and panel.state == PanelState.SCHEDULED:
        # Taking someone off changes the meeting for everyone: the next SEQUENCE goes to all.
        panel.sequence += 1
        panel.save(update_fields=["sequence", "updated_at"])
    for inv in removed:
        if inv.sent_sequence is not None and panel.state == PanelState.SCHEDULED:
            _send_cancel_to(panel, inv.user, panel.sequence, reason="You are no longer invited to this panel.")
        inv.delete()
    for uid, data in wanted.items():
        if uid not in existing:
            PanelInvitation.objects.create(panel=panel, **data)


# ---- scheduling ----------------------------------------------------------------------------------------------------

@transaction.atomic
def panel_schedule(*, panel: Panel, meeting_at: datetime.datetime, actor: User, duration_minutes: int = 120,
                   venue: str = "", online_link: str = "", override_reason: str = "",
                   confirm_spacing: bool = False) -> Panel:
    """Give the panel its date, time and place, or move it. Applies the partnership's scheduling rules."""
    panel = _lock(panel)
    case = panel.case
    _require_stage(case)
    if panel.state == PanelState.HELD:
        raise DomainError("The panel has already met and cannot be rescheduled.")
    if timezone.is_naive(meeting_at):
        meeting_at = timezone.make_aware(meeting_at, LONDON)
    if meeting_at <= timezone.now():
        raise DomainError("The meeting must be in the future.")
    if not (venue or online_link):
        raise DomainError("Enter a venue or an online meeting link.")
    day = meeting_at.astimezone(LONDON).date()
    if not is_working_day(day):
        raise DomainError(f"{_date(day)} is not a working day. Choose a weekday that is not a bank holiday or "
                          "a closure day.")
    deadline = selectors.meeting_deadline(case)
    override_reason = override_reason.strip()
    if deadline and day > deadline and not override_reason:
        raise DomainError(f"The panel must meet on or before {_date(deadline)}, working day "
                          f"{_limit()} after the notification. To meet later, give the reason for the override.")
    same_day = list(selectors.panels_on(day, exclude_case=case))
    if same_day:
        raise DomainError(f"The panel for case {same_day[0].case.reference} is already on {_date(day)}. Rapid "
                          "reviews for different cases are never held on the same day.")
    neighbours = list(selectors.panels_next_to(day, exclude_case=case))
    if neighbours and not confirm_spacing:
        listed = "; ".join(f"case {p.case.reference} on {_date(p.meeting_date)}" for p in neighbours)
        raise SpacingWarning(f"Another panel is on the working day next to {_date(day)} ({listed}). The partnership "
                             "avoids holding rapid reviews back to back.", neighbours)

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
    panel.spacing_confirmed_by = actor if neighbours else None
    resend = panel.invitations_sent_at is not None and (changed or panel.state == PanelState.CANCELLED)
    if resend:
        panel.sequence += 1
    panel.state = PanelState.SCHEDULED
    panel._history_user = actor
    try:
        with transaction.atomic():
            panel.save()
    except IntegrityError:
        raise DomainError(f"Another case's panel was scheduled on {_date(day)} a moment ago. Rapid reviews for "
                          "different cases are never held on the same day.") from None
    local = meeting_at.astimezone(LONDON)
    summary = (f"Panel moved to {_date(day)} at {local:%H:%M}" if was else
               f"Panel scheduled for {_date(day)} at {local:%H:%M}")
    note = f"Override of the {_limit()}-working-day limit: {override_reason}" if panel.deadline_override_reason else ""
    case_record_event(case=case, kind="panel", actor=actor, summary=summary, note=note)
    if resend:
        _send_invitations(panel)
    return panel


def _limit() -> int:
    from rapidreview.accounts.models import Partnership

    return Partnership.load().panel_meeting_working_days


@transaction.atomic
def panel_cancel(*, panel: Panel, actor: User, reason: str = "") -> Panel:
    """Call the meeting off; everyone sent an invitation gets a cancellation (same UID, next SEQUENCE)."""
    panel = _lock(panel)
    _require_stage(panel.case)
    if panel.state != PanelState.SCHEDULED:
        raise DomainError("Only a scheduled panel can be cancelled.")
    panel.state = PanelState.CANCELLED
    if panel.invitations_sent_at:
        panel.sequence += 1
    panel._history_user = actor
    panel.save()
    if panel.invitations_sent_at:
        for inv in panel.invitations.select_related("user").exclude(sent_sequence=None):
            _send_cancel_to(panel, inv.user, panel.sequence, reason=reason)
            inv.sent_sequence = panel.sequence
            inv.save(update_fields=["sent_sequence", "updated_at"])
    case_record_event(case=panel.case, kind="panel", actor=actor, summary="Panel meeting cancelled", note=reason)
    return panel


# ---- invitations -----------------------------------------------------------------------------------------------------

@transaction.atomic
def panel_send_invitations(*, panel: Panel, actor: User) -> int:
    """E-mail the calendar invitation to everyone not yet holding the current version. Returns how many were sent."""
    panel = _lock(panel)
    _require_stage(panel.case)
    if panel.state != PanelState.SCHEDULED:
        raise DomainError("Schedule the meeting before sending invitations.")
    if not panel.invitations.exists():
        raise DomainError("Set up the panel and choose who to invite first.")
    first = panel.invitations_sent_at is None
    sent = _send_invitations(panel)
    if first:
        case_record_event(case=panel.case, kind="panel", actor=actor,
                          summary=f"Panel invitations sent to {sent} people")
    return sent


def _send_invitations(panel: Panel) -> int:
    """Send the current version to each invitee holding an older one (conflicted members are left out)."""
    conflicted = set(selectors.conflicted_user_ids(panel.case).values_list("user_id", flat=True))
    invitations = [inv for inv in panel.invitations.select_related("user")
                   if inv.user_id not in conflicted and inv.sent_sequence != panel.sequence]
    papers = papers_url(panel.case)
    count = 0
    for inv in invitations:
        update = inv.sent_sequence is not None or panel.sequence > 0
        ics = panel_ics(panel, attendees=[inv.user], method="REQUEST", papers_url=papers)
        local = panel.meeting_at.astimezone(LONDON)
        subject = (f"{'Updated: ' if update else ''}Rapid review panel for case {panel.case.reference}, "
                   f"{_date(local.date())} at {local:%H:%M}")
        note = notify(to=inv.user, subject=subject, template="panels/email/invitation",
                      context={"panel": panel, "invitation": inv, "update": update, "papers_url": papers,
                               "local_start": local, "panel_url": settings.SITE_URL + panel.get_absolute_url()},
                      kind="panels.invitation", key=f"panels:invite:{panel.pk}:{inv.user_id}:{panel.sequence}",
                      related=panel, attachments=[("invite.ics", ics, "text/calendar; method=REQUEST")])
        inv.sent_sequence = panel.sequence
        inv.save(update_fields=["sent_sequence", "updated_at"])
        count += 1 if note else 0
    if invitations and panel.invitations_sent_at is None:
        panel.invitations_sent_at = timezone.now()
        panel.save(update_fields=["invitations_sent_at", "updated_at"])
    return count


def _send_cancel_to(panel: Panel, user: User, sequence: int, reason: str = ""):
    ics = panel_ics(panel, attendees=[user], method="CANCEL", sequence=sequence)
    local = panel.meeting_at.astimezone(LONDON)
    return notify(to=user, subject=f"Cancelled: rapid review panel for case {panel.case.reference}, "
                                   f"{_date(local.date())}",
                  template="panels/email/cancellation",
                  context={"panel": panel, "reason": reason, "local_start": local},
                  kind="panels.cancellation", key=f"panels:cancel:{panel.pk}:{user.pk}:{sequence}", related=panel,
                  attachments=[("invite.ics", ics, "text/calendar; method=CANCEL")])


# ---- agenda --------------------------------------------------------------------------------------------------------

@transaction.atomic
def panel_agenda_save(*, panel: Panel, agenda: str, actor: User) -> Panel:
    panel = _lock(panel)
    _require_stage(panel.case)
    if panel.state == PanelState.HELD:
        raise DomainError("The panel has already met.")
    agenda = agenda.strip()
    if not agenda:
        raise DomainError("Enter the agenda.")
    if agenda != panel.agenda:
        panel.agenda = agenda
        panel.agenda_version += 1
        panel._history_user = actor
        panel.save()
    return panel


@transaction.atomic
def panel_agenda_send(*, panel: Panel, actor: User) -> int:
    """E-mail the agenda and the link to the papers to every invitee (once per version of the agenda)."""
    panel = _lock(panel)
    _require_stage(panel.case)
    if panel.state != PanelState.SCHEDULED:
        raise DomainError("Schedule the meeting before sending the agenda.")
    if not panel.agenda:
        raise DomainError("Write the agenda before sending it.")
    papers = papers_url(panel.case)
    local = panel.meeting_at.astimezone(LONDON)
    sent = 0
    for user in selectors.case_panel_members(panel.case):
        note = notify(to=user, subject=f"Agenda: rapid review panel for case {panel.case.reference}, "
                                       f"{_date(local.date())}",
                      template="panels/email/agenda",
                      context={"panel": panel, "papers_url": papers, "local_start": local,
                               "panel_url": settings.SITE_URL + panel.get_absolute_url()},
                      kind="panels.agenda", key=f"panels:agenda:{panel.pk}:{user.pk}:{panel.agenda_version}",
                      related=panel)
        sent += 1 if note else 0
    panel.agenda_sent_version = panel.agenda_version
    panel.agenda_sent_at = timezone.now()
    panel.save(update_fields=["agenda_sent_version", "agenda_sent_at", "updated_at"])
    if sent:
        case_record_event(case=panel.case, kind="panel", actor=actor, summary=f"Panel agenda sent to {sent} people")
    return sent


# ---- attendance and the meeting ------------------------------------------------------------------------------------

@transaction.atomic
def panel_record_attendance(*, panel: Panel, rows: dict, actor: User) -> Panel:
    """``rows`` maps invitation id to (attendance, substitute name). A substitute must be named."""
    panel = _lock(panel)
    _require_stage(panel.case)
    if panel.state != PanelState.SCHEDULED:
        raise DomainError("Attendance is recorded for a scheduled meeting that has not yet been recorded as held.")
    if panel.meeting_date and panel.meeting_date > timezone.localdate():
        raise DomainError(f"The meeting is on {_date(panel.meeting_date)}; record attendance on or after that day.")
    invitations = {str(inv.pk): inv for inv in panel.invitations.select_for_update()}
    for inv_id, (attendance, substitute_name) in rows.items():
        inv = invitations.get(str(inv_id))
        if inv is None:
            raise DomainError("That person is not invited to this panel.")
        if attendance not in Attendance.values:
            raise DomainError("Choose present, apologies or represented by a substitute.")
        substitute_name = (substitute_name or "").strip()
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
    panel = _lock(panel)
    case = panel.case
    _require_stage(case)
    if panel.state != PanelState.SCHEDULED:
        raise DomainError("Only a scheduled meeting can be recorded as held.")
    if panel.meeting_date > timezone.localdate():
        raise DomainError(f"The meeting is on {_date(panel.meeting_date)}; it cannot be recorded as held before then.")
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
                      summary=f"Rapid review panel held on {_date(panel.meeting_date)}", note=panel.notes)
    return panel


# ---- conflicts of interest ---------------------------------------------------------------------------------------

@transaction.atomic
def conflict_declare(*, case: Case, user: User, nature: str, implications: str, actor: User) -> ConflictOfInterest:
    """Record ``user``'s conflict on ``case``. From now on they cannot see the case or vote on it."""
    if case.stage in (Stage.RECEIVED, Stage.THRESHOLD, Stage.NOT_MET, Stage.CLOSED):
        raise DomainError(f"Conflicts are declared for cases with a panel, not at “{case.get_stage_display()}”.")
    if not user.has_role(Role.PANEL_MEMBER) and not PanelInvitation.objects.filter(
            panel__case=case, user=user).exists():
        raise DomainError(f"{user.full_name} is not a panel member.")
    if not nature.strip() or not implications.strip():
        raise DomainError("Describe the conflict and its implications.")
    if ConflictOfInterest.objects.filter(case=case, user=user).exists():
        raise DomainError(f"A conflict of interest is already recorded for {user.full_name} on this case.")
    conflict = ConflictOfInterest(case=case, user=user, declared_by=actor, nature=nature.strip(),
                                  implications=implications.strip())
    conflict._history_user = actor
    conflict.save()
    case_record_event(case=case, kind="conflict", actor=actor,
                      summary=f"Conflict of interest declared by {user.full_name}")
    for person in users_with_role(Role.BUSINESS_UNIT):
        notify(to=person, subject=f"Conflict of interest declared on case {case.reference}",
               template="panels/email/conflict_declared",
               context={"conflict": conflict, "case": case,
                        "url": settings.SITE_URL + reverse("panels:conflict_handle", args=[conflict.pk])},
               kind="panels.conflict", key=f"panels:conflict:{conflict.pk}:{person.pk}", related=conflict)
    return conflict


@transaction.atomic
def conflict_record_handling(*, conflict: ConflictOfInterest, handling: str, actor: User) -> ConflictOfInterest:
    conflict = ConflictOfInterest.objects.select_for_update(of=("self",)).select_related("case").get(pk=conflict.pk)
    if not handling.strip():
        raise DomainError("Describe how the conflict is handled.")
    conflict.handling = handling.strip()
    conflict.handled_by = actor
    conflict.handled_at = timezone.now()
    conflict._history_user = actor
    conflict.save()
    case_record_event(case=conflict.case, kind="conflict", actor=actor,
                      summary=f"Handling of {conflict.user.full_name}'s conflict of interest recorded")
    return conflict


@transaction.atomic
def conflict_require_substitutes(case: Case, *, actor: User | None = None) -> list[ConflictOfInterest]:
    """A practice review was commissioned: every conflicted member needs an agreed substitute.

    Marks each conflict on the case without a substitute and tells the business unit once. The case task list
    then shows "Agree a substitute for ..." until ``conflict_agree_substitute`` records one. Safe to call again.
    """
    now = timezone.now()
    pending = list(ConflictOfInterest.objects.select_for_update().filter(case=case, substitute__isnull=True)
                   .select_related("user"))
    for conflict in pending:
        if conflict.substitute_required_at is None:
            conflict.substitute_required_at = now
            conflict._history_user = actor
            conflict.save()
    if pending:
        for person in users_with_role(Role.BUSINESS_UNIT):
            notify(to=person, subject=f"Agree substitutes for conflicted panel members on case {case.reference}",
                   template="panels/email/substitute_required",
                   context={"case": case, "conflicts": pending,
                            "url": settings.SITE_URL + reverse("panels:conflicts")},
                   kind="panels.substitute_required", key=f"panels:substitutes:{case.pk}:{person.pk}", related=case)
        case_record_event(case=case, kind="conflict", actor=actor,
                          summary="A substitute must be agreed for each conflicted panel member")
    return pending


@transaction.atomic
def conflict_agree_substitute(*, conflict: ConflictOfInterest, substitute: User, actor: User) -> ConflictOfInterest:
    conflict = ConflictOfInterest.objects.select_for_update(of=("self",)).select_related("case").get(pk=conflict.pk)
    if substitute.pk == conflict.user_id:
        raise DomainError("The substitute must be someone other than the conflicted member.")
    if ConflictOfInterest.objects.filter(case_id=conflict.case_id, user=substitute).exists():
        raise DomainError(f"{substitute.full_name} also has a conflict of interest on this case.")
    conflict.substitute = substitute
    conflict.substitute_agreed_at = timezone.now()
    conflict._history_user = actor
    conflict.save()
    case_record_event(case=conflict.case, kind="conflict", actor=actor,
                      summary=f"{substitute.full_name} agreed as substitute for {conflict.user.full_name}")
    return conflict


# ---- clustered notifications -------------------------------------------------------------------------------------

@transaction.atomic
def liaison_record(*, cases: Iterable[Case], liaised_on: datetime.date, contact: str, timelines_agreed: str,
                   actor: User) -> NationalPanelLiaison:
    """Record the business unit's liaison with the National Panel about the timelines of clustered cases."""
    cases = list(cases)
    if len(cases) < 2:
        raise DomainError("Choose at least two cases whose notifications are close together.")
    if any(c.sin_notified_on is None for c in cases):
        raise DomainError("Every case chosen must have been notified to the National Panel.")
    if liaised_on > timezone.localdate():
        raise DomainError("The date of the liaison cannot be in the future.")
    if not contact.strip() or not timelines_agreed.strip():
        raise DomainError("Say who liaised and the timelines agreed.")
    liaison = NationalPanelLiaison(liaised_on=liaised_on, contact=contact.strip(),
                                   timelines_agreed=timelines_agreed.strip(), recorded_by=actor)
    liaison._history_user = actor
    liaison.save()
    liaison.cases.set(cases)
    for case in cases:
        case_record_event(case=case, kind="liaison", actor=actor,
                          summary=f"Liaison with the National Panel about timelines recorded ({_date(liaised_on)})")
    return liaison
