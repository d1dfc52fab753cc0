"""Dashboard cards: what the business unit and the threshold decision makers need to do now, in the partnership
they act in."""

from django.utils import timezone

from .models import Case
from .selectors import (
    cases_awaiting_threshold_discussion,
    cases_awaiting_threshold_send,
    cdop_discussions,
    open_assurance_requests_for,
    open_cases_by_stage,
    open_cases_taking_part,
    sin_decisions_due,
)

LIMIT = 10


def awaiting_threshold(request):
    cases = cases_awaiting_threshold_send(partnership=request.partnership)
    count = cases.count()
    return {"count": count, "cases": list(cases[:LIMIT])} if count else None


def sin_due(request):
    clocks = sin_decisions_due(partnership=request.partnership)
    count = clocks.count()
    if not count:
        return None
    shown = list(clocks[:LIMIT])
    refs = dict(Case.objects.filter(pk__in=[c.case_id for c in shown]).values_list("pk", "reference"))
    today = timezone.localdate()
    return {"count": count, "rows": [{"case_id": c.case_id, "reference": refs.get(c.case_id, ""), "due_on": c.due_on,
                                      "overdue": c.due_on < today} for c in shown if c.case_id in refs]}


def threshold_discussion(request):
    cases = cases_awaiting_threshold_discussion(partnership=request.partnership)
    count = cases.count()
    return {"count": count, "cases": list(cases[:LIMIT])} if count else None


def cases_by_stage(request):
    rows = open_cases_by_stage(partnership=request.partnership)
    taking_part = open_cases_taking_part(partnership=request.partnership)
    return {"rows": rows, "taking_part": taking_part, "today": timezone.localdate()} if rows or taking_part else None


# What the cards show of each row, and nothing else: "What needs me" builds each card once per partnership, and
# selecting every column of the joined case cost more to compile and read than the rows themselves (issue 20).
ASSURANCE_CARD_SHOWN = ("id", "due_on", "case_id", "agency_id", "case__id", "case__reference", "agency__id",
                        "agency__name")


def assurance_to_answer(request):
    """An agency lead's open assurance requests."""
    items = list(open_assurance_requests_for(request.user).select_related(None).select_related("case", "agency")
                 .only(*ASSURANCE_CARD_SHOWN)[:LIMIT])
    return {"items": items, "today": timezone.localdate()} if items else None


# What the CDOP card shows of each open discussion: its forum and reference, and the day a referral is due (the
# partnership's CDOP/JAR days after the discussion).
CDOP_CARD_SHOWN = ("id", "forum", "forum_reference", "discussed_on", "concluded_on", "case_id", "partnership_id",
                   "partnership__id", "partnership__cdop_referral_days")


def cdop_waiting(request):
    """CDOP and JAR discussions still waiting for a referral (or a reason for none)."""
    waiting = list(cdop_discussions(partnership=request.partnership).filter(concluded_on__isnull=True)
                   .select_related(None).select_related("partnership").only(*CDOP_CARD_SHOWN)[:LIMIT])
    return {"discussions": waiting, "today": timezone.localdate()} if waiting else None
