"""Helpers every panels view shares."""

from django.http import Http404

from rapidreview.accounts.models import Role
from referrals.selectors import get_led_case

from .. import selectors

BU = Role.BUSINESS_UNIT
PANEL_ROLES = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.PANEL_MEMBER)


def case_and_panel(request, case_id, *, need_panel=True):
    """For a page that changes the panel: the case (404 when the user may not see it, 403 when their partnership
    only takes part in it: the leading partnership runs the panel) and its panel (404 when it has none, unless
    ``need_panel``)."""
    case = get_led_case(request.user, case_id)
    panel = selectors.panel_for_case(case)
    if need_panel and panel is None:
        raise Http404
    return case, panel
