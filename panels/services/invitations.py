"""Who is invited to a case's panel, and the calendar invitations and cancellations they are e-mailed."""

import datetime
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from rapidreview.accounts.models import User
from rapidreview.db import DomainError
from rapidreview.notifications.services import notify
from rapidreview.templatetags.govuk import govuk_time
from referrals.models import Case
from referrals.services import case_record_event

from .. import selectors
from ..ics import panel_ics
from ..models import ConflictOfInterest, InvitationResponse, Panel, PanelInvitation, PanelState
from ..signals import substitute_seated
from .common import LONDON, lock, long_date, require_stage


def papers_url(case: Case) -> str:
    """The link to the quality-assured agency check pack, when the agency checks app provides one."""
    try:
        return settings.SITE_URL + reverse("agencychecks:pack", args=[case.pk])
    except NoReverseMatch:
        return ""


# ---- who is invited ------------------------------------------------------------------------------------------------

def invitee_choices(case: Case) -> list[dict]:
    """Case-by-case people the business unit may tick, all from the register and people of the case's leading
    partnership: its case-by-case panel members, then its safeguarding leads of the agencies involved. ``involved``
    marks those the referral's list of agencies pre-selects."""
    partnership = case.partnership
    involved = set(case.involved_agencies.values_list("pk", flat=True))
    core_ids = set(selectors.core_assignments(partnership=partnership).values_list("user_id", flat=True))
    rows, seen = [], set()
    for a in selectors.case_by_case_assignments(partnership=partnership):
        if a.user_id in seen or a.user_id in core_ids:
            continue
        seen.add(a.user_id)
        rows.append({"user": a.user, "agency": a.user.agency, "seat": a.title or a.user.job_title,
                     "voting": a.voting, "involved": a.user.agency_id in involved, "member": True})
    for agency, lead in selectors.involved_agency_leads(case):
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
    require_stage(case)
    panel, created = Panel.objects.get_or_create(
        case=case, defaults={"created_by": actor, "ics_uid": f"panel-{uuid.uuid4()}@rapidreview"})
    panel = lock(panel)
    if panel.state == PanelState.HELD:
        raise DomainError("The panel has already met; its invitations can no longer change.")
    invitations_sync(panel=panel, invitee_ids=invitee_ids)
    if created:
        case_record_event(case=case, kind="panel", actor=actor, summary="Rapid review panel set up")
    if panel.invitations_sent_at and panel.state == PanelState.SCHEDULED:
        send_invitations(panel)
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
    for a in selectors.core_assignments(partnership=case.partnership_id):
        if str(a.user_id) in conflicted or str(a.user_id) in wanted:
            continue
        wanted[str(a.user_id)] = {"user": a.user, "agency": a.user.agency, "seat": a.title or a.user.job_title,
                                  "statutory_partner": a.statutory_partner or (a.user.agency.statutory_partner
                                                                               if a.user.agency else ""),
                                  "voting": a.voting, "core": True, "is_chair": a.is_chair}
    assignments = {str(a.user_id): a for a in selectors.case_by_case_assignments(partnership=case.partnership_id)}
    for uid in chosen:
        if uid in wanted or uid in conflicted:
            continue
        row = choices[uid]
        a = assignments.get(uid)
        partner = (a.statutory_partner if a else "") or (row["agency"].statutory_partner if row["agency"] else "")
        wanted[uid] = {"user": row["user"], "agency": row["agency"], "seat": row["seat"], "voting": row["voting"],
                       "statutory_partner": partner, "core": False, "is_chair": False}

    seated = {str(uid) for uid in ConflictOfInterest.objects.filter(case_id=case.pk, substitute__isnull=False)
              .values_list("substitute_id", flat=True)}
    removed = [inv for uid, inv in existing.items()
               if uid not in wanted and not inv.core and not (inv.substitute_for_id and uid in seated)]
    for inv in removed:
        # Each person's calendar file names only them, so taking one person off changes nobody else's meeting:
        # they alone get a CANCEL that removes them, and the meeting stands for everyone else.
        if inv.sent_sequence is not None and panel.state == PanelState.SCHEDULED:
            send_cancellation(panel, inv.user, panel.sequence + 1, removed=True,
                              reason="You are no longer invited to this panel. The meeting itself goes ahead.")
        inv.delete()
    for uid, data in wanted.items():
        if uid not in existing and uid not in seated:
            PanelInvitation.objects.create(panel=panel, **data)
    for conflict in ConflictOfInterest.objects.filter(case_id=case.pk, substitute__isnull=False):
        substitute_seat(panel=panel, conflict=conflict)


# ---- substitutes ---------------------------------------------------------------------------------------------------

