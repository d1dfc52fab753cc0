"""Joint cross-border reviews: the leading partnership invites another to take part in a case, and may end it.

The partnership where the incident happened leads (Working Together 2023); another, typically where the child
lives, takes part: its business unit sees the case, read only, and its agencies may be sent check forms. Sign-off
stays with the leading partnership. An ended participation stays in the case's history and timeline.
"""

from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import Partnership, Role
from rapidreview.accounts.selectors import users_with_role
from rapidreview.clocks.services import clocks_change_partnership
from rapidreview.db import DomainError
from rapidreview.notifications.services import notify

from ..models import Case, CaseParticipation, LeadHandover, Stage
from ..timeline import case_record_event
from .common import refuse_child_names, require_role


@transaction.atomic
def case_invite_partnership(*, case: Case, actor, partnership: Partnership, reason: str) -> CaseParticipation:
    """The leading partnership's business unit asks ``partnership`` to take part in ``case``: records it, adds a
    line to the timeline and tells the other partnership's business unit, with a link that opens the case there."""
    require_role(actor, Role.BUSINESS_UNIT, partnership=case.partnership,
                 message="Only the leading partnership's business unit can invite another partnership.")
    locked = Case.objects.select_for_update().select_related("partnership").get(pk=case.pk)
    if locked.stage == Stage.CLOSED:
        raise DomainError("This case is closed: no other partnership can be invited.")
    if partnership is None or not partnership.is_active:
        raise DomainError("Choose a partnership to invite.")
    if partnership.pk == locked.partnership_id:
        raise DomainError("This partnership already leads the case.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the partnership should take part, for example where the child lives.")
    refuse_child_names(locked, reason)
    if CaseParticipation.objects.filter(case=locked, partnership=partnership, ended_at__isnull=True).exists():
        raise DomainError(f"{partnership.name} already takes part in this case.")
    participation = _take_part(locked, partnership, actor, reason=reason)
    case_record_event(case=locked, kind="participation", actor=actor, note=reason,
                      summary=f"{partnership.name} invited to take part")
    for person in users_with_role(Role.BUSINESS_UNIT, partnership=partnership):
        notify(to=person, subject=f"Take part in rapid review {locked.reference}",
               template="referrals/email/participation_invited",
               context={"case": locked, "taking_part": partnership, "reason": reason},
               kind="referrals.participation", related=locked, partnership=locked.partnership,
               key=f"participation:{participation.pk}:{participation.added_at.timestamp()}:{person.pk}")
    return participation


@transaction.atomic
def case_end_participation(*, participation: CaseParticipation, actor, note: str = "") -> CaseParticipation:
    """The leading partnership's business unit ends another partnership's part in the case. Its business unit no
    longer sees the case; the participation stays in the history."""
    locked = CaseParticipation.objects.select_for_update().select_related("case", "case__partnership",
                                                                         "partnership").get(pk=participation.pk)
    case = locked.case
    require_role(actor, Role.BUSINESS_UNIT, partnership=case.partnership,
                 message="Only the leading partnership's business unit can end another partnership's part.")
    if locked.ended_at is not None:
        raise DomainError(f"{locked.partnership.name} no longer takes part in this case.")
    locked.ended_at = timezone.now()
    locked._history_user = actor
    locked.save(update_fields=["ended_at"])
    case_record_event(case=case, kind="participation_ended", actor=actor, note=(note or "").strip(),
                      summary=f"{locked.partnership.name} no longer takes part")
    for person in users_with_role(Role.BUSINESS_UNIT, partnership=locked.partnership):
        notify(to=person, subject=f"Rapid review {case.reference}: your part has ended",
               template="referrals/email/participation_ended",
               context={"case": case, "taking_part": locked.partnership},
               kind="referrals.participation_ended", related=case, partnership=case.partnership,
               key=f"participation-ended:{locked.pk}:{locked.ended_at.timestamp()}:{person.pk}")
    return locked


HANDOVER_STAGES = (Stage.RECEIVED,)


