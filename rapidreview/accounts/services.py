"""Writes about people, roles, agencies and partnerships."""

import datetime

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from rapidreview.db import DomainError
from rapidreview.notifications.models import Priority
from rapidreview.notifications.services import notify

from .models import Agency, LeadSafeguardingPartner, Partnership, Role, RoleAssignment, User
from .selectors import delegate_candidates
from .signals import partnership_created


def _first_of_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


@transaction.atomic
def person_save(*, form, actor: User, partnership: Partnership | None = None, first_role: str = "") -> User:
    """Create or update a person from a validated PersonForm. New people get an unusable password and reset it,
    and their first role in ``partnership`` (a person of no partnership would be nobody's to manage)."""
    user = form.save(commit=False)
    adding = user._state.adding
    if adding:
        user.set_unusable_password()
    user._history_user = actor
    user.save()
    if adding and first_role:
        _assign(user=user, partnership=partnership, role=first_role, actor=actor)
    return user


def _assign(*, user: User, partnership: Partnership, role: str, actor: User, **fields) -> RoleAssignment:
    assignment = RoleAssignment(user=user, partnership=partnership, role=role, **fields)
    assignment._history_user = actor
    assignment.save()
    return assignment


@transaction.atomic
def role_assign(*, form, user: User, partnership: Partnership, actor: User) -> RoleAssignment:
    """Give ``user`` a role in ``partnership`` (the business unit's own), from a validated RoleAssignmentForm. Their
    roles in other partnerships are neither read nor changed."""
    assignment = form.save(commit=False)
    assignment.user = user
    assignment.partnership = partnership
    if RoleAssignment.objects.filter(user=user, partnership=partnership, role=assignment.role,
                                     starts_on=assignment.starts_on).exists():
        raise DomainError("They already hold this role from that date.")
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
def partnership_agency_add(*, partnership: Partnership, agency: Agency, actor: User) -> Agency:
    """An agency of the installation joins ``partnership``'s arrangements: it may be sent check forms and its leads
    given roles there. Kept in the partnership's change history."""
    if not actor.has_role_in(partnership, Role.BUSINESS_UNIT):
        raise DomainError("Only the partnership's business unit chooses its agencies.")
    if not agency.is_active:
        raise DomainError(f"{agency.name} is closed: it cannot join the arrangements.")
    partnership._history_user = actor
    partnership.agencies.add(agency)
    return agency


@transaction.atomic
def partnership_agency_remove(*, partnership: Partnership, agency: Agency, actor: User) -> Agency:
    """An agency leaves ``partnership``'s arrangements (its forms and roles so far are kept)."""
    if not actor.has_role_in(partnership, Role.BUSINESS_UNIT):
        raise DomainError("Only the partnership's business unit chooses its agencies.")
    partnership._history_user = actor
    partnership.agencies.remove(agency)
    return agency


@transaction.atomic
def agency_save(*, form, partnership: Partnership, actor: User) -> Agency:
    """Save an agency from a validated AgencyForm; a new one joins ``partnership``'s arrangements."""
    agency = form.save(commit=False)
    adding = agency._state.adding
    agency._history_user = actor
    agency.save()
    if adding:
        partnership.agencies.add(agency)
    return agency


@transaction.atomic
def partnership_create(*, form, actor: User) -> Partnership:
    """The installation's administrator adds a partnership and gives its first business unit user their role.

    The user is the account with the e-mail given, or a new one (no password yet). Either is told by an e-mail
    from the new partnership: a new account gets a link to set a password, an existing one a link to the
    partnership. ``partnership_created`` is sent inside the transaction, so that other apps (the themes list) set
    the partnership up with it or not at all.
    """
    data = form.cleaned_data
    partnership = form.save(commit=False)
    partnership._history_user = actor
    partnership.save()
    email = data["manager_email"].strip().lower()
    manager = User.objects.filter(email__iexact=email).first()
    new_account = manager is None
    if new_account:
        manager = User(email=email, full_name=data["manager_name"].strip())
        manager.set_unusable_password()
        manager._history_user = actor
        manager.save()
    _assign(user=manager, partnership=partnership, role=Role.BUSINESS_UNIT, actor=actor, starts_on=_first_of_month())
    partnership_created.send(sender=Partnership, partnership=partnership, actor=actor)
    _welcome(manager, partnership=partnership, new_account=new_account)
    return partnership


def _welcome(user: User, *, partnership: Partnership, new_account: bool) -> None:
    """Tell the first business unit user of a new partnership: set a password, or open the partnership."""
    context = {"new_account": new_account, "role": Role.BUSINESS_UNIT.label}
    if new_account:
        token = default_token_generator.make_token(user)
        context["set_password_url"] = settings.SITE_URL + reverse(
            "accounts:password_reset_confirm", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                                                       "token": token})
    notify(to=user, subject=f"You have been given a role in {partnership.name}", template="accounts/email/welcome",
           context=context, partnership=partnership, kind="accounts.welcome",
           key=f"accounts.welcome:{partnership.pk}:{user.pk}", related=user, priority=Priority.IMMEDIATE,
           sensitive=new_account)


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
                      kind="accounts.password_reset", key=f"accounts.password_reset:{user.pk}:{token}", related=user,
                      partnership=None)
        sent += note is not None
    return sent


@transaction.atomic
def lead_partner_save(*, form, partnership: Partnership, actor: User) -> LeadSafeguardingPartner:
    """Save a Lead Safeguarding Partner of ``partnership`` from a validated LeadPartnerForm, with their delegates."""
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    lead = form.save(commit=False)
    if lead.partnership_id is not None and lead.partnership_id != partnership.pk:
        raise DomainError("That lead partner belongs to another partnership.")
    lead.partnership = partnership
    taken = LeadSafeguardingPartner.objects.filter(partnership=partnership, partner=lead.partner).exclude(pk=lead.pk)
    if taken.exists():
        raise DomainError(f"{partnership.name} already has a lead partner for the {lead.get_partner_display().lower()}"
                          f": change that one instead.")
    delegates = list(form.cleaned_data["delegates"])
    allowed = set(delegate_candidates(partnership).values_list("pk", flat=True))
    if any(d.pk not in allowed for d in delegates):
        raise DomainError("Delegated Safeguarding Partners must be executive members of this partnership.")
    lead._history_user = actor
    lead.save()
    lead.delegates.set(delegates)
    return lead