def substitute_seat(*, panel: Panel, conflict: ConflictOfInterest, actor: User | None = None) -> PanelInvitation:
    """Seat ``conflict``'s agreed substitute in the conflicted member's place on ``panel`` (idempotent).

    The seat copies the member's invitation (or, if they were not invited, their current panel membership): seat,
    agency, statutory partner, voting. The substitute is then invited like anyone else: the calendar invitation when
    invitations have gone out, and the agency check pack when it has been distributed (``substitute_seated``).
    The caller has locked the panel or the conflict.
    """
    substitute, member = conflict.substitute, conflict.user
    existing = PanelInvitation.objects.filter(panel=panel, user=substitute).first()
    if existing is not None:
        if existing.substitute_for_id != member.pk:
            raise DomainError(f"{substitute.full_name} already sits on this panel, so cannot also take "
                              f"{member.full_name}'s seat. Agree someone else.")
        return existing
    seat = _seat_of(panel, member)
    invitation = PanelInvitation(panel=panel, user=substitute, substitute_for=member, core=seat["core"],
                                 agency=seat["agency"], seat=seat["seat"], voting=seat["voting"],
                                 statutory_partner=seat["statutory_partner"])
    invitation._history_user = actor
    invitation.save()
    case_record_event(case=panel.case, kind="panel", actor=actor,
                      summary=f"{substitute.full_name} seated on the panel for {member.full_name}")
    if panel.invitations_sent_at and panel.state == PanelState.SCHEDULED:
        send_invitations(panel)
    substitute_seated.send(sender=PanelInvitation, invitation=invitation)
    return invitation


def substitute_unseat(*, panel: Panel, conflict: ConflictOfInterest, actor: User | None = None) -> None:
    """Take the previously agreed substitute off ``conflict``'s seat (before the meeting is recorded)."""
    seat = PanelInvitation.objects.filter(panel=panel, user_id=conflict.substitute_id,
                                          substitute_for_id=conflict.user_id).select_related("user").first()
    if seat is None:
        return
    if seat.attendance:
        raise DomainError(f"{seat.user.full_name}'s attendance is already recorded in {conflict.user.full_name}'s "
                          "seat, so the substitute can no longer change.")
    if seat.sent_sequence is not None and panel.state == PanelState.SCHEDULED:
        send_cancellation(panel, seat.user, panel.sequence,
                          reason=f"Another substitute has been agreed for {conflict.user.full_name}.")
    seat._history_user = actor
    seat.delete()
    case_record_event(case=panel.case, kind="panel", actor=actor,
                      summary=f"{seat.user.full_name} no longer sits on the panel for {conflict.user.full_name}")


def _seat_of(panel: Panel, member: User) -> dict:
    invitation = PanelInvitation.objects.filter(panel=panel, user=member).select_related("agency").first()
    if invitation is not None:
        return {"core": invitation.core, "agency": invitation.agency, "seat": invitation.seat,
                "voting": invitation.voting, "statutory_partner": invitation.statutory_partner}
    membership = selectors.panel_members_register(partnership=panel.partnership_id).filter(user=member).first()
    agency = member.agency
    return {"core": membership.core if membership else False, "agency": agency,
            "seat": (membership.title if membership else "") or member.job_title,
            "voting": membership.voting if membership else False,
            "statutory_partner": ((membership.statutory_partner if membership else "")
                                  or (agency.statutory_partner if agency else ""))}


# ---- what they are sent --------------------------------------------------------------------------------------------

@transaction.atomic
def panel_send_invitations(*, panel: Panel, actor: User) -> int:
    """E-mail the calendar invitation to everyone not yet holding the current version. Returns how many were sent."""
    panel = lock(panel)
    require_stage(panel.case)
    if panel.state != PanelState.SCHEDULED:
        raise DomainError("Schedule the meeting before sending invitations.")
    if not panel.invitations.exists():
        raise DomainError("Set up the panel and choose who to invite first.")
    first = panel.invitations_sent_at is None
    sent = send_invitations(panel)
    if first:
        case_record_event(case=panel.case, kind="panel", actor=actor,
                          summary=f"Panel invitations sent to {sent} people")
    return sent


