"""The panels calendar, and the liaison with the National Panel its clustered-notification alerts ask for."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.formviews import handle_form

from .. import selectors, services
from ..forms import LiaisonForm
from .common import BU


@role_required(BU, Role.RR_CHAIR)
@require_GET
def calendar(request):
    today, partnership = timezone.localdate(), request.partnership
    return render(request, "panels/calendar.html", {
        "panels": selectors.upcoming_panels(partnership=partnership, today=today),
        "awaiting": selectors.awaiting_with_deadlines(partnership=partnership),
        "recent": selectors.recently_held(partnership=partnership),
        "clusters": selectors.active_clusters(partnership=partnership),
        "today": today,
    })


@role_required(BU)
@require_http_methods(["GET", "POST"])
def liaison_record(request):
    candidates = selectors.liaison_candidates(partnership=request.partnership)
    preselect = request.GET.getlist("case")
    form = LiaisonForm(request.POST or None, cases=candidates, initial={"cases": preselect})
    if saved := handle_form(request, form,
                            save=lambda data: services.liaison_record(
                                partnership=request.partnership, cases=data["cases"], liaised_on=data["liaised_on"],
                                contact=data["contact"], timelines_agreed=data["timelines_agreed"],
                                actor=request.user),
                            success="Liaison with the National Panel recorded.", next_url="panels:calendar"):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": "Record liaison with the National Panel", "back_url": reverse("panels:calendar"),
        "intro": "When several serious incidents are notified close together, agree timelines with the National "
                 "Panel so that the quality of each review comes first.",
        "submit_label": "Record the liaison"})
