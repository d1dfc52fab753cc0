"""Factories shared by every app's tests: people, agencies, roles. App factories live in tests/<app>/factories.py."""

import factory
from django.utils import timezone

from rapidreview.accounts.models import Agency, AgencyType, Role, RoleAssignment, StatutoryPartner, User

PASSWORD = "correct-horse-battery"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    type = AgencyType.OTHER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            RoleAssignment.objects.create(user=self, role=role, starts_on=timezone.localdate().replace(day=1))


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.PANEL_MEMBER
    starts_on = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))


def make_user(*roles, agency=None, **fields) -> User:
    """A person holding ``roles`` today; ``fields`` go on the user."""
    if agency is not None:
        fields["agency"] = agency
    return UserFactory(roles=list(roles), **fields)


def make_executive(partner: StatutoryPartner, chair: bool = False) -> User:
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.EXECUTIVE, statutory_partner=partner, is_chair=chair)
    return user
