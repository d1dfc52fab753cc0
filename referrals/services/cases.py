"""A case's stage changes: the contract every stage app writes through (timeline lines: ``referrals.timeline``)."""

from django.db import transaction
from django.utils import timezone

from rapidreview.db import DomainError

from ..models import Case, Stage
from ..timeline import case_record_event


@transaction.atomic
def case_transition(*, case: Case, to_stage: str, allowed_from: tuple[str, ...], actor=None,
                    summary: str = "", note: str = "") -> Case:
    """Move ``case`` to ``to_stage`` if it is in one of ``allowed_from``; lock, write, and record the event."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage not in allowed_from:
        raise DomainError(
            f"This cannot be done while the case is at “{locked.get_stage_display()}”."
        )
    old = locked.stage
    locked.stage = to_stage
    if to_stage == Stage.CLOSED:
        locked.closed_at = timezone.now()
    locked._history_user = actor
    locked.save(update_fields=["stage", "closed_at", "updated_at"])
    case_record_event(case=locked, kind="stage", actor=actor, from_stage=old, to_stage=to_stage, note=note,
                      summary=summary or f"Moved to {Stage(to_stage).label}")
    case.stage, case.closed_at = locked.stage, locked.closed_at
    return locked
