"""Conflicts of interest: declaring one, the business unit's list, how each is handled and its substitute."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_form
from referrals.selectors import get_led_case

from .. import selectors, services
from ..forms import ConflictForm, HandlingForm, SubstituteForm
from ..models import ConflictOfInterest
from .common import BU, PANEL_ROLES


@role_required(*PANEL_ROLES)
@require_http_methods(["GET", "POST"])
def conflict_declare(request, case_id=None):
    """A member declares their own conflict: from the panel page (case known) or by typing the reference."""
    case = get_led_case(request.user, case_id) if case_id else None
    form = ConflictForm(request.POST or None, case=case, user=request.user,
                        cases=selectors.declarable_cases(request.user))
    if saved := handle_form(request, form,
                            save=lambda data: services.conflict_declare(
                                case=form.case, user=request.user, nature=data["nature"],
                                implications=data["implications"], actor=request.user),
                            success=lambda _: f"Your conflict of interest on case {form.case.reference} is "
                                              "recorded. The business unit will tell you how it is handled. You no "
                                              "longer have access to the case.",
                            next_url="home"):
        return saved
    return render(request, "panels/conflict_declare.html", {
        "form": form, "case": case, "title": "Declare a conflict of interest",
        "caption": f"Case {case.reference}" if case else "", "submit_label": "Declare the conflict",
        "back_url": reverse("panels:panel", args=[case.pk]) if case else "/"})


@role_required(BU)
@require_http_methods(["GET", "POST"])
def conflict_record(request, case_id):
    """The business unit records a conflict on a member's behalf."""
    case = get_led_case(request.user, case_id)
    members = selectors.conflict_members(case)
    form = ConflictForm(request.POST or None, case=case, on_behalf=True, members=members)
    if saved := handle_form(request, form,
                            save=lambda data: services.conflict_declare(
                                case=case, user=data["member"], nature=data["nature"],
                                implications=data["implications"], actor=request.user),
                            success="Conflict of interest recorded.", next_url="panels:conflicts"):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": "Record a conflict of interest", "caption": f"Case {case.reference}",
        "back_url": reverse("panels:panel", args=[case.pk]), "submit_label": "Record the conflict"})


@role_required(BU)
@require_GET
def conflicts(request):
    rows = selectors.conflicts_visible_to(request.user)
    return render(request, "panels/conflicts.html", {"conflicts": rows})


def _get_conflict(request, conflict_id) -> ConflictOfInterest:
    """A conflict on a case the user's partnership leads and the user may see (404 for any other)."""
    return selectors.get_visible_conflict(request.user, conflict_id)


@role_required(BU)
@require_http_methods(["GET", "POST"])
def conflict_handle(request, conflict_id):
    conflict = _get_conflict(request, conflict_id)
    access_log(request, action=AccessAction.VIEW, obj=conflict, case_id=conflict.case_id)
    form = HandlingForm(request.POST or None, initial={"handling": conflict.handling})
    if saved := handle_form(request, form,
                            save=lambda data: services.conflict_record_handling(
                                conflict=conflict, handling=data["handling"], actor=request.user),
                            success="How the conflict is handled is recorded.", next_url="panels:conflicts"):
        return saved
    return render(request, "panels/conflict_handle.html", {
        "form": form, "conflict": conflict, "title": "How the conflict is handled",
        "caption": f"Case {conflict.case.reference}", "back_url": reverse("panels:conflicts"), "submit_label": "Save"})


@role_required(BU)
@require_http_methods(["GET", "POST"])
def conflict_substitute(request, conflict_id):
    conflict = _get_conflict(request, conflict_id)
    people = selectors.substitute_candidates(conflict)
    registered = selectors.registered_substitute(conflict.user, partnership=conflict.case.partnership_id)
    chosen = conflict.substitute_id or (registered.pk if registered and people.filter(pk=registered.pk).exists()
                                        else None)
    form = SubstituteForm(request.POST or None, people=people, initial={"substitute": chosen})
    if saved := handle_form(request, form,
                            save=lambda data: services.conflict_agree_substitute(
                                conflict=conflict, substitute=data["substitute"], actor=request.user),
                            success=lambda c: f"{c.substitute.full_name} is agreed as substitute for "
                                              f"{c.user.full_name}" + (
                                ", seated on the panel in their place." if selectors.panel_for_case(c.case) else "."),
                            next_url=reverse("panels:panel", args=[conflict.case_id])):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": f"Substitute for {conflict.user.full_name}",
        "caption": f"Case {conflict.case.reference}", "back_url": reverse("panels:panel", args=[conflict.case_id]),
        "intro": "The substitute takes the member's seat for this case: they are invited to the panel, sent the "
                 "agency check pack, can open the case and vote in the member's place. Only people on the panel "
                 "membership register who do not already sit on this panel can be chosen.",
        "submit_label": "Agree the substitute"})
