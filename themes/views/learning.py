"""Learning: events and bulletins, their follow-ups, and sending a bulletin to the partners."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.db import DomainError

from .. import learning
from ..forms import LearningForm
from ..models import LearningItem, LearningKind


@require_GET
@role_required(Role.BUSINESS_UNIT)
def learning_list(request):
    kind = request.GET.get("kind", "")
    items = LearningItem.objects.select_related("case").order_by("-date", "-created_at")
    if kind in LearningKind.values:
        items = items.filter(kind=kind)
    today = timezone.localdate()
    upcoming_q = Q(date__gte=today) & ~Q(kind=LearningKind.BULLETIN)
    upcoming = items.filter(upcoming_q).order_by("date")
    past = Paginator(items.exclude(upcoming_q), 30).get_page(request.GET.get("page"))
    follow_ups = LearningItem.objects.filter(follow_up_on__isnull=False, follow_up_done_on__isnull=True) \
        .order_by("follow_up_on")
    return render(request, "themes/learning_list.html", {
        "upcoming": upcoming, "page": past, "kinds": LearningKind.choices,
        "kind": kind, "follow_ups": follow_ups, "today": today, "query": f"kind={kind}" if kind else ""})


@require_http_methods(["GET", "POST"])
@role_required(Role.BUSINESS_UNIT)
def learning_create(request, kind):
    if kind not in LearningKind.values:
        raise Http404
    form = LearningForm(request.POST or None, kind=kind, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            item = learning.learning_create(kind=kind, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved.")
            return redirect(item)
    return render(request, "form_page.html", {"form": form, "title": f"Add: {LearningKind(kind).label.lower()}",
                                              "caption": "Learning", "back_url": reverse("themes:learning")})


@require_GET
@role_required(Role.BUSINESS_UNIT)
def learning_detail(request, item_id):
    item = get_object_or_404(LearningItem.objects.select_related("sent_by", "created_by"), pk=item_id)
    return render(request, "themes/learning_detail.html", {
        "item": item, "recipients": learning.distribution_list() if item.is_bulletin and not item.is_sent else []})


@require_http_methods(["GET", "POST"])
@role_required(Role.BUSINESS_UNIT)
def learning_edit(request, item_id):
    item = get_object_or_404(LearningItem, pk=item_id)
    if item.is_sent:
        messages.error(request, "This bulletin has been sent and is kept as it was sent.")
        return redirect(item)
    fields = ("title", "date", "audience", "attendance", "materials_url", "follow_up", "follow_up_on", "body")
    form = LearningForm(request.POST or None, kind=item.kind, initial={f: getattr(item, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            learning.learning_update(item=item, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved.")
            return redirect(item)
    return render(request, "form_page.html", {"form": form, "title": f"Change: {item.title}",
                                              "caption": item.get_kind_display(), "back_url": item.get_absolute_url()})


@require_POST
@role_required(Role.BUSINESS_UNIT)
def learning_follow_up_done(request, item_id):
    item = get_object_or_404(LearningItem, pk=item_id)
    try:
        learning.learning_follow_up_done(item=item, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Follow-up recorded as done.")
    return redirect(item)


@require_POST
@role_required(Role.BUSINESS_UNIT)
def bulletin_send(request, item_id):
    item = get_object_or_404(LearningItem, pk=item_id)
    try:
        count = learning.learning_bulletin_send(item=item, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Bulletin sent to {count} partner address{'es' if count != 1 else ''}.")
    return redirect(item)


@require_GET
@role_required(Role.BUSINESS_UNIT)
def bulletin_pdf(request, item_id):
    item = get_object_or_404(LearningItem, pk=item_id, kind=LearningKind.BULLETIN)
    access_log(request, action=AccessAction.PDF, obj=item)
    response = HttpResponse(learning.bulletin_pdf(item, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bulletin-{item.date.isoformat()}.pdf"'
    return response
