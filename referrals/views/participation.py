"""Joint cross-border reviews: the leading partnership's business unit invites another partnership to take part in
a case, and ends its part. Both pages are the leading partnership's (``get_led_case``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_form

from ..forms import AnswerLeadForm, EndParticipationForm, InvitePartnershipForm, ProposeLeadForm
from ..selectors import (
    get_led_case,
    get_participation,
    get_visible_case,
    partnerships_to_invite,
    partnerships_to_lead,
    waiting_lead_handover,
)
from ..services import (
    HANDOVER_STAGES,
    case_answer_lead,
    case_end_participation,
    case_invite_partnership,
    case_propose_lead,
)


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def invite_partnership(request, case_id):
    """Choose another partnership and say why it should take part; its business unit is told by e-mail."""
    case = get_led_case(request.user, case_id)
    access_log(request, obj=case, case_id=case.pk)
    choices = partnerships_to_invite(case)
    form = InvitePartnershipForm(request.POST or None, partnerships=choices)
    if saved := handle_form(
            request, form, save=lambda data: case_invite_partnership(case=case, actor=request.user, **data),
            success=lambda p: f"{p.partnership.name} has been invited to take part. Its business unit has been told.",
            next_url=case):
        return saved
    return render(request, "referrals/participation_invite.html", {
        "form": form if choices.exists() else None, "case": case, "title": "Invite another partnership to take part",
        "caption": case.reference, "back_url": case.get_absolute_url(), "cancel_url": case.get_absolute_url()})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def end_participation(request, case_id, taking_part_id):
    """Confirm ending another partnership's part in the case (kept in the history)."""
    case = get_led_case(request.user, case_id)
    participation = get_participation(case, taking_part_id)
    access_log(request, obj=case, case_id=case.pk)
    form = EndParticipationForm(request.POST or None)
    if saved := handle_form(
            request, form, save=lambda data: case_end_participation(participation=participation, actor=request.user,
                                                                    **data),
            success=f"{participation.partnership.name} no longer takes part in this case.", next_url=case):
        return saved
    return render(request, "form_page.html", {
        "form": form, "case": case, "caption": case.reference, "title": f"End {participation.partnership.name}'s "
        "part in this case", "back_url": case.get_absolute_url(), "cancel_url": case.get_absolute_url(),
        "intro": f"Its business unit will no longer see the case, and will be told by e-mail. Its part so far stays "
                 f"in the case's history. It was invited because: {participation.reason}"})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def propose_lead(request, case_id):
    """Before the threshold discussion, ask the partnership where the incident happened to lead instead."""
    case = get_led_case(request.user, case_id)
    access_log(request, obj=case, case_id=case.pk)
    if case.stage not in HANDOVER_STAGES or waiting_lead_handover(case) is not None:
        messages.error(request, "The lead can be handed over only before the case is sent for the threshold "
                                "discussion, and only one partnership can be asked at a time.")
        return redirect(case)
    form = ProposeLeadForm(request.POST or None, partnerships=partnerships_to_lead(case))
    if saved := handle_form(
            request, form, save=lambda data: case_propose_lead(case=case, actor=request.user, **data),
            success=lambda h: f"{h.to_partnership.name} has been asked to lead. Its business unit has been told and "
                              "can read the case meanwhile.", next_url=case):
        return saved
    return render(request, "form_page.html", {
        "form": form, "case": case, "caption": case.reference, "title": "Ask another partnership to lead",
        "back_url": case.get_absolute_url(), "cancel_url": case.get_absolute_url(),
        "intro": "The rapid review is led by the partnership where the incident happened (the National Panel's "
                 "guidance). If it happened in another partnership's area, ask it to lead. Until it accepts, your "
                 "partnership leads; if it accepts, yours takes part."})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def answer_lead(request, case_id):
    """The business unit asked to lead accepts or declines."""
    case = get_visible_case(request.user, case_id)
    handover = waiting_lead_handover(case)
    if handover is None or handover.to_partnership_id != request.partnership.pk:
        raise PermissionDenied  # the case is theirs to read (they lead it or take part); nothing waits for them
    access_log(request, obj=case, case_id=case.pk)
    form = AnswerLeadForm(request.POST or None)
    if saved := handle_form(
            request, form, save=lambda data: case_answer_lead(case=case, actor=request.user, **data),
            success=lambda h: f"Your partnership now leads {case.reference}." if h.accepted else
            f"{h.from_partnership.name} has been told that your partnership will not lead {case.reference}.",
            next_url=case):
        return saved
    return render(request, "form_page.html", {
        "form": form, "case": case, "caption": case.reference,
        "title": f"{handover.from_partnership.name} asks your partnership to lead this case",
        "back_url": case.get_absolute_url(), "cancel_url": case.get_absolute_url(),
        "intro": f"Why: {handover.reason} If you accept, the case and its running deadlines move to your "
                 f"partnership and {handover.from_partnership.short_name} takes part in it."})
