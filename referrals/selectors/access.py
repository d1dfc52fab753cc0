"""Who may see which case: the one place access to a case is decided.

Access to a case is decided here and only here (ADR 0015 for partnerships):

1. A case belongs to the partnership that leads it, and is shared with each partnership taking part in it
   (a ``CaseParticipation`` not ended). Nobody sees a case from a partnership that does neither: it is a 404.
2. Within that, the role rules: the business unit and the rapid review chair see every case their partnership
   leads, threshold decision makers and executives the stages they act on. A partnership that only takes part
   shows the case to its business unit, read only.
3. Later stages widen or narrow it without this app importing them: ``panels`` registers a grant for the members
   who sit on a case's panel and an exclusion for declared conflicts of interest; ``agencychecks`` registers a
   grant for agency leads whose agency has a form on the case. A grant never reaches outside rule 1.

Changing a case is for the leading partnership only: ``get_led_case`` answers 403 to a partnership that takes
part, and ``leads_case`` tells pages and task lists whether to offer any change at all.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from rapidreview.accounts.models import Role
from rapidreview.db import InFewIds

from ..models import AssuranceRequest, Case, CaseParticipation, Stage

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


def _pk(partnership) -> int | None:
    return getattr(partnership, "pk", partnership)


def taking_part_q(partnership) -> Q:
    """Cases ``partnership`` takes part in (and does not lead), while its participation has not ended."""
    return Q(pk__in=CaseParticipation.objects.filter(partnership_id=_pk(partnership), ended_at__isnull=True)
             .order_by().values("case_id"))


def partnership_case_ids(partnership) -> QuerySet:
    """The ids of the cases ``partnership`` leads or takes part in, as a subquery: the UNION of the cases it leads
    (the partnership index) and those it takes part in. An OR of the two could use no index, so PostgreSQL read all
    20,000 cases of a national installation for every list (issue 20)."""
    led = Case.objects.filter(partnership_id=_pk(partnership)).order_by().values("pk")
    taking_part = CaseParticipation.objects.filter(partnership_id=_pk(partnership), ended_at__isnull=True) \
        .order_by().values("case_id")
    return led.union(taking_part, all=True)


def partnership_cases_q(partnership) -> Q:
    """Cases ``partnership`` leads or takes part in: the outer bound of everything its people may see. Its few
    hundred ids are read first and then looked up by primary key (``InFewIds``)."""
    return Q(InFewIds(F("pk"), Subquery(partnership_case_ids(partnership))))


def case_visibility_filter(queryset: QuerySet, user) -> QuerySet:
    """Narrow ``queryset`` of cases to those ``user`` may see in the partnership they act in (need to know, minus
    conflicts)."""
    # Every grant needs a role held today: an ended role (or an invitation that outlived it) opens nothing.
    if not user or not user.is_authenticated or not user.is_active or not user.role_names:
        return queryset.none()
    partnership = user.partnership
    if partnership is None:
        return queryset.none()
    led = Q(partnership_id=partnership.pk)
    allowed = Q(pk__in=[])
    granted = False
    if user.has_role(*SEES_ALL):
        allowed = led
    else:
        if user.has_role(Role.THRESHOLD):
            allowed |= led & Q(stage__in=THRESHOLD_STAGES)
        if user.has_role(Role.EXECUTIVE):
            allowed |= led & Q(stage__in=EXECUTIVE_STAGES)
        grants = Q(pk__in=[])
        for rule in _grants:
            q = rule(user)
            if q is not None:
                grants |= q
                granted = True
        if granted:
            allowed |= grants
    if user.has_role(Role.BUSINESS_UNIT):
        allowed |= taking_part_q(partnership)
    elif user.has_role(Role.EXECUTIVE):
        allowed |= taking_part_q(partnership) & Q(stage__in=EXECUTIVE_STAGES)
    # Rule 1 first, on its own: the semi-join to the partnership's few hundred cases is what lets PostgreSQL use
    # indexes; the role rules and grants (which never reach outside it) then narrow those.
    queryset = queryset.filter(partnership_cases_q(partnership)).filter(allowed)
    for rule in _exclusions:
        q = rule(user)
        if q is not None:
            queryset = queryset.exclude(q)
    # Only a grant can join other tables (and so repeat a case); DISTINCT over every column costs on long lists.
    return queryset.distinct() if granted else queryset


def visible_cases(user) -> QuerySet[Case]:
    """The cases ``user`` may see: the one access rule every list and page of every stage starts from.

    Building the rule costs 2–3 ms and a case page asks for it two or three times, so it is built once per reader
    object (a request's user) and partnership and roles they act in, and each call returns a fresh copy. Nothing is
    read until a copy is: grants and conflicts are subqueries, run with the query that uses them."""
    if not getattr(user, "is_authenticated", False):
        return case_visibility_filter(Case.objects.all(), user)
    partnership = user.partnership
    key = (partnership.pk if partnership is not None else None, user.role_names, user.is_active)
    built = getattr(user, "_visible_cases", None)
    if built is None or built[0] != key:
        built = (key, case_visibility_filter(Case.objects.all(), user))
        user._visible_cases = built
    return built[1].all()


def leads_case(user, case: Case) -> bool:
    """Whether ``user`` acts in the partnership that leads ``case`` (only it changes the case or signs it off)."""
    partnership = getattr(user, "partnership", None)
    return partnership is not None and case.partnership_id == partnership.pk


def get_led_case(user, case_id) -> Case:
    """The case for a page that changes it: Http404 when ``user`` may not see it, PermissionDenied (403) when they
    see it only because their partnership takes part."""
    case = get_visible_case(user, case_id)
    if not leads_case(user, case):
        raise PermissionDenied
    return case


def case_partnership_ids(case: Case) -> set[int]:
    """The partnership leading ``case`` and those taking part now: the partnerships whose cases it may be compared
    with (clustered incidents, duplicates)."""
    taking_part = CaseParticipation.objects.filter(case=case, ended_at__isnull=True).values_list(
        "partnership_id", flat=True)
    return {case.partnership_id, *taking_part}


# Roles that may ever open the full case page; anyone else who can see a case gets the minimal summary.
FULL_PAGE_ROLES = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.THRESHOLD, Role.EXECUTIVE, Role.PANEL_MEMBER)


def case_sees_full(user, case: Case) -> bool:
    """Whether ``user`` (who can already see ``case``) may open the full case page, not only its summary.

    Full, in the leading partnership: business unit and chair always; threshold decision makers from the threshold
    stage on; executives from the decision stage on. In a partnership taking part: its business unit, and its
    executives from the decision stage on. Anywhere:
    panel members through a full grant (they sit on the case's panel). An agency lead who sees the case only
    because their agency has a form on it gets the summary, even if they hold another role.
    """
    if not user.has_role(*FULL_PAGE_ROLES):
        return False
    if leads_case(user, case):
        if user.has_role(*SEES_ALL):
            return True
        if user.has_role(Role.THRESHOLD) and case.stage in THRESHOLD_STAGES:
            return True
        if user.has_role(Role.EXECUTIVE) and case.stage in EXECUTIVE_STAGES:
            return True
    elif user.has_role(Role.BUSINESS_UNIT) or (user.has_role(Role.EXECUTIVE) and case.stage in EXECUTIVE_STAGES):
        return True
    allowed = Q(pk__in=[])
    for rule in _full_grants:
        q = rule(user)
        if q is not None:
            allowed |= q
    return Case.objects.filter(allowed, pk=case.pk).exists()


def can_answer_assurance(user, case: Case, item: AssuranceRequest) -> bool:
    """Whether ``user`` may record the agency's answer now: the leading partnership's business unit or chair,
    while the case is at "not met" and the request is unanswered (the same rule ``assurance_request_answer``
    applies)."""
    return (leads_case(user, case) and user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR)
            and case.stage == Stage.NOT_MET and not item.is_answered)

def get_visible_case(user, case_id) -> Case:
    """The case, or Http404 when it does not exist or the user may not see it."""
    return get_object_or_404(visible_cases(user).select_related("partnership"), pk=case_id)


def may_open_case(user, case_id) -> bool:
    """Whether a link to the case page would open for ``user`` (the page answers 404 otherwise)."""
    return visible_cases(user).filter(pk=case_id).exists()
