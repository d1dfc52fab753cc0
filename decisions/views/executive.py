"""The Executive's pages: sheets awaiting my signature, decisions of each year, escalations."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role

from ..selectors import (
    SHEET_READERS,
    decisions_by_year,
    escalations_open,
    is_executive_chair,
    sheets_awaiting_signature,
)


@role_required(*SHEET_READERS)
@require_http_methods(["GET"])
def index(request):
    """Decisions: sheets awaiting my signature, open escalations, and the decisions of each year."""
    show_escalations = request.user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR) or is_executive_chair(request.user)
    return render(request, "decisions/index.html", {
        "awaiting": sheets_awaiting_signature(request.user),
        "escalations": list(escalations_open()) if show_escalations else None,
        "is_exec_chair": is_executive_chair(request.user),
        "years": decisions_by_year(request.user),
    })


@role_required(Role.EXECUTIVE)
@require_http_methods(["GET"])
def awaiting(request):
    return render(request, "decisions/awaiting.html", {"awaiting": sheets_awaiting_signature(request.user)})