@transaction.atomic
def case_propose_lead(*, case: Case, actor, partnership: Partnership, reason: str) -> LeadHandover:
    """The leading partnership's business unit asks ``partnership`` to lead instead, before the threshold discussion:
    the incident happened in its area. ``partnership`` takes part meanwhile, so its business unit can read the case
    and answer; it is told by e-mail, without the child's name."""
    require_role(actor, Role.BUSINESS_UNIT, partnership=case.partnership,
                 message="Only the leading partnership's business unit can ask another partnership to lead.")
    locked = Case.objects.select_for_update().select_related("partnership").get(pk=case.pk)
    if locked.stage not in HANDOVER_STAGES:
        raise DomainError("The lead can be handed over only before the case is sent for the threshold discussion.")
    if partnership is None or not partnership.is_active or partnership.pk == locked.partnership_id:
        raise DomainError("Choose another partnership to lead.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the partnership should lead, for example where the incident happened.")
    refuse_child_names(locked, reason)
    if LeadHandover.objects.filter(case=locked, answered_at__isnull=True).exists():
        raise DomainError("Another partnership has already been asked to lead: wait for its answer.")
    handover = LeadHandover(case=locked, from_partnership=locked.partnership, to_partnership=partnership,
                            reason=reason, proposed_by=actor)
    handover._history_user = actor
    handover.save()
    _take_part(locked, partnership, actor, reason=f"Asked to lead the case: {reason}")
    case_record_event(case=locked, kind="lead_proposed", actor=actor, note=reason,
                      summary=f"{partnership.name} asked to lead the case")
    for person in users_with_role(Role.BUSINESS_UNIT, partnership=partnership):
        notify(to=person, subject=f"Lead case {locked.reference}?", template="referrals/email/lead_proposed",
               context={"case": locked, "handover": handover}, kind="referrals.lead_proposed", related=locked,
               partnership=locked.partnership, key=f"lead-proposed:{handover.pk}:{person.pk}")
    return handover


@transaction.atomic
def case_answer_lead(*, case: Case, actor, accept: bool, note: str = "") -> LeadHandover:
    """The asked partnership's business unit accepts (the case moves to it, with its running deadlines, and the
    partnership that asked takes part) or declines (with a reason). Both business units are told."""
    locked = Case.objects.select_for_update().select_related("partnership").get(pk=case.pk)
    handover = LeadHandover.objects.select_for_update().filter(case=locked, answered_at__isnull=True).first()
    if handover is None:
        raise DomainError("No partnership has been asked to lead this case.")
    require_role(actor, Role.BUSINESS_UNIT, partnership=handover.to_partnership,
                 message="Only the business unit of the partnership asked to lead can answer.")
    note = (note or "").strip()
    if not accept and not note:
        raise DomainError("Say why your partnership should not lead the case.")
    if accept and locked.stage not in HANDOVER_STAGES:
        raise DomainError("The case has moved on: the lead can no longer be handed over.")
    handover.answered_at, handover.answered_by, handover.accepted = timezone.now(), actor, accept
    handover.answer_note = note
    handover._history_user = actor
    handover.save()
    old, new = handover.from_partnership, handover.to_partnership
    if accept:
        locked.partnership = new
        locked._history_user = actor
        locked.save(update_fields=["partnership", "updated_at"])
        clocks_change_partnership(case_id=locked.pk, partnership=new)
        CaseParticipation.objects.filter(case=locked, partnership=new, ended_at__isnull=True).update(
            ended_at=timezone.now())
        _take_part(locked, old, actor, reason=f"Led the case until {new.name} took over: {handover.reason}")
        summary = f"{new.name} now leads the case; {old.name} takes part"
    else:
        summary = f"{new.name} declined to lead the case"
    case_record_event(case=locked, kind="lead_answered", actor=actor, note=note, summary=summary)
    for partnership in (old, new):
        for person in users_with_role(Role.BUSINESS_UNIT, partnership=partnership):
            notify(to=person, subject=f"Case {locked.reference}: {'lead handed over' if accept else 'lead declined'}",
                   template="referrals/email/lead_answered", context={"case": locked, "handover": handover},
                   kind="referrals.lead_answered", related=locked, partnership=partnership,
                   key=f"lead-answered:{handover.pk}:{person.pk}")
    case.partnership = locked.partnership
    return handover


def _take_part(case: Case, partnership: Partnership, actor, *, reason: str) -> CaseParticipation:
    """``partnership`` takes part in ``case``; if it took part before, the same row again, its earlier spell kept in
    its history. Nothing changes while it already takes part."""
    participation = CaseParticipation.objects.select_for_update().filter(case=case, partnership=partnership).first()
    if participation is not None and participation.ended_at is None:
        return participation
    participation = participation or CaseParticipation(case=case, partnership=partnership)
    participation.reason, participation.added_by, participation.ended_at = reason, actor, None
    participation.added_at = timezone.now()
    participation._history_user = actor
    participation.save()
    return participation
