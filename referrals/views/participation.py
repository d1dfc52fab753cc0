"""Joint cross-border reviews: the leading partnership's business unit invites another partnership to take part in
a case, and ends its part. Both pages are the leading partnership's (``get_led_case``)."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_form

from ..forms import EndParticipationForm, InvitePartnershipForm
from ..selectors import get_led_case, get_participation, partnerships_to_invite
from ..services import case_end_participation, case_invite_partnership


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
