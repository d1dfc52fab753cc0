"""Cases at the rapid review stage and panel members, for the panels tests."""

import datetime

import factory

from rapidreview.accounts.models import Role, RoleAssignment
from tests.factories import AgencyFactory, UserFactory, default_partnership
from tests.referrals.factories import RapidReviewCaseFactory


class PanelCaseFactory(RapidReviewCaseFactory):
    """A case at rapid review, led by the default partnership unless told; the invitation tests check that its
    surname never reaches an e-mail."""

    partnership = factory.LazyFunction(default_partnership)
    child_last_name = "Quillfeather"


def make_member(*, partner: str = "", voting: bool = True, core: bool = True, chair: bool = False,
                title: str = "Panel seat", agency=None, partnership=None, **fields):
    """A person on ``partnership``'s panel register today (default: ``default_partnership()``)."""
    user = UserFactory(agency=agency or AgencyFactory(statutory_partner=partner), **fields)
    RoleAssignment.objects.create(user=user, partnership=partnership or default_partnership(),
                                  role=Role.PANEL_MEMBER, title=title, statutory_partner=partner,
                                  voting=voting, core=core, is_chair=chair, starts_on=datetime.date(2020, 1, 1))
    return user
