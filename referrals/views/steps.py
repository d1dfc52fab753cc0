"""The business steps on a case: send for threshold, record the discussion, record the SIN, and the "not met"
path (letter, assurance requests, closing). Every write goes through a service; a DomainError is shown in the
GOV.UK error summary and nothing typed is lost.

Each is for the partnership that leads the case (``get_led_case``): a partnership that only takes part gets 403,
another partnership 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.db import DomainError
from rapidreview.formviews import handle_form
from rapidreview.pdf import pdf_response

from .. import services
from ..forms import (
    AssuranceAnswerForm,
    AssuranceRequestForm,
    CloseForm,
    LetterForm,
    LetterManualSendForm,
    SinForm,
    ThresholdForm,
)
from ..models import LetterSentBy, ThresholdOutcome
from ..selectors import get_led_case, one_to_one
from ..services import (
    assurance_request_answer,
    assurance_request_create,
    case_close_without_review,
    case_record_sin,
    case_send_to_threshold,
    letter_can_be_emailed,
    letter_default_next_steps,
    letter_save,
    referral_record_threshold,
    render_letter_html,
    sin_due_on,
    sin_tells_ofsted,
)
from ..sin_sheet import missing_answers, sin_is_due, sin_sheet

RUNS = (Role.BUSINESS_UNIT, Role.RR_CHAIR)


def _case(request, case_id):
    case = get_led_case(request.user, case_id)
    access_log(request, obj=case, case_id=case.pk)
    return case


def _page(request, case, form, title, **extra):
    return render(request, extra.pop("template", "form_page.html"), {
        "form": form, "title": title, "caption": case.reference, "case": case,
        "back_url": case.get_absolute_url(), "cancel_url": case.get_absolute_url(), **extra})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def send_threshold(request, case_id):
    """Confirm sending the referral to the three-way threshold discussion."""
    case = _case(request, case_id)
    error = None
    if request.method == "POST":
        try:
            case_send_to_threshold(case=case, actor=request.user)
        except DomainError as exc:
            error = str(exc)
        else:
            messages.success(request, "Sent for the threshold discussion. The threshold decision makers have been "
                                      "told.")
            return redirect(case)
    return render(request, "referrals/confirm.html", {
        "case": case, "title": "Send for the threshold discussion", "error": error,
        "body": "The local authority, health and police threshold decision makers will be told by e-mail that a "
                "referral is waiting for their discussion.", "submit_label": "Send for threshold discussion"})


@role_required(Role.BUSINESS_UNIT, Role.THRESHOLD)
@require_http_methods(["GET", "POST"])
def threshold_record(request, case_id):
    case = _case(request, case_id)
    form = ThresholdForm(request.POST or None, partnership=case.partnership)
    if saved := handle_form(request, form,
                            save=lambda data: referral_record_threshold(case=case, actor=request.user, **data),
                            success="Threshold decision recorded.", next_url=case):
        return saved
    return _page(request, case, form, "Record the threshold discussion",
                 intro="Record the three-way discussion between the local authority, health and police. The local "
                       "authority's participant makes the decision.")


@role_required(*RUNS)
@require_http_methods(["GET", "POST"])
def sin_record(request, case_id):
    case = _case(request, case_id)
    due = sin_due_on(case)
    decision = one_to_one(case, "threshold_decision")
    notify_only = decision is not None and decision.outcome == ThresholdOutcome.NOTIFY_ONLY
    if one_to_one(case, "sin") is not None:
        messages.info(request, "The notification has already been recorded.")
        return redirect(case)
    form = SinForm(request.POST or None, case=case, due_on=due, tells_ofsted=sin_tells_ofsted(case),
                   notify_only=notify_only)
    if saved := handle_form(request, form,
                            save=lambda data: case_record_sin(case=case, actor=request.user, **data),
                            success="Notification to the Secretary of State and Ofsted recorded. No rapid review "
                                    "follows." if notify_only else
                                    "Serious Incident Notification recorded. The rapid review clocks have started.",
                            next_url=case):
        return saved
    if notify_only:
        return _page(request, case, form, "Record the notification to the Secretary of State and Ofsted",
                     intro=f"{case.get_route_display()}: notified through the DfE notification service, due by "
                           f"{due:%-d %B %Y}. No rapid review follows.")
    return _page(request, case, form, "Record the Serious Incident Notification",
                 intro=f"Notification to the National Panel is due by {due:%-d %B %Y}.")


@role_required(Role.BUSINESS_UNIT)
@require_GET
def sin_sheet_view(request, case_id):
    """Every answer of the national notification form, in its order, ready to copy; and what the case lacks."""
    case = get_led_case(request.user, case_id)
    if not sin_is_due(case):
        messages.error(request, "The notification is prepared once the threshold discussion finds the threshold met.")
        return redirect(case)
    access_log(request, action=AccessAction.VIEW, obj=case, case_id=case.pk)
    parts = sin_sheet(case, request.user)
    return render(request, "referrals/sin_sheet.html", {
        "case": case, "parts": parts, "missing": missing_answers(parts)})


@role_required(*RUNS)
@require_http_methods(["GET", "POST"])
def letter_edit(request, case_id):
    """Write the next steps, preview the letter, then save it as a PDF on the case."""
    case = _case(request, case_id)
    letter = one_to_one(case, "letter")
    form = LetterForm(request.POST or None, initial={"next_steps": letter.next_steps if letter else
                                                     letter_default_next_steps(case)})
    preview = None
    if request.method == "POST" and request.POST.get("action") == "preview":
        if form.is_valid():
            preview = render_letter_html(case=case, next_steps=form.cleaned_data["next_steps"])
    elif saved := handle_form(request, form,
                              save=lambda data: letter_save(case=case, actor=request.user,
                                                            next_steps=data["next_steps"]),
                              success="Letter saved. Check the PDF, then send it.",
                              next_url=reverse("referrals:letter_send", args=[case.pk])):
        return saved
    return _page(request, case, form, "Letter to the referrer", template="referrals/letter_edit.html",
                 preview=preview)


@role_required(*RUNS)
@require_GET
def letter_pdf(request, case_id):
    """The stored letter as a PDF, for the leading partnership's business unit and chair."""
    case = get_led_case(request.user, case_id)
    letter = one_to_one(case, "letter")
    if letter is None:
        raise Http404
    access_log(request, action=AccessAction.PDF, obj=letter, case_id=case.pk)
    return pdf_response(bytes(letter.pdf), filename=letter.filename)


