"""Who may see which case, and the reads every stage shares.

Access to a case is decided here and only here. Later stages widen or narrow it without this app importing
them: ``panels`` registers a grant for the members who sit on a case's panel and an exclusion for declared
conflicts of interest; ``agencychecks`` registers a grant for agency leads whose agency has a form on the case.
"""

from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.clocks.models import Clock, ClockKind, ClockState

from .models import Case, Stage, ThresholdDecision

# Each returns a Q over Case for the user, or None when it grants nothing.
_grants: list[Callable] = []
_exclusions: list[Callable] = []
# Grants that open the full case page rather than the minimal summary (see ``case_sees_full``).
_full_grants: list[Callable] = []

SEES_ALL = (Role.BUSINESS_UNIT, Role.RR_CHAIR)
THRESHOLD_STAGES = (Stage.THRESHOLD, Stage.NOT_MET, Stage.RAPID_REVIEW, Stage.DECISION, Stage.NATIONAL_PANEL,
                    Stage.CSPR, Stage.CLOSED)
EXECUTIVE_STAGES = (Stage.DECISION, Stage.NATIONAL_PANEL, Stage.CSPR, Stage.CLOSED)


def register_case_grant(rule: Callable, *, full: bool = True) -> None:
    """Let ``rule(user) -> Q | None`` widen who sees a case. ``full=False`` opens only the minimal summary page
    (agency leads whose agency has a form on the case); ``full=True`` (panel members) opens the whole case page."""
    if rule not in _grants:
        _grants.append(rule)
    if full and rule not in _full_grants:
        _full_grants.append(rule)


def register_case_exclusion(rule: Callable) -> None:
    if rule not in _exclusions:
        _exclusions.append(rule)


def case_visibility_filter(queryset: QuerySet, user) -> QuerySet:
    """Narrow ``queryset`` of cases to those ``user`` may see (need to know, minus conflicts)."""
    # Every grant needs a role held today: an ended role (or an invitation that outlived it) opens nothing.
    if not user or not user.is_authenticated or not user.is_active or not user.role_names:
        return queryset.none()
    allowed = Q(pk__in=[])
    granted = False
    if user.has_role(*SEES_ALL):
        allowed = Q()
    else:
        if user.has_role(Role.THRESHOLD):
            allowed |= Q(stage__in=THRESHOLD_STAGES)
        if user.has_role(Role.EXECUTIVE):
            allowed |= Q(stage__in=EXECUTIVE_STAGES)
        for rule in _grants:
            q = rule(user)
            if q is not None:
                allowed |= q
                granted = True
    queryset = queryset.filter(allowed)
    for rule in _exclusions:
        q = rule(user)
        if q is not None:
            queryset = queryset.exclude(q)
    # Only a grant can join other tables (and so repeat a case); DISTINCT over every column costs on long lists.
    return queryset.distinct() if granted else queryset


def visible_cases(user) -> QuerySet[Case]:
    return Case.objects.visible_to(user)


# Roles that may ever open the full case page; anyone else who can see a case gets the minimal summary.
FULL_PAGE_ROLES = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.THRESHOLD, Role.EXECUTIVE, Role.PANEL_MEMBER)


def case_sees_full(user, case: Case) -> bool:
    """Whether ``user`` (who can already see ``case``) may open the full case page, not only its summary.

    Full: business unit and chair always; threshold decision makers from the threshold stage on; executives from
    the decision stage on; panel members through a full grant (they sit on the case's panel). An agency lead who
    sees the case only because their agency has a form on it gets the summary, even if they hold another role.
    """
    if not user.has_role(*FULL_PAGE_ROLES):
        return False
    if user.has_role(*SEES_ALL):
        return True
    if user.has_role(Role.THRESHOLD) and case.stage in THRESHOLD_STAGES:
        return True
    if user.has_role(Role.EXECUTIVE) and case.stage in EXECUTIVE_STAGES:
        return True
    allowed = Q(pk__in=[])
    for rule in _full_grants:
        q = rule(user)
        if q is not None:
            allowed |= q
    return Case.objects.filter(allowed, pk=case.pk).exists()


def overdue_clock_exists():
    today = timezone.localdate()
    return Exists(Clock.objects.filter(case_id=OuterRef("pk")).filter(
        Q(state=ClockState.OVERDUE) | Q(state=ClockState.RUNNING, due_on__lt=today)))


def case_list(user) -> QuerySet[Case]:
    """The cases ``user`` may list, with what the list shows, in a constant number of queries."""
    return (visible_cases(user).select_related("referral", "threshold_decision")
            .annotate(has_overdue=overdue_clock_exists()).order_by("-created_at"))


def possible_duplicates(*, first_name: str, last_name: str, dob, exclude=None) -> QuerySet[Case]:
    """Existing cases for a child with the same name and date of birth (names compared without case)."""
    if not first_name or not dob:
        return Case.objects.none()
    qs = Case.objects.filter(child_first_name__iexact=first_name.strip(), child_last_name__iexact=last_name.strip(),
                             child_dob=dob)
    return qs.exclude(pk=exclude.pk) if exclude is not None else qs


def cases_awaiting_threshold_send() -> QuerySet[Case]:
    return Case.objects.filter(stage=Stage.RECEIVED).select_related("referral").order_by("created_at")


def cases_awaiting_threshold_discussion() -> QuerySet[Case]:
    decided = ThresholdDecision.objects.filter(case=OuterRef("pk"))
    return (Case.objects.filter(stage=Stage.THRESHOLD).exclude(Exists(decided))
            .select_related("referral").order_by("created_at"))


def sin_decisions_due() -> QuerySet[Clock]:
    """Running SIN-decision clocks, soonest first."""
    return Clock.objects.filter(kind=ClockKind.SIN_DECISION,
                                state__in=[ClockState.RUNNING, ClockState.OVERDUE]).order_by("due_on")


def case_events(case: Case):
    return case.events.select_related("actor").all()


def get_visible_case(user, case_id) -> Case:
    """The case, or Http404 when it does not exist or the user may not see it."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(visible_cases(user), pk=case_id)


def one_to_one(case: Case, name: str):
    """The case's ``name`` record (threshold decision, SIN, letter, referral) or None."""
    try:
        return getattr(case, name)
    except ObjectDoesNotExist:
        return None


def open_cases_by_stage() -> list[dict]:
    """Each stage still in progress: its number of cases, how many have an overdue deadline, and the next due date
    among their running deadlines. One query, driven by the open cases (each looks up its own clocks through the
    ``clock_case_idx`` index), whatever the number of cases or clocks."""
    from django.db.models import Count, Min

    next_due = (Clock.objects.filter(case_id=OuterRef("pk"), state__in=[ClockState.RUNNING, ClockState.OVERDUE])
                .order_by("due_on").values("due_on")[:1])
    rows = (Case.objects.exclude(stage=Stage.CLOSED)
            .annotate(has_overdue=overdue_clock_exists(), case_next_due=Subquery(next_due))
            .values("stage").annotate(total=Count("id"), overdue=Count("id", filter=Q(has_overdue=True)),
                                      next_due=Min("case_next_due")))
    counts = {row["stage"]: row for row in rows}
    return [{"stage": stage, "label": label, "total": counts[stage]["total"], "overdue": counts[stage]["overdue"],
             "next_due": counts[stage]["next_due"]}
            for stage, label in Stage.choices if stage in counts]
