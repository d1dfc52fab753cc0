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
from rapidreview.pdf import pdf_response
from referrals.selectors import get_led_case, get_visible_case

from .. import selectors, services
from ..document import pack_filename, pack_pdf_bytes  # noqa: F401 - pack_pdf_bytes: benchmarks/inprocess.py
from ..forms import DistributeForm
from ..models import FormStatus
from ..sections import snapshot

# How often the 'being prepared' page asks again.
PREPARING_REFRESH_SECONDS = 5


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
    """The stored pack PDF when it is of the forms as they are now; otherwise it is prepared by a task and the
    reader sees a page that checks again every few seconds (ADR 0020). Each download is logged."""
    case = _pack_case(request, case_id)
    fingerprint = selectors.pack_fingerprint(case)
    stored = selectors.rendered_pack(case, fingerprint)
    if stored is None:
        services.pack_render_request(case=case, fingerprint=fingerprint)
        response = render(request, "agencychecks/pack_preparing.html", {
            "case": case, "refresh_seconds": PREPARING_REFRESH_SECONDS,
            "pack_url": reverse("agencychecks:pack_pdf", args=[case.pk])})
        response["Cache-Control"] = "no-store"
        return response
    access_log(request, action=AccessAction.PDF, obj=case, case_id=case.pk)
    with stored.file.open("rb") as pdf:
        return pdf_response(pdf.read(), filename=pack_filename(case), attachment=True)
