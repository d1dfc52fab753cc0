"""Writes about people, roles, agencies and the partnership."""

import datetime

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from rapidreview.notifications.services import notify

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


def password_reset_send(*, email: str) -> int:
    """Put a reset link in the outbox for the active account at ``email``; returns how many were queued.

    Runs in a Celery task, not in the request, so that the page answers in the same time whether or not the
    account exists; delivery goes through the outbox like every other e-mail. New people, whose password is not
    yet set, use it to set their first one.
    """
    sent = 0
    for user in User.objects.filter(email__iexact=email.strip(), is_active=True):
        token = default_token_generator.make_token(user)
        path = reverse("accounts:password_reset_confirm",
                       kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token})
        note = notify(to=user.email, subject="Set a new password for Rapid Review",
                      template="accounts/email/password_reset", context={"reset_url": settings.SITE_URL + path},
                      kind="accounts.password_reset", key=f"accounts.password_reset:{user.pk}:{token}", related=user)
        sent += note is not None
    return sent
