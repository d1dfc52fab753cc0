"""Factories shared by every app's tests: people, agencies, roles. App factories live in tests/<app>/factories.py."""

import datetime

import factory
from django.utils import timezone
from django.utils.text import slugify

from rapidreview.accounts.middleware import PARTNERSHIP_SESSION_KEY
from rapidreview.accounts.models import Agency, AgencyType, Partnership, Role, RoleAssignment, StatutoryPartner, User

PASSWORD = "correct-horse-battery"


def roles_start() -> datetime.date:
    """The day the roles tests make start: the first of this month, but never after 1 November 2026. Tests that
    travel in time go to fixed days of November 2026, when the people they make must already hold their roles
    (the first of the month alone broke them on 1 December)."""
    return min(timezone.localdate().replace(day=1), datetime.date(2026, 11, 1))


def default_partnership() -> Partnership:
    """The partnership tests work in unless they say otherwise: the one the migrations make (they seed its themes)."""
    partnership, _ = Partnership.objects.get_or_create(
        slug="partnership", defaults={"name": "Safeguarding Children Partnership", "short_name": "SCP"})
    return partnership


def make_partnership(name: str, *, slug: str = "", short_name: str = "", **fields) -> Partnership:
    """Another partnership on the same installation."""
    return Partnership.objects.create(name=name, slug=slug or slugify(name)[:60],
                                      short_name=short_name or name[:40], **fields)


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
        partnership = kwargs.get("partnership") or default_partnership()
        for role in extracted or []:
            RoleAssignment.objects.create(user=self, partnership=partnership, role=role,
                                          starts_on=roles_start())


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    partnership = factory.LazyFunction(default_partnership)
    role = Role.PANEL_MEMBER
    starts_on = factory.LazyFunction(roles_start)


def make_user(*roles, agency=None, partnership=None, **fields) -> User:
    """A person holding ``roles`` today in ``partnership`` (default: ``default_partnership()``); ``fields`` go on
    the user."""
    if agency is not None:
        fields["agency"] = agency
    return UserFactory(roles=list(roles), roles__partnership=partnership, **fields)


def make_executive(partner: StatutoryPartner, chair: bool = False, partnership=None) -> User:
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.EXECUTIVE, statutory_partner=partner, is_chair=chair,
                          partnership=partnership or default_partnership())
    return user


def give_role(user: User, role: str, *, partnership, **fields) -> RoleAssignment:
    """Another role for ``user``, in ``partnership`` (someone who works for two partnerships holds roles in each)."""
    return RoleAssignmentFactory(user=user, role=role, partnership=partnership, **fields)


def make_installation_admin(**fields) -> User:
    """The installation's administrator: staff, with no role in any partnership."""
    return UserFactory(is_staff=True, full_name=fields.pop("full_name", "Ida Installation"), **fields)


def act_in(client, partnership) -> None:
    """Make ``client``'s session act in ``partnership`` (as the header's switcher does)."""
    session = client.session
    session[PARTNERSHIP_SESSION_KEY] = partnership.pk
    session.save()
