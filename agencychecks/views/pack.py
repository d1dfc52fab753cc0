"""Distributing the pack of accepted forms to the panel, and the pack itself, on screen and as a PDF."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_form
from rapidreview.pdf import Marking, pdf_response, render_pdf
from referrals.selectors import get_led_case, get_visible_case

from .. import selectors, services
from ..forms import DistributeForm
from ..models import FormStatus
from ..sections import snapshot


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def distribute(request, case_id):
    case = get_led_case(request.user, case_id)
    forms = list(selectors.case_forms(case))
    left_out = [f for f in forms if f.status != FormStatus.ACCEPTED]
    form = DistributeForm(request.POST or None, needs_reason=bool(left_out))
    board_url = reverse("agencychecks:board", args=[case.pk])
    if saved := handle_form(request, form,
                            save=lambda data: services.pack_distribute(case=case, actor=request.user,
                                                                       reason=data.get("reason", "")),
                            success="The pack has been distributed. Each panel member has been sent a link.",
                            next_url=board_url):
        return saved
    members = list(selectors.case_panel_members(case))
    return render(request, "agencychecks/distribute.html", {
        "form": form, "case": case, "accepted": [f for f in forms if f.status == FormStatus.ACCEPTED],
        "left_out": left_out, "members": members, "title": "Distribute the pack to the panel",
        "caption": case.reference, "submit_label": "Distribute the pack",
        "back_url": board_url})


def _pack_case(request, case_id):
    if not request.user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.PANEL_MEMBER):
        raise PermissionDenied
    case = get_visible_case(request.user, case_id)
    if not selectors.can_see_pack(request.user, case):
        raise Http404("No pack.")
    return case


@require_GET
def pack(request, case_id):
    case = _pack_case(request, case_id)
    forms = list(selectors.accepted_forms(case))
    access_log(request, obj=case, case_id=case.pk)
    return render(request, "agencychecks/pack.html", {
        "case": case, "pack": selectors.pack_for(case), "entries": [(f, snapshot(f)) for f in forms]})


@require_GET
def pack_pdf(request, case_id):
    case = _pack_case(request, case_id)
    forms = list(selectors.accepted_forms(case))
    access_log(request, action=AccessAction.PDF, obj=case, case_id=case.pk)
    pdf = pack_pdf_bytes(case, forms, base_url=request.build_absolute_uri("/"))
    return pdf_response(pdf, filename=f"rapid-review-panel-pack-{case.reference}.pdf", attachment=True)


def pack_pdf_bytes(case, forms, *, base_url: str | None) -> bytes:
    """The pack as one PDF: a cover, a contents page and each agency's section."""
    return render_pdf("agencychecks/pack_pdf.html",
                      {"case": case, "pack": selectors.pack_for(case), "entries": [(f, snapshot(f)) for f in forms]},
                      title=f"Agency check forms for the rapid review panel, case {case.reference}",
                      marking=Marking.OFFICIAL_SENSITIVE, footer=f"Panel pack, case {case.reference}",
                      partnership=case.partnership, base_url=base_url)
