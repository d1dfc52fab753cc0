"""Learning: events and bulletins, their follow-ups, and sending a bulletin to the partners."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_action, handle_form
from rapidreview.pagination import paginate
from rapidreview.pdf import pdf_response
from referrals.selectors import get_led_case

from .. import learning, selectors
from ..forms import LearningForm, LearningRouteForm
from ..models import LearningKind


@require_GET
@role_required(Role.BUSINESS_UNIT)
def learning_list(request):
    kind = request.GET.get("kind", "")
    today = timezone.localdate()
    lists = selectors.learning_overview(partnership=request.partnership, kind=kind, today=today)
    past = paginate(request, lists["past"], 30)
    return render(request, "themes/learning_list.html", {
        "upcoming": lists["upcoming"], "page": past, "kinds": LearningKind.choices,
        "kind": kind, "follow_ups": lists["follow_ups"], "today": today, "query": f"kind={kind}" if kind else ""})


@require_http_methods(["GET", "POST"])
@role_required(Role.BUSINESS_UNIT)
def learning_create(request, kind):
    if kind not in LearningKind.values:
        raise Http404
    form = LearningForm(request.POST or None, kind=kind, partnership=request.partnership,
                        initial={"date": timezone.localdate()})
    if saved := handle_form(request, form,
                            save=lambda data: learning.learning_create(kind=kind, actor=request.user,
                                                                       partnership=request.partnership, **data),
                            success="Saved.", next_url=lambda item: item):
        return saved
    return render(request, "form_page.html", {"form": form, "title": f"Add: {LearningKind(kind).label.lower()}",
                                              "caption": "Learning", "back_url": reverse("themes:learning")})


@require_http_methods(["GET", "POST"])
@role_required(Role.BUSINESS_UNIT)
def learning_route_start(request, case_id):
    """Start a learning route for a case that has learning but no practice review: a local learning review, a
    practitioner learning event or a 7-minute briefing (``themes.models.LEARNING_ROUTES``)."""
    case = get_led_case(request.user, case_id)
    access_log(request, obj=case, case_id=case.pk)
    form = LearningRouteForm(request.POST or None, partnership=case.partnership,
                             initial={"date": timezone.localdate()})
    if saved := handle_form(request, form,
                            save=lambda data: learning.learning_create(actor=request.user, partnership=case.partnership,
                                                                       case=case, **data),
                            success="Learning route started. Add its actions to the action plan from its page.",
                            next_url=lambda item: item):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": "Start a local learning route", "caption": case.reference,
        "back_url": case.get_absolute_url(), "cancel_url": case.get_absolute_url(),
        "intro": "For a case with learning but no practice review. It appears in the learning list, the annual "
                 "statistics and, once the case closes, the themes logs."})


@require_GET
@role_required(Role.BUSINESS_UNIT)
def learning_detail(request, item_id):
    item = selectors.get_learning_item(item_id, partnership=request.partnership)
    return render(request, "themes/learning_detail.html", {
        "item": item, "route_actions": selectors.learning_route_actions(item),
        "recipients": learning.distribution_list(item.partnership) if item.is_bulletin and not item.is_sent else []})


@require_http_methods(["GET", "POST"])
@role_required(Role.BUSINESS_UNIT)
def learning_edit(request, item_id):
    item = selectors.get_learning_item(item_id, partnership=request.partnership)
    if item.is_sent:
        messages.error(request, "This bulletin has been sent and is kept as it was sent.")
        return redirect(item)
    fields = ("title", "date", "audience", "attendance", "materials_url", "follow_up", "follow_up_on", "body",
              "publication_override", "owner", "outputs")
    form = LearningForm(request.POST or None, kind=item.kind, partnership=item.partnership,
                        initial={f: getattr(item, f) for f in fields})
    if saved := handle_form(request, form,
                            save=lambda data: learning.learning_update(item=item, actor=request.user, **data),
                            success="Saved.", next_url=item):
        return saved
    return render(request, "form_page.html", {"form": form, "title": f"Change: {item.title}",
                                              "caption": item.get_kind_display(), "back_url": item.get_absolute_url()})


@require_POST
@role_required(Role.BUSINESS_UNIT)
def learning_follow_up_done(request, item_id):
    item = selectors.get_learning_item(item_id, partnership=request.partnership)
    return handle_action(request, lambda: learning.learning_follow_up_done(item=item, actor=request.user),
                         success="Follow-up recorded as done.", next_url=item, refused_url=item)


@require_POST
@role_required(Role.BUSINESS_UNIT)
def bulletin_send(request, item_id):
    item = selectors.get_learning_item(item_id, partnership=request.partnership)
    return handle_action(request, lambda: learning.learning_bulletin_send(item=item, actor=request.user),
                         success=lambda count: f"Bulletin sent to {count} partner address{'es' if count != 1 else ''}.",
                         next_url=item, refused_url=item)


@require_GET
@role_required(Role.BUSINESS_UNIT)
def bulletin_pdf(request, item_id):
    item = selectors.get_learning_item(item_id, partnership=request.partnership, kind=LearningKind.BULLETIN)
    access_log(request, action=AccessAction.PDF, obj=item)
    return pdf_response(learning.bulletin_pdf(item, request), filename=f"learning-bulletin-{item.date.isoformat()}.pdf")
