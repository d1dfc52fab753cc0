"""What the clocks app adds to the dashboard and to the case page (registered in ClocksConfig.ready)."""

from django.db.models import Count, Q
from django.utils import timezone

from rapidreview.accounts.models import Role

from .models import ClockState
from .selectors import case_clocks_for, decorate, my_deadlines, overdue_clocks

SHOWN = 5


def overdue_card(request) -> dict:
    clocks = overdue_clocks(request.user).order_by("due_on")
    return {"count": clocks.count(), "clocks": list(clocks[:SHOWN]),
            "can_list": request.user.has_role(Role.BUSINESS_UNIT)}


def my_deadlines_card(request) -> dict | None:
    clocks = decorate(my_deadlines(request.user)[:SHOWN])
    if not clocks:
        return None
    overdue = Q(state=ClockState.OVERDUE) | Q(due_on__lt=timezone.localdate())
    totals = my_deadlines(request.user).aggregate(count=Count("id"), overdue=Count("id", filter=overdue))
    return {"clocks": clocks, **totals}


def case_section(request, case) -> dict:
    return {"clocks": decorate(case_clocks_for(request.user, case)),
            "can_change": request.user.has_role(Role.BUSINESS_UNIT)}
