"""Cases at the rapid review stage and panel members, for the panels tests."""

import datetime

from rapidreview.accounts.models import Role, RoleAssignment
from tests.factories import AgencyFactory, UserFactory
from tests.referrals.factories import RapidReviewCaseFactory


class PanelCaseFactory(RapidReviewCaseFactory):
    """A case at rapid review; the invitation tests check that its surname never reaches an e-mail."""

    child_last_name = "Quillfeather"


def make_member(*, partner: str = "", voting: bool = True, core: bool = True, chair: bool = False,
                title: str = "Panel seat", agency=None, **fields):
    """A person on the panel register today."""
    user = UserFactory(agency=agency or AgencyFactory(statutory_partner=partner), **fields)
    RoleAssignment.objects.create(user=user, role=Role.PANEL_MEMBER, title=title, statutory_partner=partner,
                                  voting=voting, core=core, is_chair=chair,
                                  starts_on=datetime.date(2020, 1, 1))
    return user
