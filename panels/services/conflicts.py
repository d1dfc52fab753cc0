"""Conflicts of interest: declaring one, how it is handled, and the substitutes a practice review needs."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.models import Role, User
from rapidreview.accounts.selectors import users_with_role
from rapidreview.db import DomainError
from rapidreview.notifications.services import notify
from referrals.models import Case, Stage
from referrals.services import case_record_event

from ..models import ConflictOfInterest, Panel, PanelInvitation, PanelState
from .invitations import substitute_seat, substitute_unseat


@transaction.atomic
def conflict_declare(*, case: Case, user: User, nature: str, implications: str, actor: User) -> ConflictOfInterest:
    """Record ``user``'s conflict on ``case``. From now on they cannot see the case or vote on it."""
    if case.stage in (Stage.RECEIVED, Stage.THRESHOLD, Stage.NOT_MET, Stage.CLOSED):
        raise DomainError(f"Conflicts are declared for cases with a panel, not at “{case.get_stage_display()}”.")
    if not user.has_role_in(case.partnership_id, Role.PANEL_MEMBER) and not PanelInvitation.objects.filter(
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
    for person in users_with_role(Role.BUSINESS_UNIT, partnership=case.partnership):
        notify(to=person, subject=f"Conflict of interest declared on case {case.reference}",
               template="panels/email/conflict_declared",
               context={"conflict": conflict, "case": case,
                        "url": settings.SITE_URL + reverse("panels:conflict_handle", args=[conflict.pk])},
               kind="panels.conflict", key=f"panels:conflict:{conflict.pk}:{person.pk}",
               partnership=case.partnership, related=conflict)
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
        for person in users_with_role(Role.BUSINESS_UNIT, partnership=case.partnership):
            notify(to=person, subject=f"Agree substitutes for conflicted panel members on case {case.reference}",
                   template="panels/email/substitute_required",
                   context={"case": case, "conflicts": pending,
                            "url": settings.SITE_URL + reverse("panels:conflicts")},
                   kind="panels.substitute_required", key=f"panels:substitutes:{case.pk}:{person.pk}",
                   partnership=case.partnership, related=case)
        case_record_event(case=case, kind="conflict", actor=actor,
                          summary="A substitute must be agreed for each conflicted panel member")
    return pending


@transaction.atomic
def conflict_agree_substitute(*, conflict: ConflictOfInterest, substitute: User, actor: User) -> ConflictOfInterest:
    """Record the substitute agreed for a conflicted member and seat them on the case's panel in the member's place.

    "A substitute member for the group must always be agreed": the substitute takes the member's seat, access and
    vote for this case. They must be on the panel membership register (so they hold the panel member role) and not
    already sit on this panel. Changing the substitute is possible until their attendance is recorded.
    """
    conflict = (ConflictOfInterest.objects.select_for_update(of=("self",)).select_related("case", "user", "substitute")
                .get(pk=conflict.pk))
    if substitute.pk == conflict.user_id:
        raise DomainError("The substitute must be someone other than the conflicted member.")
    if ConflictOfInterest.objects.filter(case_id=conflict.case_id, user=substitute).exists():
        raise DomainError(f"{substitute.full_name} also has a conflict of interest on this case.")
    if not substitute.is_active or not substitute.has_role_in(conflict.case.partnership_id, Role.PANEL_MEMBER):
        raise DomainError(f"{substitute.full_name} is not on the panel membership register of "
                          f"{conflict.case.partnership.name}. Add them as a case-by-case member first, so they can "
                          "open the case and its papers.")
    if conflict.substitute_id == substitute.pk:
        return conflict
    # After the panel has met the substitute serves the practice review group; the meeting record stays as it was.
    panel = (Panel.objects.select_for_update(of=("self",)).filter(case_id=conflict.case_id)
             .exclude(state=PanelState.HELD).first())
    if panel is not None and conflict.substitute_id:
        substitute_unseat(panel=panel, conflict=conflict, actor=actor)
    conflict.substitute = substitute
    conflict.substitute_agreed_at = timezone.now()
    conflict._history_user = actor
    conflict.save()
    case_record_event(case=conflict.case, kind="conflict", actor=actor,
                      summary=f"{substitute.full_name} agreed as substitute for {conflict.user.full_name}")
    if panel is not None:
        substitute_seat(panel=panel, conflict=conflict, actor=actor)
    return conflict
