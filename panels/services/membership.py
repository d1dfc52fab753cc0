"""The panel membership register: ``RoleAssignment`` rows with ``role=panel_member``, one register per
partnership."""

from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import Partnership, Role, RoleAssignment, User
from rapidreview.accounts.selectors import people_list
from rapidreview.accounts.services import role_end
from rapidreview.db import DomainError

from .common import long_date

MEMBERSHIP_FIELDS = ("title", "statutory_partner", "voting", "core", "is_chair", "substitute", "starts_on", "ends_on")


@transaction.atomic
def membership_add(*, partnership: Partnership, user: User, actor: User, **fields) -> RoleAssignment:
    """Add ``user`` to ``partnership``'s panel register with the given seat and attributes."""
    starts_on = fields.get("starts_on") or timezone.localdate()
    if RoleAssignment.objects.filter(user=user, partnership=partnership, role=Role.PANEL_MEMBER,
                                     starts_on=starts_on).exists():
        raise DomainError(f"{user.full_name} already has a panel membership starting on {long_date(starts_on)}.")
    _check_membership_dates(fields)
    _check_people(partnership, user, fields.get("substitute"))
    assignment = RoleAssignment(user=user, partnership=partnership, role=Role.PANEL_MEMBER,
                                **{k: v for k, v in fields.items() if k in MEMBERSHIP_FIELDS})
    assignment.starts_on = starts_on
    assignment._history_user = actor
    assignment.save()
    return assignment


@transaction.atomic
def membership_update(*, assignment: RoleAssignment, actor: User, **fields) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk, role=Role.PANEL_MEMBER)
    _check_membership_dates({"starts_on": assignment.starts_on, **fields})
    _check_people(assignment.partnership, assignment.user, fields.get("substitute"))
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


def _check_people(partnership: Partnership, *people) -> None:
    """Members and substitutes are people of the partnership (they hold or held a role in it)."""
    ids = {p.pk for p in people if p is not None}
    if ids and people_list(partnership=partnership).filter(pk__in=ids).count() != len(ids):
        raise DomainError(f"Choose people of {partnership.name}.")


def membership_end(*, assignment: RoleAssignment, actor: User) -> RoleAssignment:
    """End a panel membership today (its history is kept)."""
    if assignment.role != Role.PANEL_MEMBER:
        raise DomainError("This is not a panel membership.")
    if assignment.ends_on is not None and assignment.ends_on < timezone.localdate():
        raise DomainError("This membership has already ended.")
    return role_end(assignment=assignment, actor=actor)
