"""The forms list (every form for the business unit and chair, an agency's own for its leads) and a case's board."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from rapidreview.accounts.decorators import role_required
from rapidreview.audit.services import access_log
from rapidreview.pagination import paginate
from referrals.models import Stage
from referrals.selectors import get_visible_case

from .. import selectors
from ..models import FormStatus
from .common import FORM_ROLES, STAFF

PAGE_SIZE = 50
AWAITING_SHOWN = 20


@role_required(*FORM_ROLES)
@require_GET
def index(request):
    """Agency leads: their agency's forms. Business unit and chair: every form, the ones to quality-assure first."""
    forms = selectors.my_forms(request.user)
    status = request.GET.get("status", "")
    if status in FormStatus.values:
        forms = forms.filter(status=status)
    is_staff = request.user.has_role(*STAFF)
    page = paginate(request, forms, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    awaiting = selectors.forms_awaiting_qa(request.user) if is_staff and not status else None
    context = {"forms": page.object_list, "page": page, "query": query.urlencode(), "is_staff": is_staff,
               "status": status, "statuses": FormStatus.choices,
               "awaiting": list(awaiting[:AWAITING_SHOWN]) if awaiting is not None else [],
               "awaiting_count": awaiting.count() if awaiting is not None else 0}
    return render(request, "agencychecks/index.html", context)


@role_required(*STAFF)
@require_GET
def board(request, case_id):
    case = get_visible_case(request.user, case_id)
    forms = list(selectors.case_forms(case))
    columns = [(key, label, [f for f in forms if f.board_status == key]) for key, label in (
        ("issued", "Issued"), ("draft", "Draft"), ("submitted", "Submitted"), ("returned", "Returned"),
        ("accepted", "Accepted"), ("overdue", "Overdue"))]
    invited = list(selectors.invited_agencies(case))
    have = {f.agency_id for f in forms}
    access_log(request, obj=case, case_id=case.pk)
    return render(request, "agencychecks/board.html", {
        "case": case, "forms": forms, "columns": columns, "pack": selectors.pack_for(case),
        "not_issued": [a for a in invited if a.pk not in have],
        "can_issue": case.stage == Stage.RAPID_REVIEW and selectors.issues_forms(request.user, case),
        "leads": selectors.issues_forms(request.user, case),
        "all_accepted": bool(forms) and all(f.status == FormStatus.ACCEPTED for f in forms),
        "any_accepted": any(f.status == FormStatus.ACCEPTED for f in forms),
    })
