"""Writes on the action plan. Every stage adds actions through ``action_create``; the rules live here.

Each action is on one partnership's plan: the partnership leading its case (ADR 0015). Who may change it is read
in that partnership (``User.has_role_in``), whichever partnership the person is acting in.
"""

import datetime
import mimetypes

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_cancel, clock_meet, clock_start
from rapidreview.db import DomainError
from rapidreview.uploads import validate_upload

from .models import Action, ActionEvidence, ActionSource, ActionStatus, ActionUpdate, WorkingGroupMeeting

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = ("pdf", "docx", "xlsx", "png", "jpg", "jpeg")


def _partnership_of(user, partnership):
    """The partnership a rule is read in: the one named (an action's), else the one ``user`` acts in."""
    return partnership if partnership is not None else getattr(user, "partnership", None)


def is_working_group(user, partnership=None) -> bool:
    """Whether ``user`` is on the working group of ``partnership`` (default: the one they act in)."""
    partnership = _partnership_of(user, partnership)
    return bool(user and user.is_authenticated and partnership is not None
                and user.has_role_in(partnership, Role.WORKING_GROUP))


def may_manage(user, partnership=None) -> bool:
    """Create actions and change their details: the working group and the business unit of ``partnership``
    (default: the one ``user`` acts in)."""
    partnership = _partnership_of(user, partnership)
    return bool(user and user.is_authenticated and partnership is not None
                and user.has_role_in(partnership, Role.WORKING_GROUP, Role.BUSINESS_UNIT))


def may_update(user, action: Action) -> bool:
    """Record progress, evidence and status: the action's partnership's working group, or a lead of the owning
    agency in that partnership."""
    if is_working_group(user, action.partnership_id):
        return True
    return bool(user and user.is_authenticated and user.has_role_in(action.partnership_id, Role.AGENCY_LEAD)
                and user.agency_id == action.agency_id)


def _start_clock(action: Action) -> None:
    # An action imported or reopened after its due date starts its clock on that date (a clock cannot end before
    # it starts); it is overdue at once, as it should be.
    clock_start(kind=ClockKind.ACTION, subject=action, start=min(timezone.localdate(), action.due_on),
                due=action.due_on, case_id=action.case_id, label=action.agency.name, owner_agency=action.agency,
                owner_user=action.owner, partnership=action.partnership)


def _validate(*, source, learning, description, agency, owner, due_on, partnership):
    if source not in ActionSource.values:
        raise DomainError("Choose where the action comes from: rapid review, practice review or SIN learning.")
    if not (learning or "").strip():
        raise DomainError("Enter the learning the action addresses.")
    if not (description or "").strip():
        raise DomainError("Enter the action.")
    if agency is None:
        raise DomainError("Choose the agency that owns the action.")
    if not isinstance(due_on, datetime.date):
        raise DomainError("Enter the due date.")
    if owner is not None and owner.agency_id and owner.agency_id != agency.pk and not owner.has_role_in(
            partnership, Role.WORKING_GROUP, Role.BUSINESS_UNIT):
        raise DomainError(f"{owner} does not work for {agency}. Choose an owner from the owning agency.")


@transaction.atomic
def action_create(*, case, source: str, learning: str, description: str, agency, owner=None,
                  due_on: datetime.date, actor, historic_reference: str = "", partnership=None) -> Action:
    """Add an action to the plan (not started) and start its due-date clock.

    The action is on the plan of the partnership leading ``case``. ``case`` is empty only for an imported action of
    a review held before Rapid Review (``historic_reference``): ``partnership`` then names the plan (the one the
    importer acts in). Naming a partnership that does not lead the case is refused.
    """
    if case is not None:
        if partnership is not None and getattr(partnership, "pk", partnership) != case.partnership_id:
            raise DomainError("That case is led by another partnership: its actions go on that partnership's plan.")
        partnership = case.partnership
    elif partnership is None:
        raise DomainError("Say which partnership's plan the action goes on.")
    _validate(source=source, learning=learning, description=description, agency=agency, owner=owner, due_on=due_on,
              partnership=partnership)
    if case is None and not historic_reference.strip():
        raise DomainError("Enter the case the action comes from.")
    action = Action(partnership=partnership, case=case,
                    historic_reference="" if case else historic_reference.strip()[:100], source=source,
                    learning=learning.strip(), description=description.strip(),
                    agency=agency, owner=owner, due_on=due_on, created_by=actor)
    action._history_user = actor
    action.save()
    ActionUpdate.objects.create(action=action, author=actor, note="Action added to the plan.",
                                to_status=ActionStatus.NOT_STARTED)
    _start_clock(action)
    return action


