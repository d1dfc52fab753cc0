"""An assurance request's own page: the agency's safeguarding lead reads what is asked and answers it here,
without access to the case; the business unit reads it too and sees the answer on the case."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_form

from ..forms import AssuranceReplyForm
from ..selectors import assurance_requests_visible_to, may_answer_assurance, may_open_case
from ..services import assurance_request_answer


@role_required(Role.AGENCY_LEAD, Role.BUSINESS_UNIT, Role.RR_CHAIR)
@require_http_methods(["GET", "POST"])
def assurance_reply(request, request_id):
    item = get_object_or_404(assurance_requests_visible_to(request.user), pk=request_id)
    access_log(request, obj=item, case_id=item.case_id)
    may_answer = may_answer_assurance(request.user, item)
    form = AssuranceReplyForm(request.POST or None) if may_answer else None
    if request.method == "POST" and not may_answer:
        return render(request, "referrals/assurance_reply.html", {"item": item, "form": None, "refused": True},
                      status=403)
    if form is not None and (saved := handle_form(
            request, form, save=lambda data: assurance_request_answer(item=item, actor=request.user, **data),
            success="Your answer has been sent to the business unit. Thank you.", next_url=item)):
        return saved
    return render(request, "referrals/assurance_reply.html", {
        "item": item, "form": form,
        "case_url": item.case.get_absolute_url() if may_open_case(request.user, item.case_id) else ""})
