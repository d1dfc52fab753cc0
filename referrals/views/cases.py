"""The case list, the full case page and the minimal case summary.

Who sees what:
- the case list (/cases/): business unit and rapid review chair see every case; threshold decision makers and
  executives see the subset ``visible_to`` allows them. Agency leads and panel members reach cases from their own
  task pages, not from this list.
- the full case page (/cases/<id>/): anyone ``case_sees_full`` allows (business unit, chair, threshold decision
  makers from the threshold stage on, executives from the decision stage on, panel members the panels app grants).
  Anyone else who can see the case (an agency lead whose agency has a form on it) is sent to the summary.
- the summary (/cases/<id>/summary/): anyone who can see the case. It shows only what an agency needs to fill in
  its check form: reference, stage, child's name and date of birth, the incident date, harm and deadlines.

A case is seen from the partnership that leads it and from those taking part (joint cross-border reviews); both
pages say which partnership leads and which take part. A partnership taking part reads the case without any task
it could act on.
"""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.services import access_log
from rapidreview.clocks.models import Clock, ClockState
from rapidreview.links import openable
from rapidreview.pagination import paginate
from rapidreview.registry import case_sections_for

from ..filters import CaseFilter
from ..models import IncidentChild, Stage
from ..selectors import (
    FULL_PAGE_ROLES,
    can_answer_assurance,
    case_assurance_requests,
    case_events,
    case_for_page,
    case_list,
    case_other_children,
    case_participations,
    case_sees_full,
    get_visible_case,
    leads_case,
    one_to_one,
    waiting_lead_handover,
)
from ..services import HANDOVER_STAGES
from ..tasks_list import case_tasks

LIST_ROLES = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.THRESHOLD, Role.EXECUTIVE)


@role_required(*LIST_ROLES)
@require_GET
def case_list_view(request):
    """Every case the user may see, filtered, searched and paged; constant queries whatever the page length."""
    filterset = CaseFilter(request.GET or None, queryset=case_list(request.user))
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else case_list(request.user)
    page = paginate(request, queryset, 25)
    access_log(request, obj=None)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "referrals/case_list.html", {
        "filter": filterset, "page": page, "cases": page.object_list, "querystring": params.urlencode(),
        "filtered": any(v for k, v in request.GET.items() if k != "page")})


def _load_case(request, case_id):
    case = get_visible_case(request.user, case_id)
    access_log(request, obj=case, case_id=case.pk)
    return case


@role_required(*FULL_PAGE_ROLES, Role.AGENCY_LEAD)
@require_GET
def case_detail(request, case_id):
    """The whole story of one case: summary, clocks and other stages' sections, task list and timeline. The case
    comes with its one-to-one records, which every section reads from it (ADR 0019)."""
    case = case_for_page(request.user, case_id)
    access_log(request, obj=case, case_id=case.pk)
    if not case_sees_full(request.user, case):
        return redirect("referrals:case_summary", case_id=case.pk)
    referral = one_to_one(case, "referral")
    household = list(referral.household.all()) if referral else []
    # Every stage adds its tasks; each is a link only for a reader who may open it (issue 21, finding 16).
    tasks = openable(request.user, case_tasks(case, request.user))
    leads = leads_case(request.user, case)
    handover = waiting_lead_handover(case) if case.stage in HANDOVER_STAGES else None
    return render(request, "referrals/case_detail.html", {
        "case": case, "referral": referral, "household": household, "other_children": case_other_children(case),
        "may_add_child": case.children_count <= IncidentChild.MAX and case.stage != Stage.CLOSED,
        "agencies": list(case.involved_agencies.all()),
        "decision": one_to_one(case, "threshold_decision"), "sin": one_to_one(case, "sin"),
        "letter": one_to_one(case, "letter"),
        "assurance_requests": [(item, can_answer_assurance(request.user, case, item))
                               for item in case_assurance_requests(case)],
        "sections": case_sections_for(request, case), "tasks": tasks, "events": case_events(case),
        "leads": leads, "participations": _participations(case, leads),
        "can_invite": leads and request.user.has_role(Role.BUSINESS_UNIT) and case.stage != Stage.CLOSED,
        "lead_handover": handover,
        "can_propose_lead": leads and request.user.has_role(Role.BUSINESS_UNIT) and case.stage in HANDOVER_STAGES
        and handover is None,
        "can_act": leads and request.user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR)})


def _participations(case, leads: bool) -> list:
    """Every partnership taking part; the leading partnership also sees those whose part has ended."""
    return [p for p in case_participations(case) if leads or p.ended_at is None]


@role_required(*FULL_PAGE_ROLES, Role.AGENCY_LEAD)
@require_GET
def case_summary(request, case_id):
    """The minimal summary an agency needs; visible to anyone who can see the case."""
    case = _load_case(request, case_id)
    clocks = Clock.objects.filter(case_id=case.pk, state__in=[ClockState.RUNNING, ClockState.OVERDUE],
                                  subject_id=case.pk)
    return render(request, "referrals/case_summary.html", {
        "case": case, "clocks": clocks, "sees_full": case_sees_full(request.user, case),
        "other_children": case_other_children(case),
        "participations": _participations(case, leads=False)})
