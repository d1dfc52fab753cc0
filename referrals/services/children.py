"""Further children in the same incident: the DfE notification takes up to four children in one notification, so a
case (the incident) holds the child the referral names and up to three more (ADR 0025)."""

from django.db import transaction

from rapidreview.accounts.models import Role
from rapidreview.db import DomainError

from ..models import Case, ChildOutcome, IncidentChild, Sex, Stage, YesNoUnknown
from ..timeline import case_record_event
from .common import require_role

CHILD_FIELDS = ("first_name", "last_name", "dob", "age", "sex", "ethnicity", "disability", "relationship",
                "outcome", "looked_after", "child_protection_plan")
_CHOICES = {"sex": Sex.values, "outcome": ChildOutcome.values, "looked_after": YesNoUnknown.values,
            "child_protection_plan": YesNoUnknown.values}


def _clean(values: dict) -> dict:
    data = {name: values.get(name) for name in CHILD_FIELDS}
    for name, value in data.items():
        if isinstance(value, str):
            data[name] = value.strip()
        elif value is None and name != "dob":
            data[name] = ""
    if data["outcome"] not in ChildOutcome.values:
        raise DomainError("Say whether the child died, was seriously harmed, or was not harmed but is at risk.")
    for name, allowed in _CHOICES.items():
        if data[name] and data[name] not in allowed:
            raise DomainError("Choose one of the answers offered.")
    return data


def _locked_open_case(case: Case, actor) -> Case:
    require_role(actor, Role.BUSINESS_UNIT, Role.RR_CHAIR, partnership=case.partnership,
                 message="Only the leading partnership's business unit or rapid review chair can change the "
                         "children in the incident.")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage == Stage.CLOSED:
        raise DomainError("This case is closed: its children can no longer be changed.")
    return locked


@transaction.atomic
def incident_child_add(*, case: Case, actor, **values) -> IncidentChild:
    """Add a further child to the incident (at most ``IncidentChild.MAX``). The timeline never names the child."""
    locked = _locked_open_case(case, actor)
    count = IncidentChild.objects.filter(case=locked).count()
    if count >= IncidentChild.MAX:
        raise DomainError(f"One notification holds up to {IncidentChild.MAX + 1} children. Describe any others in "
                          "the incident's description.")
    child = IncidentChild(case=locked, added_by=actor, **_clean(values))
    child._history_user = actor
    child.save()
    locked.children_count = count + 2
    locked._history_user = actor
    locked.save(update_fields=["children_count", "updated_at"])
    case_record_event(case=locked, kind="child_added", actor=actor,
                      summary=f"Another child added to the incident ({child.get_outcome_display().lower()})")
    case.children_count = locked.children_count
    return child


@transaction.atomic
def incident_child_edit(*, child: IncidentChild, actor, **values) -> IncidentChild:
    """Correct a further child's details; the earlier values stay in the history."""
    _locked_open_case(child.case, actor)
    locked = IncidentChild.objects.select_for_update().get(pk=child.pk)
    for name, value in _clean(values).items():
        setattr(locked, name, value)
    locked._history_user = actor
    locked.save()
    case_record_event(case=locked.case, kind="child_changed", actor=actor,
                      summary="Details of another child in the incident changed")
    return locked


@transaction.atomic
def incident_child_remove(*, child: IncidentChild, actor, reason: str) -> Case:
    """Remove a further child recorded in error; the record stays in the history with the reason."""
    locked_case = _locked_open_case(child.case, actor)
    if not (reason or "").strip():
        raise DomainError("Say why the child is being removed from the incident.")
    locked = IncidentChild.objects.select_for_update().get(pk=child.pk)
    locked._history_user = actor
    locked._change_reason = reason.strip()[:100]
    locked.delete()
    locked_case.children_count = 1 + IncidentChild.objects.filter(case=locked_case).count()
    locked_case._history_user = actor
    locked_case.save(update_fields=["children_count", "updated_at"])
    case_record_event(case=locked_case, kind="child_removed", actor=actor, note=reason.strip(),
                      summary="A child was removed from the incident")
    return locked_case
