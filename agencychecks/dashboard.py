"""What agency check forms add to the shell: dashboard cards, the case-page section and task-list rows.

The cards read only ``request.user`` and the partnership it acts in, so that a page across several partnerships can
build each one's cards by making the user act in it (ADR 0015); that page makes their links open there.
"""

from django.urls import reverse

from panels.selectors import case_page_conflicts
from rapidreview.accounts.models import Role
from rapidreview.pagination import first_and_count
from rapidreview.registry import once_per_case
from referrals.models import Stage
from referrals.selectors import one_to_one

from . import selectors
from .models import FormStatus

LATER_STAGES = (Stage.DECISION, Stage.NATIONAL_PANEL, Stage.CSPR, Stage.CLOSED)
# What the form cards show of each form (link, case reference, agency, status, due date), and nothing else: the full
# rows of the form, its case and the case's partnership cost more to compile and read than the list (issue 20).
FORM_CARD_SHOWN = ("id", "status", "due_on", "case_id", "agency_id", "case__id", "case__reference", "agency__id",
                   "agency__name")


def _shown(forms, *also: str):
    """``forms`` with only what a form card shows (and ``also``), joined to its case and agency alone."""
    return forms.select_related(None).select_related("case", "agency").only(*FORM_CARD_SHOWN, *also)


def forms_due_card(request):
    """Agency lead: the forms their agency still has to complete or fix, on the cases of the partnership they act in
    (led or taking part)."""
    forms = list(_shown(selectors.forms_due_for(request.user))[:10])
    if not forms:
        return None
    return {"forms": forms, "partnership": request.user.partnership}


def awaiting_qa_card(request):
    """Business unit: submitted forms on the cases its partnership leads, waiting to be quality-assured."""
    forms, total = first_and_count(_shown(selectors.forms_awaiting_qa(request.user), "submitted_at"), 10)
    if not forms:
        return None
    return {"forms": forms, "total": total, "partnership": request.user.partnership}


def case_section(request, case):
    """The form board in brief, for the business unit and chair; the pack link for panel members who may see it."""
    user = request.user
    if case.stage not in (Stage.RAPID_REVIEW, *LATER_STAGES):
        return None
    staff = user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR)
    conflicted = any(c.user_id == user.pk for c in case_page_conflicts(case))
    can_see_pack = selectors.can_see_pack(user, case, conflicted=conflicted)
    if not staff and not can_see_pack:
        return None
    counts = selectors.board_counts(_form_states(case))
    return {"case": case, "counts": counts, "staff": staff, "can_see_pack": can_see_pack,
            "pack": one_to_one(case, "agency_pack"),
            "statuses": [(s.value, s.label, counts[s.value]) for s in FormStatus] + [
                ("overdue", "Overdue", counts["overdue"])]}


def _form_states(case):
    """The case's forms' states, read once for the case page's section and task rows."""
    return once_per_case(case, "agencychecks.form_states", lambda: selectors.form_states(case))


def case_tasks(case) -> list[dict]:
    if case.stage not in (Stage.RAPID_REVIEW, *LATER_STAGES):
        return []
    statuses = [status for status, _ in _form_states(case)]
    has_pack = one_to_one(case, "agency_pack") is not None
    open_stage = case.stage == Stage.RAPID_REVIEW
    board = reverse("agencychecks:board", args=[case.pk])
    issue = {"label": "Issue agency check forms", "url": reverse("agencychecks:issue", args=[case.pk]),
             "status": "done" if statuses else ("todo" if open_stage else "cannot_start")}
    if statuses:
        issue.update(url=board, hint=f"{len(statuses)} agencies")
    accepted = statuses.count(FormStatus.ACCEPTED)
    if not statuses:
        qa_status = "cannot_start"
    elif accepted == len(statuses):
        qa_status = "done"
    else:
        qa_status = "in_progress" if accepted or FormStatus.SUBMITTED in statuses else "todo"
    qa = {"label": "Quality-assure agency check forms", "url": board if statuses else None, "status": qa_status,
          "hint": f"{accepted} of {len(statuses)} accepted" if statuses else ""}
    pack_url = reverse("agencychecks:pack" if has_pack else "agencychecks:distribute", args=[case.pk])
    pack = {"label": "Distribute the pack to the panel", "url": pack_url if (has_pack or accepted) else None,
            "status": "done" if has_pack else ("todo" if accepted and open_stage else "cannot_start")}
    return [issue, qa, pack]
