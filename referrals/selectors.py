"""Who may see which case, and the reads every stage shares.

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

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rapidreview.accounts.models import Partnership, Role
from rapidreview.accounts.selectors import agency_leads, users_with_role
from rapidreview.clocks.models import Clock, ClockKind, ClockState

from .models import AssuranceRequest, Case, CaseParticipation, CdopDiscussion, Stage, ThresholdDecision

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
    return Q(Exists(CaseParticipation.objects.filter(case_id=OuterRef("pk"), partnership_id=_pk(partnership),
                                                     ended_at__isnull=True)))


def partnership_cases_q(partnership) -> Q:
    """Cases ``partnership`` leads or takes part in: the outer bound of everything its people may see."""
    return Q(partnership_id=_pk(partnership)) | taking_part_q(partnership)


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
            allowed |= grants & partnership_cases_q(partnership)
    if user.has_role(Role.BUSINESS_UNIT):
        allowed |= taking_part_q(partnership)
    queryset = queryset.filter(allowed)
    for rule in _exclusions:
        q = rule(user)
        if q is not None:
            queryset = queryset.exclude(q)
    # Only a grant can join other tables (and so repeat a case); DISTINCT over every column costs on long lists.
    return queryset.distinct() if granted else queryset


def visible_cases(user) -> QuerySet[Case]:
    """The cases ``user`` may see: the one access rule every list and page of every stage starts from."""
    return case_visibility_filter(Case.objects.all(), user)


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


def case_participations(case: Case) -> list[CaseParticipation]:
    """Every partnership that takes or took part in ``case``, current ones first, with who added it."""
    return list(CaseParticipation.objects.filter(case=case).select_related("partnership", "added_by")
                .order_by(F("ended_at").desc(nulls_first=True), "added_at"))


def partnerships_to_invite(case: Case) -> QuerySet[Partnership]:
    """The active partnerships that could be invited to take part in ``case``: not the leading one, and not one
    that takes part already."""
    current = CaseParticipation.objects.filter(case=case, ended_at__isnull=True).values("partnership_id")
    return (Partnership.objects.filter(is_active=True).exclude(pk=case.partnership_id).exclude(pk__in=current)
            .order_by("name"))


def get_participation(case: Case, participation_id) -> CaseParticipation:
    """A current participation in ``case`` (Http404 otherwise)."""
    return get_object_or_404(CaseParticipation.objects.select_related("partnership"), case=case,
                             pk=participation_id, ended_at__isnull=True)


# Roles that may ever open the full case page; anyone else who can see a case gets the minimal summary.
FULL_PAGE_ROLES = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.THRESHOLD, Role.EXECUTIVE, Role.PANEL_MEMBER)


def case_sees_full(user, case: Case) -> bool:
    """Whether ``user`` (who can already see ``case``) may open the full case page, not only its summary.

    Full, in the leading partnership: business unit and chair always; threshold decision makers from the threshold
    stage on; executives from the decision stage on. In a partnership taking part: its business unit. Anywhere:
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
    elif user.has_role(Role.BUSINESS_UNIT):
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


# --- whom a clock's "owner" reminders go to (registered with the clocks in ``ReferralsConfig.ready``) ----------
def case_reminder_owners(case: Case, clock) -> list:
    """The leading partnership's business unit owns every clock on the case itself."""
    return list(users_with_role(Role.BUSINESS_UNIT, partnership=case.partnership))


def assurance_reminder_owners(item: AssuranceRequest, clock) -> list:
    """The agency's safeguarding leads in the case's partnership, who owe the answer."""
    return list(agency_leads(item.agency, partnership=item.case.partnership))


def cdop_reminder_owners(item, clock) -> list:
    """The business unit, who makes sure a referral is considered within the week of a CDOP or JAR discussion."""
    return list(users_with_role(Role.BUSINESS_UNIT, partnership=item.partnership))


def overdue_clock_exists():
    today = timezone.localdate()
    return Exists(Clock.objects.filter(case_id=OuterRef("pk")).filter(
        Q(state=ClockState.OVERDUE) | Q(state=ClockState.RUNNING, due_on__lt=today)))


def case_list(user) -> QuerySet[Case]:
    """The cases ``user`` may list, with what the list shows, in a constant number of queries."""
    return (visible_cases(user).select_related("referral", "threshold_decision", "partnership")
            .annotate(has_overdue=overdue_clock_exists()).order_by("-created_at"))


def possible_duplicates(*, first_name: str, last_name: str, dob, partnership, exclude=None) -> QuerySet[Case]:
    """Cases ``partnership`` leads or takes part in for a child with the same name and date of birth (names
    compared without case). Another partnership's cases are never matched: even their number would tell."""
    if not first_name or not dob:
        return Case.objects.none()
    qs = Case.objects.filter(partnership_cases_q(partnership), child_first_name__iexact=first_name.strip(),
                             child_last_name__iexact=last_name.strip(), child_dob=dob)
    return qs.exclude(pk=exclude.pk) if exclude is not None else qs


def cases_awaiting_threshold_send(*, partnership) -> QuerySet[Case]:
    return (Case.objects.filter(partnership=partnership, stage=Stage.RECEIVED).select_related("referral")
            .order_by("created_at"))


def cases_awaiting_threshold_discussion(*, partnership) -> QuerySet[Case]:
    decided = ThresholdDecision.objects.filter(case=OuterRef("pk"))
    return (Case.objects.filter(partnership=partnership, stage=Stage.THRESHOLD).exclude(Exists(decided))
            .select_related("referral").order_by("created_at"))