@transaction.atomic
def action_edit(*, action: Action, learning: str, description: str, agency, owner, due_on: datetime.date,
                source: str, actor) -> Action:
    """Change an action's details (working group and business unit). A new due date moves the clock."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if not may_manage(actor, locked.partnership_id):
        raise DomainError("Only the working group or the business unit can change an action's details.")
    _validate(source=source, learning=learning, description=description, agency=agency, owner=owner, due_on=due_on,
              partnership=locked.partnership_id)
    moved = locked.due_on != due_on or locked.agency_id != agency.pk
    locked.learning, locked.description = learning.strip(), description.strip()
    locked.agency, locked.owner, locked.due_on, locked.source = agency, owner, due_on, source
    locked._history_user = actor
    locked.save()
    if moved and locked.status in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS):
        clock_cancel(subject=locked, kind=ClockKind.ACTION)
        _start_clock(locked)
    return locked


@transaction.atomic
def action_note_add(*, action: Action, actor, note: str) -> ActionUpdate:
    """A progress note with no status change, by anyone who manages the plan or may update this action."""
    if not (may_manage(actor, action.partnership_id) or may_update(actor, action)):
        raise DomainError("You can only add notes to your own agency's actions.")
    if not note.strip():
        raise DomainError("Enter the note.")
    return ActionUpdate.objects.create(action=action, author=actor, note=note.strip())


def _allowed_statuses(user, action: Action) -> set[str]:
    """Which statuses ``user`` may move ``action`` to from where it is now."""
    if is_working_group(user, action.partnership_id):
        allowed = {ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETED}
        if action.status in (ActionStatus.COMPLETED, ActionStatus.EMBEDDED) and action.completion_confirmed_at:
            allowed.add(ActionStatus.EMBEDDED)
        return allowed
    if may_update(user, action):
        if action.status == ActionStatus.EMBEDDED or action.completion_confirmed_at:
            return set()
        return {ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETED}
    return set()


def allowed_statuses(user, action: Action) -> list[str]:
    allowed = _allowed_statuses(user, action)
    return [s for s in ActionStatus.values if s in allowed]


@transaction.atomic
def action_set_status(*, action: Action, status: str, actor, note: str = "",
                      on: datetime.date | None = None) -> Action:
    """Record progress: an optional note and an optional status change, under the rules in ``Action``."""
    locked = Action.objects.select_for_update(of=("self",)).select_related("agency").get(pk=action.pk)
    if not may_update(actor, locked):
        raise DomainError("You can only update your own agency's actions.")
    status = status or locked.status
    note = (note or "").strip()
    working_group = is_working_group(actor, locked.partnership_id)
    confirming = status == ActionStatus.COMPLETED and working_group and locked.completion_confirmed_at is None
    if status == locked.status and not note and not confirming:
        raise DomainError("Enter a progress update or choose a new status.")
    if status != locked.status and status not in _allowed_statuses(actor, locked):
        if status == ActionStatus.EMBEDDED:
            raise DomainError("An action can only be marked embedded by the working group after its completion "
                              "is confirmed.")
        raise DomainError("The working group has confirmed this action's completion; only the working group can "
                          "change its status now.")
    old = locked.status
    today = on or timezone.localdate()
    if status == ActionStatus.COMPLETED and old not in (ActionStatus.COMPLETED, ActionStatus.EMBEDDED):
        locked.completed_on = today
        clock_meet(subject=locked, kind=ClockKind.ACTION)
    if confirming:
        locked.completion_confirmed_at, locked.completion_confirmed_by = timezone.now(), actor
    if status == ActionStatus.EMBEDDED and old != ActionStatus.EMBEDDED:
        locked.embedded_on = today
    if status in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS) and old not in (
            ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS):
        locked.completed_on = locked.completion_confirmed_at = locked.completion_confirmed_by = None
        locked.embedded_on = None
        _start_clock(locked)
    if status != old or confirming:  # a note alone leaves the action (its history, the cached statistics) as it is
        locked.status = status
        locked._history_user = actor
        locked.save()
    ActionUpdate.objects.create(action=locked, author=actor, note=note, from_status=old,
                                to_status=status if status != old else "")
    _copy_state(locked, action)
    return locked


def _copy_state(source: Action, target: Action) -> None:
    """Keep the caller's instance in step with the locked row just saved."""
    for name in ("status", "completed_on", "completion_confirmed_at", "completion_confirmed_by_id", "embedded_on"):
        setattr(target, name, getattr(source, name))


