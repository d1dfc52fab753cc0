"""Reads about people, agencies and roles."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import Agency, Partnership, Role, RoleAssignment, StatutoryPartner, User

# Every reader of roles names the partnership: a role is held in one partnership (ADR 0015).


def current_assignments(role: str, *, partnership: Partnership) -> QuerySet[RoleAssignment]:
    today = timezone.localdate()
    return (
        RoleAssignment.objects.filter(role=role, partnership=partnership, starts_on__lte=today, user__is_active=True)
        .exclude(ends_on__lt=today)
        .select_related("user", "user__agency", "substitute")
    )


def users_with_role(role: str, *, partnership: Partnership) -> QuerySet[User]:
    """Active people who hold ``role`` today in ``partnership``."""
    ids = current_assignments(role, partnership=partnership).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).select_related("agency")


def executive_chair(*, partnership: Partnership) -> User | None:
    assignment = current_assignments(Role.EXECUTIVE, partnership=partnership).filter(is_chair=True).first()
    return assignment.user if assignment else None


def executive_for_partner(partner: StatutoryPartner, *, partnership: Partnership) -> QuerySet[User]:
    ids = current_assignments(Role.EXECUTIVE, partnership=partnership).filter(
        statutory_partner=partner).values("user_id")
    return User.objects.filter(pk__in=ids)


def agency_leads(agency: Agency, *, partnership: Partnership) -> QuerySet[User]:
    """The agency's safeguarding leads who hold that role in ``partnership``."""
    return users_with_role(Role.AGENCY_LEAD, partnership=partnership).filter(agency=agency)


def partnerships_of(user: User) -> list[Partnership]:
    """The active partnerships in which ``user`` holds a role today, by name."""
    if not user.is_authenticated:
        return []
    return list(Partnership.objects.filter(pk__in=user.partnership_ids, is_active=True).order_by("name"))


def partnership_agencies(partnership: Partnership) -> QuerySet[Agency]:
    """The active agencies in ``partnership``'s arrangements."""
    return partnership.agencies.filter(is_active=True).order_by("name")


def people_list(*, partnership: Partnership) -> QuerySet[User]:
    """Everyone who has ever held a role in ``partnership``, with those roles, in a constant number of queries.

    The roles shown are the partnership's own: a person's roles elsewhere are not this partnership's business.
    """
    return (
        User.objects.filter(role_assignments__partnership=partnership).distinct()
        .select_related("agency")
        .prefetch_related(Prefetch(
            "role_assignments", to_attr="partnership_roles",
            queryset=RoleAssignment.objects.filter(partnership=partnership).order_by("role")))
    )


def user_with_roles(user_id, *, partnership: Partnership) -> User:
    """One person of ``partnership`` (404-able DoesNotExist for anyone else)."""
    return people_list(partnership=partnership).get(pk=user_id)
