"""One action: its page, and adding or changing it."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_form
from rapidreview.pagination import paginate

from .. import selectors, services
from ..forms import ActionForm
from .common import MANAGERS, READERS

UPDATES_PER_PAGE = 20


@require_GET
@role_required(*READERS)
def action_detail(request, action_id):
    action = selectors.get_visible_action(request.user, action_id)
    access_log(request, obj=action, case_id=action.case_id)
    return render(request, "actionplan/detail.html", {
        "action": action,
        "case_link": selectors.case_link(request.user, action),
        # Newest first, a page at a time: an action followed for years gathers hundreds of updates (issue 20).
        "updates": paginate(request, action.updates.select_related("author"), UPDATES_PER_PAGE),
        "evidence": action.evidence.select_related("added_by"),
        "may_update": services.may_update(request.user, action),
        "may_manage": services.may_manage(request.user),
        "is_working_group": services.is_working_group(request.user),
        "statuses": services.allowed_statuses(request.user, action),
    })


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def action_create(request):
    form = ActionForm(request.POST or None, partnership=request.partnership,
                      initial={"case": request.GET.get("case", ""), "source": request.GET.get("source", "")})
    if saved := handle_form(request, form,
                            save=lambda d: services.action_create(
                                case=d["case"], source=d["source"], learning=d["learning"],
                                description=d["description"], agency=d["agency"], owner=d["owner"],
                                due_on=d["due_on"], actor=request.user),
                            success="Action added to the plan.", next_url=lambda action: action):
        return saved
    return render(request, "form_page.html", {"form": form, "title": "Add an action", "caption": "Action plan",
                                              "back_url": reverse("actionplan:list")})


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def action_edit(request, action_id):
    action = selectors.get_visible_action(request.user, action_id)
    form = ActionForm(request.POST or None, partnership=action.partnership, action=action)
    if saved := handle_form(request, form,
                            save=lambda d: services.action_edit(
                                action=action, source=d["source"], learning=d["learning"],
                                description=d["description"], agency=d["agency"], owner=d["owner"],
                                due_on=d["due_on"], actor=request.user),
                            success="Action changed.", next_url=action):
        return saved
    return render(request, "form_page.html", {"form": form, "title": "Change the action",
                                              "caption": action.review_reference,
                                              "back_url": action.get_absolute_url()})