@role_required(*RUNS)
@require_http_methods(["GET", "POST"])
def letter_send_view(request, case_id):
    """E-mail the letter to a professional referrer's work address, or record that it was posted or sent."""
    case = _case(request, case_id)
    letter = one_to_one(case, "letter")
    if letter is None:
        return redirect("referrals:letter_edit", case_id=case.pk)
    can_email = letter_can_be_emailed(case)
    manual = LetterManualSendForm(request.POST if request.POST.get("action") == "manual" else None)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "email":
                services.letter_send(case=case, actor=request.user, sent_by=LetterSentBy.EMAIL)
            elif manual.is_valid():
                services.letter_send(case=case, actor=request.user, **manual.cleaned_data)
            else:
                raise DomainError("")
        except DomainError as exc:
            error = str(exc) or None
            if error:
                manual.add_error(None, error)
        else:
            messages.success(request, "The letter has been sent.")
            return redirect(case)
    return render(request, "referrals/letter_send.html", {
        "case": case, "letter": letter, "can_email": can_email, "form": manual, "error": error,
        "referral": case.referral, "back_url": case.get_absolute_url()})


@role_required(*RUNS)
@require_http_methods(["GET", "POST"])
def assurance_new(request, case_id):
    case = _case(request, case_id)
    form = AssuranceRequestForm(request.POST or None, partnership=case.partnership)
    if saved := handle_form(request, form,
                            save=lambda data: assurance_request_create(case=case, actor=request.user, **data),
                            success="Assurance requested. The agency's safeguarding leads have been told.",
                            next_url=case):
        return saved
    return _page(request, case, form, "Ask an agency for assurance")


@role_required(*RUNS)
@require_http_methods(["GET", "POST"])
def assurance_answer(request, case_id, request_id):
    case = _case(request, case_id)
    item = get_object_or_404(case.assurance_requests.select_related("agency"), pk=request_id)
    form = AssuranceAnswerForm(request.POST or None)
    if saved := handle_form(request, form,
                            save=lambda data: assurance_request_answer(item=item, actor=request.user, **data),
                            success="Response recorded.", next_url=case):
        return saved
    return _page(request, case, form, f"Response from {item.agency}", intro=item.request)


@role_required(*RUNS)
@require_http_methods(["GET", "POST"])
def case_close(request, case_id):
    case = _case(request, case_id)
    form = CloseForm(request.POST or None, partnership=case.partnership)
    if saved := handle_form(request, form,
                            save=lambda data: case_close_without_review(case=case, actor=request.user,
                                                                 themes=data.get("themes") or (), note=data["note"]),
                            success="Case closed.", next_url=case):
        return saved
    return _page(request, case, form, "Record themes and close the case",
                 intro="Choose the themes this case raised for the log of cases considered at Serious Incident "
                       "Notification stage. Closing stops every deadline still running on the case.",
                 submit_label="Close the case")
