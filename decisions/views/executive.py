"""The Executive's pages: sheets awaiting my signature, decisions of each year, escalations."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role

from ..selectors import (
    SHEET_READERS,
    decision_years,
    decisions_in_year,
    escalations_open,
    is_executive_chair,
    sheets_awaiting_signature,
)


@role_required(*SHEET_READERS)
@require_http_methods(["GET"])
def index(request):
    """Decisions: sheets awaiting my signature, open escalations, and the decisions of each year."""
    show_escalations = request.user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR) or is_executive_chair(request.user)
    years = decision_years(request.user)
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else (years[0] if years else None)
    return render(request, "decisions/index.html", {
        "awaiting": sheets_awaiting_signature(request.user),
        "escalations": list(escalations_open(request.user)) if show_escalations else None,
        "is_exec_chair": is_executive_chair(request.user),
        "years": years, "year": year,
        "sheets": list(decisions_in_year(request.user, year)) if year else [],
    })


@role_required(Role.EXECUTIVE)
@require_http_methods(["GET"])
def awaiting(request):
    return render(request, "decisions/awaiting.html", {"awaiting": sheets_awaiting_signature(request.user)})
