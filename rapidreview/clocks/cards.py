"""What the clocks app adds to the dashboard and to the case page (registered in ClocksConfig.ready)."""

from django.db.models import Count, Q
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.pagination import first_and_count

from .models import ClockState
from .selectors import case_clocks_for, decorate, my_deadlines, overdue_clocks

SHOWN = 5


def overdue_card(request) -> dict:
    clocks, count = first_and_count(overdue_clocks(request.user).order_by("due_on"), SHOWN)
    return {"count": count, "clocks": clocks, "can_list": request.user.has_role(Role.BUSINESS_UNIT)}


def my_deadlines_card(request) -> dict | None:
    today = timezone.localdate()
    shown = decorate(my_deadlines(request.user)[:SHOWN + 1], today)
    if not shown:
        return None
    if len(shown) <= SHOWN:  # all of them: counted here, without a second query
        totals = {"count": len(shown), "overdue": sum(c.state == ClockState.OVERDUE or c.due_on < today
                                                      for c in shown)}
    else:
        overdue = Q(state=ClockState.OVERDUE) | Q(due_on__lt=today)
        totals = my_deadlines(request.user).aggregate(count=Count("id"), overdue=Count("id", filter=overdue))
    return {"clocks": shown[:SHOWN], **totals}


def case_section(request, case) -> dict:
    return {"clocks": decorate(case_clocks_for(request.user, case)),
            "can_change": request.user.has_role(Role.BUSINESS_UNIT)}
