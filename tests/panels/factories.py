"""Cases at the rapid review stage and panel members, for the panels tests."""

import datetime

import factory

from rapidreview.accounts.models import Role, RoleAssignment
from referrals.models import Case, Source, Stage
from tests.factories import AgencyFactory, UserFactory


class CaseFactory(factory.django.DjangoModelFactory):
    """A case whose Serious Incident Notification has been made: it is at the rapid review stage."""

    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"PN-2026-{n:04d}")
    stage = Stage.RAPID_REVIEW
    source = Source.PROFESSIONAL
    child_first_name = factory.Sequence(lambda n: f"Zebedee{n}")
    child_last_name = "Quillfeather"
    child_dob = datetime.date(2016, 5, 1)
    harm = "serious_harm"
    sin_notified_on = datetime.date(2026, 3, 2)


def make_member(*, partner: str = "", voting: bool = True, core: bool = True, chair: bool = False,
                title: str = "Panel seat", agency=None, **fields):
    """A person on the panel register today."""
    user = UserFactory(agency=agency or AgencyFactory(statutory_partner=partner), **fields)
    RoleAssignment.objects.create(user=user, role=Role.PANEL_MEMBER, title=title, statutory_partner=partner,
                                  voting=voting, core=core, is_chair=chair,
                                  starts_on=datetime.date(2020, 1, 1))
    return user
