"""The action plan: the list with its filters, and the same list as a CSV or Excel download."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from rapidreview.accounts.decorators import role_required
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.exports import download
from rapidreview.pagination import paginate

from .. import exports, selectors, services
from ..forms import ActionFilter
from ..models import ActionUpdate
from .common import READERS

PAGE_SIZE = 25


def _filtered(request):
    queryset = selectors.action_list(request.user).prefetch_related(
        Prefetch("updates", queryset=ActionUpdate.objects.order_by("-at", "-id"), to_attr="recent_updates"))
    return ActionFilter(request.GET or None, queryset=queryset, agencies=selectors.filter_agencies(request.user))


@require_GET
@role_required(*READERS)
def action_list(request):
    filterset = _filtered(request)
    actions = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = paginate(request, actions, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "actionplan/list.html", {
        "filter": filterset, "page": page, "query": query.urlencode(),
        "may_manage": services.may_manage(request.user), "is_working_group": services.is_working_group(request.user),
        "today": timezone.localdate(),
    })


@require_GET
@role_required(*READERS)
def action_export(request, fmt: str):
    filterset = _filtered(request)
    actions = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    access_log(request, action=AccessAction.EXPORT)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        return exports.actions_csv(actions, f"action-plan-{stamp}.csv")
    return download(exports.actions_xlsx(actions), f"action-plan-{stamp}.xlsx")