@transaction.atomic
def action_confirm_completion(*, action: Action, actor, note: str = "") -> Action:
    """The working group confirms a completion an agency lead claimed."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if not is_working_group(actor, locked.partnership_id):
        raise DomainError("Only the Rapid Review Working Group can confirm an action is completed.")
    if not locked.awaiting_confirmation:
        raise DomainError("This action is not waiting for its completion to be confirmed.")
    locked.completion_confirmed_at, locked.completion_confirmed_by = timezone.now(), actor
    locked._history_user = actor
    locked.save()
    ActionUpdate.objects.create(action=locked, author=actor, note=note.strip() or "Completion confirmed by the "
                                "working group.", from_status=locked.status, to_status="")
    _copy_state(locked, action)
    return locked


@transaction.atomic
def action_reject_completion(*, action: Action, actor, note: str) -> Action:
    """The working group is not satisfied the action is complete: back to in progress, with the reason."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if not is_working_group(actor, locked.partnership_id):
        raise DomainError("Only the Rapid Review Working Group can send an action back.")
    if not (note or "").strip():
        raise DomainError("Say why the action is not yet complete.")
    if not locked.awaiting_confirmation:
        raise DomainError("This action is not waiting for its completion to be confirmed.")
    locked = action_set_status(action=locked, status=ActionStatus.IN_PROGRESS, actor=actor, note=note)
    _copy_state(locked, action)
    return locked


@transaction.atomic
def action_add_evidence(*, action: Action, actor, text: str = "", upload=None) -> ActionEvidence:
    """Add evidence (text, a file, or both). Files: PDF, Word, Excel, PNG or JPEG up to 10 MB, checked by content."""
    if not may_update(actor, action):
        raise DomainError("You can only add evidence to your own agency's actions.")
    text = (text or "").strip()
    if not text and upload is None:
        raise DomainError("Enter the evidence or choose a file.")
    evidence = ActionEvidence(action=action, text=text, added_by=actor)
    if upload is not None:
        content_type = check_evidence_file(upload)
        evidence.file = upload
        evidence.original_name = upload.name.rsplit("/", 1)[-1][:200]
        evidence.content_type = content_type
        evidence.size = upload.size
    evidence.save()
    ActionUpdate.objects.create(action=action, author=actor, note=f"Evidence added: {evidence.original_name}"
                                if upload is not None else "Evidence added.")
    return evidence


def check_evidence_file(upload) -> str:
    """The file's content type, or a DomainError saying what is wrong with it (type, content or size)."""
    try:
        validate_upload(upload, allowed_types=EVIDENCE_TYPES, max_bytes=MAX_EVIDENCE_BYTES)
    except ValidationError as error:
        raise DomainError(error.messages[0]) from error
    return mimetypes.guess_type(upload.name)[0] or "application/octet-stream"


@transaction.atomic
def meeting_record(*, partnership, held_on: datetime.date, notes: str, actor) -> WorkingGroupMeeting:
    """Record a meeting of ``partnership``'s working group (one a day)."""
    if not is_working_group(actor, partnership):
        raise DomainError("Only the working group can record its meetings.")
    if WorkingGroupMeeting.objects.filter(partnership=partnership, held_on=held_on).exists():
        raise DomainError("A meeting on that date is already recorded.")
    meeting = WorkingGroupMeeting(partnership=partnership, held_on=held_on, notes=notes.strip(), recorded_by=actor)
    meeting._history_user = actor
    meeting.save()
    return meeting
