"""Who may see which case, and the reads every stage shares.

Access to a case is decided here and only here. Later stages widen or narrow it without this app importing
them: ``panels`` registers a grant for the members who sit on a case's panel and an exclusion for declared
conflicts of interest; ``agencychecks`` registers a grant for agency leads whose agency has a form on the case.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from rapidreview.accounts.models import Role

from .models import Case, Stage

# Each returns a Q over Case for the user, or None when it grants nothing.
_grants: list[Callable] = []
_exclusions: list[Callable] = []

SEES_ALL = (Role.BUSINESS_UNIT, Role.RR_CHAIR)
THRESHOLD_STAGES = (Stage.THRESHOLD, Stage.NOT_MET, Stage.RAPID_REVIEW, Stage.DECISION, Stage.NATIONAL_PANEL,
                    Stage.CSPR, Stage.CLOSED)
EXECUTIVE_STAGES = (Stage.DECISION, Stage.NATIONAL_PANEL, Stage.CSPR, Stage.CLOSED)


def register_case_grant(rule: Callable) -> None:
    if rule not in _grants:
        _grants.append(rule)


def register_case_exclusion(rule: Callable) -> None:
    if rule not in _exclusions:
        _exclusions.append(rule)


def case_visibility_filter(queryset: QuerySet, user) -> QuerySet:
    """Narrow ``queryset`` of cases to those ``user`` may see (need to know, minus conflicts)."""
    if not user or not user.is_authenticated or not user.is_active:
        return queryset.none()
    allowed = Q(pk__in=[])
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
    queryset = queryset.filter(allowed)
    for rule in _exclusions:
        q = rule(user)
        if q is not None:
            queryset = queryset.exclude(q)
    return queryset.distinct() if _grants else queryset


def visible_cases(user) -> QuerySet[Case]:
    return Case.objects.visible_to(user)


def get_visible_case(user, case_id) -> Case:
    """The case, or Http404 when it does not exist or the user may not see it."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(visible_cases(user), pk=case_id)
