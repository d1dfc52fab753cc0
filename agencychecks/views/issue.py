"""Issuing the forms for a case to the agencies of the partnerships leading or taking part in it."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.formviews import handle_form
from referrals.selectors import get_led_case

from .. import selectors, services
from ..forms import IssueForm


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def issue(request, case_id):
    case = get_led_case(request.user, case_id)
    earliest, latest = services.due_date_bounds(partnership=case.partnership)
    before_panel = services.latest_date_before_panel(case)
    have = set(case.agency_forms.values_list("agency_id", flat=True))
    rows = [row for row in selectors.issuable_agencies(case) if row.agency.pk not in have]
    invited = set(selectors.invited_agencies(case).values_list("pk", flat=True))
    form = IssueForm(request.POST or None, earliest=earliest, latest=latest, latest_before_panel=before_panel,
                     choices=rows, initial={"due_on": latest, "agencies": [
                         str(row.agency.pk) for row in rows if row.agency.pk in invited]})
    board_url = reverse("agencychecks:board", args=[case.pk])
    if saved := handle_form(request, form,
                            save=lambda data: services.forms_issue(case=case, agencies=data["agencies"],
                                                                   due_on=data["due_on"], actor=request.user),
                            success=lambda issued: f"{len(issued)} agency check forms issued. Each agency's "
                                                   "safeguarding leads have been sent a link.",
                            next_url=board_url):
        return saved
    return render(request, "agencychecks/issue.html", {
        "form": form, "case": case, "agencies": rows, "before_panel": before_panel,
        "partnerships": selectors.case_partnerships(case),
        "without_leads": selectors.agencies_without_leads(rows),
        "meeting": selectors.panel_meeting_date(case), "late_by_default": bool(before_panel and latest > before_panel),
        "title": "Issue agency check forms", "caption": case.reference, "submit_label": "Issue forms",
        "back_url": board_url})
