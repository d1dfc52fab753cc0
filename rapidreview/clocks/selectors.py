"""Reads about clocks: a case's clocks, a person's deadlines, the business unit's list, and how to show one.

Every list is one partnership's (the one the reader acts in, ADR 0015): a clock belongs to its case's leading
partnership. Someone whose agency answers a form on a case their partnership takes part in also finds that form's
deadline among their own.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.registry import once_per_case
from rapidreview.workdays import working_days_between

from .models import Clock, ClockState, NonWorkingDay

ACTIVE_STATES = (ClockState.RUNNING, ClockState.OVERDUE)
# A running clock is "due soon" when this many working days or fewer are left.
DUE_SOON_WORKING_DAYS = 2
# Roles that see every clock of a case they can open; anyone else sees only the clocks they own there.
SEES_CASE_CLOCKS = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.THRESHOLD, Role.PANEL_MEMBER, Role.EXECUTIVE)


@dataclass(frozen=True)
class Status:
    key: str
    label: str
    css: str


STATUSES = {
    "on_track": Status("on_track", "On track", "govuk-tag--green"),
    "due_soon": Status("due_soon", "Due soon", "govuk-tag--yellow"),
    "overdue": Status("overdue", "Overdue", "govuk-tag--red"),
    "met": Status("met", "Met", "govuk-tag--blue"),
    "cancelled": Status("cancelled", "Cancelled", "govuk-tag--grey"),
}


def clock_status(clock: Clock, today: datetime.date | None = None) -> Status:
    """On track, due soon, overdue, met or cancelled, from the stored state and due date (no query)."""
    today = today or timezone.localdate()
    if clock.state == ClockState.MET:
        return STATUSES["met"]
    if clock.state == ClockState.CANCELLED:
        return STATUSES["cancelled"]
    if clock.state == ClockState.OVERDUE or clock.due_on < today:
        return STATUSES["overdue"]
    # Only a near due date needs the calendar.
    if (clock.due_on - today).days <= DUE_SOON_WORKING_DAYS + 4 and \
            working_days_between(today, clock.due_on, partnership=clock.partnership_id) <= DUE_SOON_WORKING_DAYS:
        return STATUSES["due_soon"]
    return STATUSES["on_track"]


def _span(clock: Clock, a: datetime.date, b: datetime.date) -> int:
    return working_days_between(a, b, partnership=clock.partnership_id) if clock.working_days else (b - a).days


def clock_day(clock: Clock, today: datetime.date | None = None) -> tuple[int, int]:
    """(N, M) for "Day N of M": N counts from the start (day 0) to today, or to when the clock stopped."""
    today = today or timezone.localdate()
    end = today
    if clock.state == ClockState.MET and clock.met_at:
        end = timezone.localtime(clock.met_at).date()
    elif clock.state == ClockState.CANCELLED:
        end = timezone.localtime(clock.updated_at).date()
    total = _span(clock, clock.started_on, clock.due_on)
    return max(_span(clock, clock.started_on, max(end, clock.started_on)), 0), total


def _days(clock: Clock, n: int) -> str:
    return f"{n} {'working day' if clock.working_days else 'day'}{'' if n == 1 else 's'}"


def clock_day_label(clock: Clock, today: datetime.date | None = None) -> str:
    """"Day 3 of 10 (working days)"; once a deadline has passed, how late it is or was ("4 working days overdue",
    "Met 2 working days late"): an action imported after its due date would otherwise read "Day 60 of 0"."""
    today = today or timezone.localdate()
    met_on = timezone.localtime(clock.met_at).date() if clock.state == ClockState.MET and clock.met_at else None
    if clock.state in ACTIVE_STATES and clock.due_on < today:
        return f"{_days(clock, _span(clock, clock.due_on, today))} overdue"
    if met_on and met_on > clock.due_on:
        return f"Met {_days(clock, _span(clock, clock.due_on, met_on))} late"
    n, m = clock_day(clock, today)
    unit = "working days" if clock.working_days else "days"
    return f"Day {n} of {m} ({unit})"


def decorate(clocks, today: datetime.date | None = None) -> list[Clock]:
    """Attach ``status`` and ``day_label`` to each clock, for templates. No queries."""
    today = today or timezone.localdate()
    out = list(clocks)
    for clock in out:
        clock.status = clock_status(clock, today)
        clock.day_label = clock_day_label(clock, today)
        clock.is_active = clock.state in ACTIVE_STATES
    return out


def clocks_for_case(case_id) -> QuerySet[Clock]:
    """Every clock of one case, in one indexed query."""
    return Clock.objects.filter(case_id=case_id).select_related("owner_agency").order_by("due_on", "created_at")


def _cases_taken_part_in(partnership):
    """The ids of the cases ``partnership`` takes part in without leading them (referrals' CaseParticipation, found
    by name: the core imports no stage app)."""
    participation = apps.get_model("referrals", "CaseParticipation")
    return participation.objects.filter(partnership=partnership, ended_at__isnull=True).values("case_id")


def _personally_owned_q(user) -> Q:
    """Clocks owned by ``user`` or, for an agency lead, by their agency."""
    q = Q(owner_user=user)
    if user.agency_id and user.has_role(Role.AGENCY_LEAD):
        q |= Q(owner_agency_id=user.agency_id, owner_user__isnull=True)
    return q


def owned_by_q(user) -> Q:
    """The clocks of ``user``'s acting partnership whose owner audience includes them (see
    docs/decisions/0002-clock-ownership.md)."""
    q = _personally_owned_q(user)
    if user.has_role(Role.BUSINESS_UNIT):
        q |= Q(owner_agency__isnull=True, owner_user__isnull=True)
    if user.has_role(Role.RR_CHAIR):
        # The chair receives the escalations, so every overdue clock is theirs to chase.
        q |= Q(state=ClockState.OVERDUE)
    return q


def case_page_clocks(case) -> list[Clock]:
    """Every clock of ``case``, read once for the case page: its clocks section and the panel's deadline (ADR
    0019)."""
    return once_per_case(case, "clocks.case_clocks", lambda: list(clocks_for_case(case.pk)))


def case_clocks_for(user, case) -> list[Clock]:
    """The clocks of a case ``user`` may see on its page (the case itself is already access-checked)."""
    if user.has_role(*SEES_CASE_CLOCKS):
        return case_page_clocks(case)
    return list(clocks_for_case(case.pk).filter(owned_by_q(user)))


def my_deadlines(user, *, include_finished: bool = False) -> QuerySet[Clock]:
    """The deadlines whose reminders come to ``user`` in the partnership they act in: that partnership's own, and
    their own or their agency's on the cases it takes part in."""
    partnership = user.partnership
    if partnership is None:
        return Clock.objects.none()
    mine = (Q(partnership=partnership) & owned_by_q(user)) | (
        Q(case_id__in=_cases_taken_part_in(partnership)) & _personally_owned_q(user))
    clocks = Clock.objects.filter(mine).select_related("owner_agency")
    if not include_finished:
        clocks = clocks.filter(state__in=ACTIVE_STATES)
    return clocks.order_by("due_on", "created_at")


