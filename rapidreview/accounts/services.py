"""Writes about people, roles, agencies and the partnership."""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import Agency, Partnership, RoleAssignment, User


@transaction.atomic
def person_save(*, form, actor: User) -> User:
    """Create or update a person from a validated PersonForm. New people get an unusable password and reset it."""
    user = form.save(commit=False)
    if user._state.adding:
        user.set_unusable_password()
    user._history_user = actor
    user.save()
    return user


@transaction.atomic
def role_assign(*, form, user: User, actor: User) -> RoleAssignment:
    assignment = form.save(commit=False)
    assignment.user = user
    assignment._history_user = actor
    assignment.save()
    return assignment


@transaction.atomic
def role_end(*, assignment: RoleAssignment, actor: User) -> RoleAssignment:
    """End a role now; its history is kept.

    ``ends_on`` is the last day the role is held, so ending it now records yesterday: the person loses what the
    role gave them with their next request, not at midnight (issue 21, finding 1).
    """
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    if assignment.ends_on is None or assignment.ends_on > yesterday:
        assignment.ends_on = yesterday
    assignment._history_user = actor
    assignment.save()
    return assignment


@transaction.atomic
def partnership_update(*, form, actor: User) -> Partnership:
    """Save the settings. Running clocks keep the due dates they started with."""
    partnership = form.save(commit=False)
    partnership._history_user = actor
    partnership.save()
    return partnership


@transaction.atomic
def agency_save(*, form, actor: User) -> Agency:
    agency = form.save(commit=False)
    agency._history_user = actor
    agency.save()
    return agency
