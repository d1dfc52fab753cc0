"""An invitee's own invitation: reply to it in the service, and add the meeting to a calendar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_form
from rapidreview.templatetags.govuk import govuk_time
from referrals.selectors import get_led_case, get_visible_case

from .. import selectors, services
from ..forms import InvitationReplyForm
from ..ics import panel_ics
from ..models import PanelState
from ..services.common import LONDON, long_date


def _mine(request, case_id, *, change: bool = False):
    """The user's own invitation (404 for anyone not invited), and a redirect to the panel page when the meeting is
    no longer ahead (an old e-mail's link). A reply (``change``) is made in the partnership leading the case."""
    case = get_led_case(request.user, case_id) if change else get_visible_case(request.user, case_id)
    invitation = selectors.my_invitation(request.user, case)
    if invitation is None:
        raise Http404
    if invitation.panel.state != PanelState.SCHEDULED:
        messages.info(request, "This meeting is no longer ahead, so there is nothing to reply to or add.")
        return invitation, redirect(invitation.panel)
    return invitation, None


@login_required
@require_http_methods(["GET", "POST"])
def invitation_reply(request, case_id):
    invitation, gone = _mine(request, case_id, change=True)
    if gone:
        return gone
    panel = invitation.panel
    local = panel.meeting_at.astimezone(LONDON)
    form = InvitationReplyForm(request.POST or None,
                               initial={"response": invitation.response, "note": invitation.response_note})
    if saved := handle_form(request, form,
                            save=lambda data: services.invitation_reply(invitation=invitation, actor=request.user,
                                                                        **data),
                            success="Thank you. The business unit can see your reply.", next_url=panel):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": "Will you attend the panel?", "caption": f"Case {panel.case.reference}",
        "back_url": panel.get_absolute_url(),
        "intro": f"The panel meets on {long_date(local.date())} at {govuk_time(local)}."})


@login_required
@require_GET
def invitation_calendar(request, case_id):
    """The meeting as a calendar file to add by hand (METHOD:PUBLISH), for anyone invited."""
    invitation, gone = _mine(request, case_id)
    if gone:
        return gone
    panel = invitation.panel
    access_log(request, action=AccessAction.EXPORT, obj=panel, case_id=panel.case_id)
    response = HttpResponse(panel_ics(panel, attendees=[invitation.user], method="PUBLISH"),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapid-review-panel-{panel.case.reference}.ics"'
    return response