def all_deadlines(user) -> QuerySet[Clock]:
    """Every deadline of the partnership ``user`` acts in."""
    return (Clock.objects.filter(partnership=user.partnership).select_related("owner_agency", "owner_user")
            .order_by("due_on", "created_at"))


def overdue_clocks(user) -> QuerySet[Clock]:
    """The overdue deadlines of the partnership ``user`` acts in."""
    today = timezone.localdate()
    # Naming both active states lets the partial indexes on running and overdue clocks serve it.
    return Clock.objects.filter(Q(state=ClockState.OVERDUE) | Q(due_on__lt=today),
                                state__in=[ClockState.RUNNING, ClockState.OVERDUE], partnership=user.partnership)


def get_clock_for_business_unit(user, clock_id) -> Clock:
    """One deadline of ``user``'s acting partnership; another partnership's is a 404."""
    return get_object_or_404(Clock.objects.filter(partnership=user.partnership).select_related("owner_agency"),
                             pk=clock_id)


def clock_changes(clock: Clock):
    return clock.changes.select_related("actor")


def non_working_days(user, *, upcoming_only: bool = False) -> QuerySet[NonWorkingDay]:
    """The closures of the partnership ``user`` acts in (never another partnership's)."""
    days = NonWorkingDay.objects.filter(partnership=user.partnership).select_related("created_by")
    if upcoming_only:
        days = days.filter(date__gte=timezone.localdate())
    return days


def get_non_working_day(user, day_id) -> NonWorkingDay:
    return get_object_or_404(non_working_days(user), pk=day_id)
