"""The reads every stage shares: the case list, the dashboards' lists, CDOP discussions, assurance requests,
the partnerships a case involves and whom a clock's reminders go to. Each is scoped to a partnership, or reads
through ``access``."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rapidreview.accounts.models import Partnership, Role
from rapidreview.accounts.selectors import agency_leads, people_with_role_in, users_with_role
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.db import joins_as_written
from rapidreview.registry import case_annotations, case_page_object, case_records

from ..models import (
    AssuranceRequest,
    Case,
    CaseParticipation,
    CdopDiscussion,
    IncidentChild,
    LeadHandover,
    Stage,
    ThresholdDecision,
)
from .access import SEES_ALL, leads_case, partnership_cases_q, taking_part_q, visible_cases


# --- whom a clock's "owner" reminders go to (registered with the clocks in ``ReferralsConfig.ready``) ----------
def case_reminder_owners(case: Case, clock) -> list:
    """The leading partnership's business unit owns every clock on the case itself."""
    return list(users_with_role(Role.BUSINESS_UNIT, partnership=case.partnership))


def cases_reminder_owners(pairs) -> list[list]:
    """``case_reminder_owners`` for many (case, clock) pairs in one query (the reminder sweep)."""
    people = people_with_role_in(Role.BUSINESS_UNIT, {case.partnership_id for case, _ in pairs})
    return [list(people.get(case.partnership_id, [])) for case, _ in pairs]


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


# What the case page shows of the case's own records, loaded with the case (ADR 0019).
CASE_PAGE_RECORDS = ("partnership", "referral", "referral__referrer_agency", "referral__submitted_by",
                     "referral__possible_duplicate_of", "threshold_decision", "threshold_decision__la_participant",
                     "threshold_decision__health_participant", "threshold_decision__police_participant", "sin",
                     "letter")

# What the case page never reads of the records it joins: the stored letter, the possible duplicate beyond its
# link (its child's name least of all) and the sign-in details of the people it names. Each column costs its
# compiling and its reading on every case page (issue 20).
_PERSON_UNREAD = ("password", "last_login", "is_superuser", "is_staff", "date_joined", "phone")
_CASE_PAGE_UNREAD = (
    "letter__pdf",
    *(f"referral__possible_duplicate_of__{field.attname}" for field in Case._meta.concrete_fields
      if field.attname not in ("id", "reference")),
    *(f"{person}__{field}" for person in ("referral__submitted_by", "threshold_decision__la_participant",
                                          "threshold_decision__health_participant",
                                          "threshold_decision__police_participant")
      for field in _PERSON_UNREAD))


def case_for_page(user, case_id) -> Case:
    """The case for its full page, or Http404 when ``user`` may not see it: in one query with its referral,
    threshold decision (and the three people at it), SIN and letter, and every one-to-one record later stages
    registered (``rapidreview.registry.register_case_records``), so no section reads them again, and the values
    they registered from tables keyed by the case's id (``register_case_annotation``); marked as the page's case
    object (``once_per_case`` remembers on it)."""
    rows = (visible_cases(user).select_related(*CASE_PAGE_RECORDS, *case_records()).defer(*_CASE_PAGE_UNREAD)
            .annotate(**case_annotations()))
    with joins_as_written():  # the case by its key, then a score of one-to-one joins
        case = get_object_or_404(rows, pk=case_id)
    return case_page_object(case)


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


def case_assurance_requests(case: Case) -> list[AssuranceRequest]:
    """The assurance requests made on ``case``, with their agency and who recorded the answer. They are asked only
    while a case is at "threshold not met" (``services.not_met``), which leads only to closing it, so a case at any
    other stage has none and costs no query."""
    if case.stage not in (Stage.NOT_MET, Stage.CLOSED):
        return []
    return list(case.assurance_requests.select_related("agency", "response_recorded_by"))


def case_events(case: Case):
    return case.events.select_related("actor").all()






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


def partnerships_matching(term: str, *, limit: int) -> list[Partnership]:
    """Active partnerships whose name, short name or local authority contains ``term``, by name, at most ``limit``.

    What a member of the public types for the area is the council's or the borough's name, so all three are
    searched. An installation holds at most a few hundred partnerships: no index is needed for this.
    """
    term = term.strip()
    return list(partnerships_taking_referrals().filter(
        Q(name__icontains=term) | Q(short_name__icontains=term) | Q(local_authority_name__icontains=term))[:limit])


# --- joint cross-border reviews ---------------------------------------------------------------------------------
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


def partnerships_to_lead(case: Case) -> QuerySet[Partnership]:
    """The active partnerships that could be asked to lead ``case`` instead: every other one, including one that
    takes part already."""
    return Partnership.objects.filter(is_active=True).exclude(pk=case.partnership_id).order_by("name")


def get_participation(case: Case, participation_id) -> CaseParticipation:
    """A current participation in ``case`` (Http404 otherwise)."""
    return get_object_or_404(CaseParticipation.objects.select_related("partnership"), case=case,
                             pk=participation_id, ended_at__isnull=True)


def case_other_children(case: Case) -> list[IncidentChild]:
    """The further children in ``case``'s incident, in the order they were added; no query for the usual case of
    one child (``children_count``)."""
    if case.children_count <= 1:
        return []
    return list(IncidentChild.objects.filter(case=case))


def get_incident_child(case: Case, child_id) -> IncidentChild:
    """A further child of ``case`` (Http404 otherwise)."""
    return get_object_or_404(IncidentChild.objects.select_related("case"), case=case, pk=child_id)


def waiting_lead_handover(case: Case) -> LeadHandover | None:
    """The proposal that another partnership lead ``case``, while it waits for an answer."""
    return LeadHandover.objects.select_related("from_partnership", "to_partnership", "proposed_by").filter(
        case=case, answered_at__isnull=True).first()
