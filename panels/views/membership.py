"""The panel membership register."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.formviews import handle_action, handle_form

from .. import selectors, services
from ..forms import MembershipForm
from .common import BU


@role_required(BU, Role.RR_CHAIR)
@require_GET
def members(request):
    include_past = request.GET.get("show") == "all"
    assignments = list(selectors.panel_members_register(partnership=request.partnership,
                                                        include_past=include_past))
    today = timezone.localdate()
    return render(request, "panels/members.html", {
        "core": [a for a in assignments if a.core], "case_by_case": [a for a in assignments if not a.core],
        "include_past": include_past, "today": today, "can_edit": request.user.has_role(BU)})


def _membership_data(form) -> dict:
    return {k: form.cleaned_data.get(k) for k in services.MEMBERSHIP_FIELDS}


@role_required(BU)
@require_http_methods(["GET", "POST"])
def member_add(request):
    form = MembershipForm(request.POST or None, people=selectors.register_candidates(partnership=request.partnership),
                          initial={"starts_on": timezone.localdate()})
    if saved := handle_form(request, form,
                            save=lambda data: services.membership_add(partnership=request.partnership,
                                                                      user=data["user"], actor=request.user,
                                                                      **_membership_data(form)),
                            success=lambda _: f"{form.cleaned_data['user'].full_name} added to the panel register.",
                            next_url="panels:members"):
        return saved
    return render(request, "form_page.html", {"form": form, "title": "Add a panel member",
                                              "caption": "Panel membership register",
                                              "back_url": reverse("panels:members")})


@role_required(BU)
@require_http_methods(["GET", "POST"])
def member_edit(request, assignment_id):
    assignment = selectors.get_membership(assignment_id, partnership=request.partnership)
    initial = {k: getattr(assignment, k) for k in services.MEMBERSHIP_FIELDS}
    initial["core"] = "yes" if assignment.core else "no"
    initial["voting"] = "yes" if assignment.voting else "no"
    form = MembershipForm(request.POST or None, person=assignment.user,
                          people=selectors.register_candidates(partnership=request.partnership), initial=initial)
    if saved := handle_form(request, form,
                            save=lambda data: services.membership_update(assignment=assignment, actor=request.user,
                                                                         **_membership_data(form)),
                            success=lambda _: f"{assignment.user.full_name}'s membership saved.",
                            next_url="panels:members"):
        return saved
    return render(request, "panels/member_edit.html", {
        "form": form, "assignment": assignment, "title": "Change panel membership",
        "caption": assignment.user.full_name, "back_url": reverse("panels:members")})


@role_required(BU)
@require_POST
def member_end(request, assignment_id):
    assignment = selectors.get_membership(assignment_id, partnership=request.partnership)
    return handle_action(request, lambda: services.membership_end(assignment=assignment, actor=request.user),
                         success=lambda _: f"{assignment.user.full_name}'s panel membership ended today.",
                         next_url="panels:members", refused_url="panels:members")
