"""The decision sheet: drafting, versions, the PDF, signatures and disputes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from rapidreview.accounts.decorators import recent_auth_required, role_required
from rapidreview.accounts.models import Role, StatutoryPartner
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.db import DomainError
from rapidreview.formviews import handle_action, handle_form
from rapidreview.pdf import pdf_response

from ..document import render_sheet_pdf, sheet_pdf_filename
from ..forms import DisputeMeetingForm, EscalateForm, ResolveForm, SheetForm, SignForm, WithdrawForm
from ..models import SECTION_FIELDS, DisputeStatus, SheetStatus
from ..selectors import (
    SHEET_READERS,
    disputes_for,
    get_visible_dispute,
    has_practice_review,
    is_executive_chair,
    joint_review,
    open_dispute,
    sheet_actions,
    sheet_for,
    sheet_versions,
    signature_rows,
    signatures_for,
    signing_partners,
)
from ..services import (
    dispute_escalate,
    dispute_record_meeting,
    dispute_resolve,
    sheet_edit,
    sheet_revise,
    sheet_send,
    sheet_start,
    sheet_withdraw,
    signature_record,
)
from ..services.national_panel import national_panel_deadline
from .common import form_page, led_case, visible_case


def _sheet_or_404(case):
    sheet = sheet_for(case)
    if sheet is None:
        raise Http404("No decision sheet yet")
    return sheet


def _sheet_url(case):
    return reverse("decisions:sheet", args=[case.pk])


@role_required(*SHEET_READERS)
@require_http_methods(["GET"])
def sheet_detail(request, case_id):
    return _sheet_page(request, visible_case(request, case_id))


def _sheet_page(request, case, *, problems=(), status=200):
    """The decision sheet page; ``problems`` ((message, anchor) pairs) fill its error summary."""
    sheet = sheet_for(case)
    context = {"case": case, "sheet": sheet, "deadline": national_panel_deadline(case), "problems": problems,
               "actions": sheet_actions(request.user, case, None), "has_cspr": has_practice_review(case),
               "joint": joint_review(case)}
    if sheet is not None:
        access_log(request, action=AccessAction.VIEW, obj=sheet, case_id=case.pk)
        rows = signature_rows(sheet)
        dispute = open_dispute(sheet)
        submission = getattr(case, "national_panel_submission", None)
        cspr = getattr(case, "cspr", None)
        alternative = getattr(case, "alternative_learning", None)
        context.update({
            "version": sheet.current, "versions": sheet_versions(sheet), "rows": rows,
            "signatures": signatures_for(sheet), "disputes": disputes_for(sheet), "open_dispute": dispute,
            "submission": submission, "cspr": cspr, "alternative": alternative,
            "actions": sheet_actions(request.user, case, sheet, rows=rows, dispute=dispute, submission=submission,
                                     decided=cspr is not None or alternative is not None),
        })
    return render(request, "decisions/sheet.html", context, status=status)


@role_required(Role.BUSINESS_UNIT)
@require_POST
def sheet_start_view(request, case_id):
    case = led_case(request, case_id)
    return handle_action(request, lambda: sheet_start(case=case, actor=request.user),
                         success="Decision sheet drafted from the meeting record. Check each section.",
                         next_url=reverse("decisions:sheet_edit", args=[case.pk]), refused_url=_sheet_url(case))


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def sheet_edit_view(request, case_id):
    case = led_case(request, case_id)
    sheet = _sheet_or_404(case)
    if sheet.status != SheetStatus.DRAFT and request.method == "GET":
        hint = " Withdraw it from signature first." if sheet.status == SheetStatus.OUT_FOR_SIGNATURE else ""
        messages.error(request, "The decision sheet is not a draft, so it cannot be edited." + hint)
        return redirect("decisions:sheet", case_id=case.pk)
    form = SheetForm(request.POST or None, instance=sheet.current)
    if saved := handle_form(request, form,
                            save=lambda data: sheet_edit(sheet=sheet, actor=request.user,
                                                         content={f: data[f] for f in SECTION_FIELDS}),
                            success=lambda version: f"Draft saved as version {version.number}.",
                            next_url=_sheet_url(case)):
        return saved
    status = 400 if request.method == "POST" else 200
    return form_page(request, form=form, case=case, title="Edit the decision sheet", status=status,
                     intro="Write only what the panel decided. The dates, the child, the household, the agencies, "
                           "attendance, the vote and the signatures are taken from the case when the sheet is printed. "
                           "Each save keeps a new version.",
                     back_url=_sheet_url(case))


@role_required(Role.BUSINESS_UNIT)
@require_POST
def sheet_send_view(request, case_id):
    """Send for signature; a refusal shows the sheet page again with its problems in the error summary."""
    case = led_case(request, case_id)
    sheet = _sheet_or_404(case)
    try:
        version = sheet_send(sheet=sheet, actor=request.user)
    except DomainError as exc:
        return _sheet_page(request, case, problems=getattr(exc, "problems", [(str(exc), "")]), status=400)
    messages.success(request, f"Version {version.number} sent to the three statutory partners for signature.")
    return redirect("decisions:sheet", case_id=case.pk)


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def sheet_withdraw_view(request, case_id):
    case = led_case(request, case_id)
    sheet = _sheet_or_404(case)
    form = WithdrawForm(request.POST or None)
    if saved := handle_form(request, form,
                            save=lambda data: sheet_withdraw(sheet=sheet, actor=request.user, reason=data["reason"]),
                            success="The sheet was withdrawn and can be edited. Every partner will sign again.",
                            next_url=_sheet_url(case)):
        return saved
    return form_page(request, form=form, case=case, title="Withdraw the decision sheet from signature",
                     back_url=_sheet_url(case))


@role_required(Role.EXECUTIVE)
@recent_auth_required(minutes=15)
@require_http_methods(["GET", "POST"])
def sheet_sign(request, case_id):
    case = led_case(request, case_id)
    sheet = _sheet_or_404(case)
    partners = signing_partners(request.user, case)
    if not partners:
        raise PermissionDenied
    answered = set(sheet.signatures.filter(version=sheet.current_id).values_list("partner", flat=True))
    choices = [(p, StatutoryPartner(p).label) for p in partners if p not in answered]
    if sheet.status != SheetStatus.OUT_FOR_SIGNATURE or not choices:
        messages.error(request, "There is nothing for you to sign on this decision sheet.")
        return redirect("decisions:sheet", case_id=case.pk)
    form = SignForm(request.POST or None, partners=choices)
    if saved := handle_form(request, form,
                            save=lambda data: signature_record(
                                sheet=sheet, signer=request.user, partner=data.get("partner") or choices[0][0],
                                outcome=data["outcome"], reasons=data["reasons"]),
                            success="Your answer has been recorded.", next_url=_sheet_url(case)):
        return saved
    return form_page(request, form=form, case=case, template="decisions/sign.html",
                     title=f"Sign version {sheet.current.number} of the decision sheet",
                     version=sheet.current, sheet=sheet, signing_for=choices,
                     back_url=_sheet_url(case))


@role_required(*SHEET_READERS)
@require_http_methods(["GET"])
def sheet_version(request, case_id, number):
    case = visible_case(request, case_id)
    sheet = _sheet_or_404(case)
    version = sheet.versions.filter(number=number).select_related("created_by").first()
    if version is None:
        raise Http404("No such version")
    access_log(request, action=AccessAction.VIEW, obj=version, case_id=case.pk)
    return render(request, "decisions/version.html", {
        "case": case, "sheet": sheet, "version": version,
        "signatures": version.signatures.select_related("signer")})


@role_required(*SHEET_READERS)
@require_http_methods(["GET"])
def sheet_pdf(request, case_id, number=None):
    case = visible_case(request, case_id, action=AccessAction.PDF)
    sheet = _sheet_or_404(case)
    version = sheet.versions.filter(number=number).first() if number else sheet.current
    if version is None:
        raise Http404("No such version")
    access_log(request, action=AccessAction.PDF, obj=version, case_id=case.pk)
    return pdf_response(render_sheet_pdf(sheet, version, base_url=request.build_absolute_uri("/")),
                        filename=sheet_pdf_filename(sheet, version))


@role_required(Role.BUSINESS_UNIT, Role.RR_CHAIR)
@require_http_methods(["GET", "POST"])
def dispute_meeting(request, dispute_id):
    dispute = get_visible_dispute(request.user, dispute_id)
    case = led_case(request, dispute.sheet.case_id, obj=dispute)
    form = DisputeMeetingForm(request.POST or None)
    if saved := handle_form(request, form,
                            save=lambda data: dispute_record_meeting(dispute=dispute, actor=request.user,
                                                                     meeting_on=data["meeting_on"],
                                                                     notes=data["notes"]),
                            success="Meeting recorded. The business unit can now revise the sheet.",
                            next_url=_sheet_url(case)):
        return saved
    return form_page(request, form=form, case=case, title="Record the meeting with the rapid review chair",
                     intro=f"{dispute.signature.get_partner_display()} disputed: {dispute.signature.reasons}",
                     back_url=_sheet_url(case))


@role_required(Role.BUSINESS_UNIT, Role.RR_CHAIR)
@require_http_methods(["GET", "POST"])
def dispute_escalate_view(request, dispute_id):
    dispute = get_visible_dispute(request.user, dispute_id)
    case = led_case(request, dispute.sheet.case_id, obj=dispute)
    form = EscalateForm(request.POST or None)
    if saved := handle_form(request, form,
                            save=lambda data: dispute_escalate(dispute=dispute, actor=request.user,
                                                               reason=data["reason"]),
                            success="Escalated to the chair of the Executive.", next_url=_sheet_url(case)):
        return saved
    return form_page(request, form=form, case=case, title="Escalate the dispute to the chair of the Executive",
                     back_url=_sheet_url(case))


@role_required(Role.EXECUTIVE)
@require_http_methods(["GET", "POST"])
def dispute_resolve_view(request, dispute_id):
    dispute = get_visible_dispute(request.user, dispute_id)
    case = led_case(request, dispute.sheet.case_id, obj=dispute)
    if not is_executive_chair(request.user, case.partnership):
        raise PermissionDenied
    if dispute.status != DisputeStatus.ESCALATED:
        messages.error(request, "This dispute is not waiting for the chair of the Executive.")
        return redirect("decisions:sheet", case_id=case.pk)
    form = ResolveForm(request.POST or None)
    if saved := handle_form(request, form,
                            save=lambda data: dispute_resolve(dispute=dispute, actor=request.user,
                                                              resolution=data["resolution"]),
                            success="Resolution recorded. The business unit will revise the sheet for signature.",
                            next_url=_sheet_url(case)):
        return saved
    return form_page(request, form=form, case=case, title="Resolve the escalated dispute",
                     intro=f"{dispute.signature.get_partner_display()} disputed: {dispute.signature.reasons}. "
                           f"Escalated because: {dispute.escalation_reason}",
                     back_url=_sheet_url(case))


@role_required(Role.BUSINESS_UNIT)
@require_POST
def sheet_revise_view(request, case_id):
    case = led_case(request, case_id)
    sheet = _sheet_or_404(case)
    return handle_action(request, lambda: sheet_revise(sheet=sheet, actor=request.user),
                         success=lambda version: f"Version {version.number} opened for revision. Every partner will "
                                                 "sign again.",
                         next_url=reverse("decisions:sheet_edit", args=[case.pk]), refused_url=_sheet_url(case))