def send_invitations(panel: Panel) -> int:
    """Send the current version to each invitee holding an older one (conflicted members are left out).

    Also called when setting up or scheduling changes a panel whose invitations have gone out; the caller has
    locked the panel.
    """
    conflicted = set(selectors.conflicted_user_ids(panel.case).values_list("user_id", flat=True))
    invitations = [inv for inv in panel.invitations.select_related("user")
                   if inv.user_id not in conflicted and inv.sent_sequence != panel.sequence]
    papers = papers_url(panel.case)
    count = 0
    details = meeting_details(panel)
    for inv in invitations:
        # Someone added after the invitations went out gets an invitation, not an "update" of one they never had.
        update = inv.sent_sequence is not None
        ics = panel_ics(panel, attendees=[inv.user], method="REQUEST", papers_url=papers)
        local = panel.meeting_at.astimezone(LONDON)
        subject = (f"{'Updated: ' if update else ''}Rapid review panel for case {panel.case.reference}, "
                   f"{long_date(local.date())} at {govuk_time(local)}")
        panel_url = settings.SITE_URL + panel.get_absolute_url()
        note = notify(to=inv.user, subject=subject, template="panels/email/invitation",
                      context={"panel": panel, "invitation": inv, "update": update, "papers_url": papers,
                               "local_start": local, "panel_url": panel_url,
                               "changes": what_changed(inv.sent_details, details) if update else [],
                               "reply_url": settings.SITE_URL + reverse("panels:reply", args=[panel.case_id])},
                      kind="panels.invitation", key=f"panels:invite:{panel.pk}:{inv.user_id}:{panel.sequence}",
                      partnership=panel.case.partnership, related=panel,
                      attachments=[("invite.ics", ics, "text/calendar; method=REQUEST")])
        inv.sent_sequence = panel.sequence
        inv.sent_details = details
        inv.save(update_fields=["sent_sequence", "sent_details", "updated_at"])
        count += 1 if note else 0
    if invitations and panel.invitations_sent_at is None:
        panel.invitations_sent_at = timezone.now()
        panel.save(update_fields=["invitations_sent_at", "updated_at"])
    return count


def meeting_details(panel: Panel) -> dict:
    """What an invitee holds in their diary, to tell them later what changed."""
    return {"start": panel.meeting_at.isoformat() if panel.meeting_at else "", "minutes": panel.duration_minutes,
            "venue": panel.venue, "online_link": panel.online_link}


def what_changed(before: dict, now: dict) -> list[str]:
    """Sentences saying what differs from the version the invitee last had."""
    changes = []
    if before.get("start") != now["start"] and before.get("start") and now["start"]:
        was = datetime.datetime.fromisoformat(before["start"]).astimezone(LONDON)
        new = datetime.datetime.fromisoformat(now["start"]).astimezone(LONDON)
        if was.date() != new.date():
            changes.append(f"The date is now {long_date(new.date())} at {govuk_time(new)} "
                           f"(it was {long_date(was.date())} at {govuk_time(was)}).")
        else:
            changes.append(f"The time is now {govuk_time(new)} (it was {govuk_time(was)}).")
    if before.get("minutes") != now["minutes"] and before.get("minutes"):
        changes.append(f"The meeting now lasts {now['minutes']} minutes (it was {before['minutes']}).")
    if before.get("venue", "") != now["venue"]:
        changes.append(f"The venue is now {now['venue'] or 'none (online only)'}"
                       f"{' (it was ' + before['venue'] + ')' if before.get('venue') else ''}.")
    if before.get("online_link", "") != now["online_link"]:
        changes.append("The link to join online has changed." if now["online_link"] else
                       "The meeting is no longer online.")
    return changes


@transaction.atomic
def invitation_reply(*, invitation: PanelInvitation, actor: User, response: str, note: str = "") -> PanelInvitation:
    """The invitee says whether they will attend; the business unit sees it on the panel page."""
    locked = PanelInvitation.objects.select_for_update().select_related("panel__case").get(pk=invitation.pk)
    if locked.user_id != actor.pk:
        raise DomainError("Only the person invited can reply to their invitation.")
    if response not in InvitationResponse.values:
        raise DomainError("Say whether you will attend.")
    if locked.panel.state != PanelState.SCHEDULED or locked.attendance:
        raise DomainError("This meeting is no longer waiting for replies.")
    if response == InvitationResponse.NOT_ATTENDING and not note.strip():
        raise DomainError("Say why you cannot attend, and who your agreed substitute is.")
    locked.response, locked.response_note, locked.responded_at = response, note.strip()[:500], timezone.now()
    locked._history_user = actor
    locked.save(update_fields=["response", "response_note", "responded_at", "updated_at"])
    case_record_event(case=locked.panel.case, kind="panel", actor=actor,
                      summary=f"{actor.full_name} replied to the panel invitation: {locked.get_response_display()}",
                      note=locked.response_note)
    return locked


def send_cancellation(panel: Panel, user: User, sequence: int, reason: str = "", removed: bool = False):
    """E-mail ``user`` the calendar cancellation (same UID, ``sequence``) that takes the meeting out of their diary;
    with ``removed``, only they are taken off and the meeting stands."""
    ics = panel_ics(panel, attendees=[user], method="CANCEL", sequence=sequence, removed=removed)
    local = panel.meeting_at.astimezone(LONDON)
    return notify(to=user, subject=f"Cancelled: rapid review panel for case {panel.case.reference}, "
                                   f"{long_date(local.date())}",
                  template="panels/email/cancellation",
                  context={"panel": panel, "reason": reason, "local_start": local},
                  kind="panels.cancellation", key=f"panels:cancel:{panel.pk}:{user.pk}:{sequence}",
                  partnership=panel.case.partnership, related=panel,
                  attachments=[("invite.ics", ics, "text/calendar; method=CANCEL")])