def sin_decisions_due(*, partnership) -> QuerySet[Clock]:
    """Running SIN-decision clocks of the cases ``partnership`` leads, soonest first."""
    return Clock.objects.filter(partnership=partnership, kind=ClockKind.SIN_DECISION,
                                state__in=[ClockState.RUNNING, ClockState.OVERDUE]).order_by("due_on")


def case_events(case: Case):
    return case.events.select_related("actor").all()


def get_visible_case(user, case_id) -> Case:
    """The case, or Http404 when it does not exist or the user may not see it."""
    return get_object_or_404(visible_cases(user).select_related("partnership"), pk=case_id)


def may_open_case(user, case_id) -> bool:
    """Whether a link to the case page would open for ``user`` (the page answers 404 otherwise)."""
    return visible_cases(user).filter(pk=case_id).exists()


def one_to_one(case: Case, name: str):
    """The case's ``name`` record (threshold decision, SIN, letter, referral) or None."""
    try:
        return getattr(case, name)
    except ObjectDoesNotExist:
        return None


def open_cases_by_stage(*, partnership) -> list[dict]:
    """Each stage still in progress among the cases ``partnership`` leads: its number of cases, how many have an
    overdue deadline, and the next due date among their running deadlines. One query, driven by the open cases
    (each looks up its own clocks through the ``clock_case_idx`` index), whatever the number of cases or clocks."""
    next_due = (Clock.objects.filter(case_id=OuterRef("pk"), state__in=[ClockState.RUNNING, ClockState.OVERDUE])
                .order_by("due_on").values("due_on")[:1])
    rows = (Case.objects.filter(partnership=partnership).exclude(stage=Stage.CLOSED)
            .annotate(has_overdue=overdue_clock_exists(), case_next_due=Subquery(next_due))
            .values("stage").annotate(total=Count("id"), overdue=Count("id", filter=Q(has_overdue=True)),
                                      next_due=Min("case_next_due")))
    counts = {row["stage"]: row for row in rows}
    return [{"stage": stage, "label": label, "total": counts[stage]["total"], "overdue": counts[stage]["overdue"],
             "next_due": counts[stage]["next_due"]}
            for stage, label in Stage.choices if stage in counts]


def open_cases_taking_part(*, partnership) -> int:
    """How many open cases led by other partnerships ``partnership`` takes part in."""
    return Case.objects.filter(taking_part_q(partnership)).exclude(stage=Stage.CLOSED).count()


def cdop_discussions(*, partnership) -> QuerySet[CdopDiscussion]:
    """``partnership``'s CDOP and JAR discussions (its business unit's list), open ones first, with the referral
    made after each."""
    return (CdopDiscussion.objects.filter(partnership=partnership)
            .select_related("case", "recorded_by", "concluded_by", "partnership")
            .order_by(F("concluded_on").desc(nulls_first=True), "discussed_on"))


def open_cdop_discussion(discussion_id, *, partnership) -> CdopDiscussion | None:
    """``partnership``'s discussion a referral is being made for, while it still waits for one."""
    if not discussion_id:
        return None
    return cdop_discussions(partnership=partnership).filter(pk=discussion_id, concluded_on__isnull=True).first()


def assurance_requests_visible_to(user) -> QuerySet[AssuranceRequest]:
    """Business unit and chair: the requests on the cases they may see. An agency's safeguarding lead: the requests
    made of their agency on the cases of the partnership they act in (they answer without seeing the case).
    Anyone else: none."""
    rows = AssuranceRequest.objects.select_related("case", "case__partnership", "agency", "requested_by",
                                                   "response_recorded_by")
    if not user or not user.is_authenticated or not user.is_active or user.partnership is None:
        return rows.none()
    if user.has_role(*SEES_ALL):
        return rows.filter(case__in=visible_cases(user).values("pk"))
    if user.has_role(Role.AGENCY_LEAD) and user.agency_id:
        return rows.filter(agency_id=user.agency_id, case__partnership=user.partnership)
    return rows.none()


def may_answer_assurance(user, item: AssuranceRequest) -> bool:
    """The agency's own safeguarding leads in the case's partnership answer, while the case is still at "not met"
    and nobody has yet."""
    return (not item.is_answered and item.case.stage == Stage.NOT_MET and leads_case(user, item.case)
            and user.has_role(Role.AGENCY_LEAD) and user.agency_id == item.agency_id)


def open_assurance_requests_for(user) -> QuerySet[AssuranceRequest]:
    """What an agency lead still has to answer in the partnership they act in, soonest first."""
    if not user.has_role(Role.AGENCY_LEAD):
        return AssuranceRequest.objects.none()
    return (assurance_requests_visible_to(user).filter(responded_on__isnull=True, case__stage=Stage.NOT_MET)
            .order_by("due_on"))


def open_assurance_requests_everywhere(user) -> QuerySet[AssuranceRequest]:
    """What an agency lead still has to answer in every partnership where they are one, soonest first (the combined
    "What needs me" view; each request names its case's partnership)."""
    if not user or not user.is_authenticated or not user.is_active or not user.agency_id:
        return AssuranceRequest.objects.none()
    partnerships = {a.partnership_id for a in user.current_assignments if a.role == Role.AGENCY_LEAD}
    return (AssuranceRequest.objects.filter(agency_id=user.agency_id, case__partnership_id__in=partnerships,
                                            responded_on__isnull=True, case__stage=Stage.NOT_MET)
            .select_related("case", "case__partnership", "agency").order_by("due_on"))


def partnerships_taking_referrals() -> QuerySet[Partnership]:
    """The partnerships a member of the public may refer to: every active one, by name."""
    return Partnership.objects.filter(is_active=True).order_by("name")
