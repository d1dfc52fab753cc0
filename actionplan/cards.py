"""Dashboard cards and the case-page section of the action plan."""

from rapidreview.accounts.models import Role
from rapidreview.pagination import first_and_count

from . import selectors

SHOWN = 5  # rows a card lists; its count says how many there are in all
# What the agency lead's card shows of each action (link, description, due date, whether overdue): nothing of the
# joined case or agency, which the card names once (issue 20).
DUE_CARD_SHOWN = ("id", "description", "due_on", "status")


def overdue_card(request):
    """Working group: overdue actions, and completions waiting to be confirmed."""
    oldest, count = first_and_count(selectors.overdue_actions(request.user).order_by("due_on"), SHOWN)
    awaiting = selectors.actions_visible_to(request.user).filter(status="completed",
                                                                 completion_confirmed_at__isnull=True)
    return {"count": count, "oldest": oldest, "awaiting": awaiting.count()}


def due_card(request):
    """Agency lead: their agency's actions overdue or due in the next 30 days."""
    if not request.user.agency_id:
        return None
    actions, count = first_and_count(
        selectors.actions_due_soon(request.user).select_related(None).only(*DUE_CARD_SHOWN), SHOWN)
    return {"count": count, "actions": actions, "agency": request.user.agency}


def case_section(request, case):
    """The case's actions, for people who can see the action plan."""
    if not request.user.has_role(Role.WORKING_GROUP, Role.BUSINESS_UNIT, Role.AGENCY_LEAD):
        return None
    actions = list(selectors.case_actions(request.user, case))
    if not actions and not request.user.has_role(Role.WORKING_GROUP, Role.BUSINESS_UNIT):
        return None
    return {"case": case, "actions": actions, "may_add": selectors.may_add_action(request.user, case)}
