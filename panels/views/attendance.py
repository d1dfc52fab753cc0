"""The meeting itself: recording who attended, and that it was held."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.db import DomainError
from rapidreview.formviews import handle_form

from .. import selectors, services
from ..forms import AttendanceForm, HeldForm
from .common import BU, case_and_panel


@role_required(BU)
@require_http_methods(["GET", "POST"])
def panel_attendance(request, case_id):
    case, panel = case_and_panel(request, case_id)
    invitations = list(selectors.invitations_for(panel))
    forms = [AttendanceForm(request.POST or None, prefix=str(inv.pk), invitation=inv,
                            initial={"attendance": inv.attendance, "substitute_name": inv.substitute_name})
             for inv in invitations]
    error = None
    if request.method == "POST" and all([f.is_valid() for f in forms]):  # noqa: C419 - validate every row
        rows = {f.invitation.pk: (f.cleaned_data["attendance"], f.cleaned_data["substitute_name"]) for f in forms}
        try:
            services.panel_record_attendance(panel=panel, rows=rows, actor=request.user)
        except DomainError as exc:
            error = str(exc)
        else:
            messages.success(request, "Attendance saved.")
            return redirect("panels:panel", case_id=case.pk)
    errors = [(f, name, msg) for f in forms for name, msgs in f.errors.items() for msg in msgs]
    return render(request, "panels/attendance.html", {
        "case": case, "panel": panel, "rows": list(zip(invitations, forms, strict=True)), "errors": errors,
        "error": error, "title": "Record attendance", "back_url": reverse("panels:panel", args=[case.pk]),
        "too_early": bool(panel.meeting_date and panel.meeting_date > timezone.localdate())})


@role_required(BU)
@require_http_methods(["GET", "POST"])
def panel_held(request, case_id):
    case, panel = case_and_panel(request, case_id)
    form = HeldForm(request.POST or None)
    if saved := handle_form(request, form,
                            save=lambda data: services.panel_record_held(panel=panel, actor=request.user,
                                                                         notes=data["notes"]),
                            success="The meeting is recorded as held.",
                            next_url=reverse("panels:panel", args=[case.pk])):
        return saved
    return render(request, "panels/held.html", {
        "form": form, "case": case, "panel": panel, "quorum": selectors.quorum_status(panel),
        "title": "Record the meeting as held", "caption": f"Case {case.reference}",
        "back_url": reverse("panels:panel", args=[case.pk]), "submit_label": "Record the meeting as held"})
