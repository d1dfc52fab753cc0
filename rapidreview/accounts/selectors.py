"""Reads about people, agencies and roles."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import Agency, Role, RoleAssignment, StatutoryPartner, User


def current_assignments(role: str) -> QuerySet[RoleAssignment]:
    today = timezone.localdate()
    return (
        RoleAssignment.objects.filter(role=role, starts_on__lte=today, user__is_active=True)
        .exclude(ends_on__lt=today)
        .select_related("user", "user__agency", "substitute")
    )


def users_with_role(role: str) -> QuerySet[User]:
    """Active people who hold ``role`` today."""
    ids = current_assignments(role).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).select_related("agency")


def executive_chair() -> User | None:
    assignment = current_assignments(Role.EXECUTIVE).filter(is_chair=True).first()
    return assignment.user if assignment else None


def executive_for_partner(partner: StatutoryPartner) -> QuerySet[User]:
    ids = current_assignments(Role.EXECUTIVE).filter(statutory_partner=partner).values("user_id")
    return User.objects.filter(pk__in=ids)


def agency_leads(agency: Agency) -> QuerySet[User]:
    return users_with_role(Role.AGENCY_LEAD).filter(agency=agency)


def people_list() -> QuerySet[User]:
    """Everyone, with their roles, in a constant number of queries."""
    return User.objects.select_related("agency").prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role"))
    )


def user_with_roles(user_id) -> User:
    return people_list().get(pk=user_id)
