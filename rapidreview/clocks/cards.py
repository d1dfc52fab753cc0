"""What the clocks app adds to the dashboard and to the case page (registered in ClocksConfig.ready)."""

from django.db.models import Count, Q, Window
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.pagination import first_and_count

from .models import ClockState
from .selectors import case_clocks_for, clock_status, decorate, my_deadlines, overdue_clocks

SHOWN = 5
CARD_FIELDS = ("id", "partnership_id", "kind", "reference", "url", "due_on", "state")


def overdue_card(request) -> dict:
    clocks, count = first_and_count(overdue_clocks(request.user).order_by("due_on"), SHOWN)
    return {"count": count, "clocks": clocks, "can_list": request.user.has_role(Role.BUSINESS_UNIT)}


def my_deadlines_card(request) -> dict | None:
    """The first deadlines of the reader's, with how many there are and how many are overdue, in one query (the
    totals are window counts over the same rows): the card is on every dashboard, and four times on "What needs
    me" for someone in four partnerships (issue 20)."""
    today = timezone.localdate()
    overdue = Q(state=ClockState.OVERDUE) | Q(due_on__lt=today)
    # Only what the card shows: no owner (one agency of the whole installation's per clock) and no day count.
    rows = list(my_deadlines(request.user).select_related(None).only(*CARD_FIELDS)
                .annotate(total=Window(Count("id")), overdue_total=Window(Count("id", filter=overdue)))[:SHOWN])
    if not rows:
        return None
    for clock in rows:
        clock.status = clock_status(clock, today)
    return {"clocks": rows, "count": rows[0].total, "overdue": rows[0].overdue_total}


def case_section(request, case) -> dict:
    return {"clocks": decorate(case_clocks_for(request.user, case)),
            "can_change": request.user.has_role(Role.BUSINESS_UNIT)}
