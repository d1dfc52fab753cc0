"""A case's panel before it meets: its page, who is invited, the date and place, the invitations and the agenda."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.accounts.decorators import role_required
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_action, handle_form
from referrals.selectors import get_visible_case
from themes.selectors import recurrence

from .. import selectors, services
from ..forms import AgendaForm, CancelForm, ScheduleForm, SetUpForm
from .common import BU, PANEL_ROLES, case_and_panel


def _panel_url(case) -> str:
    return reverse("panels:panel", args=[case.pk])


@role_required(*PANEL_ROLES)
@require_GET
def panel_detail(request, case_id):
    case = get_visible_case(request.user, case_id)
    panel = selectors.panel_with_invitations(case)
    if not selectors.can_see_panel_page(request.user, panel, case):
        raise Http404
    access_log(request, action=AccessAction.VIEW, obj=panel or case, case_id=case.pk)
    is_bu = selectors.runs_panel(request.user, case)
    invitations = list(selectors.invitations_for(panel)) if panel else []
    return render(request, "panels/panel.html", {
        "case": case, "panel": panel, "invitations": invitations, "is_bu": is_bu,
        "quorum": selectors.quorum_status(panel) if panel else None,
        "deadline": selectors.meeting_deadline(case),
        "conflicts": list(selectors.conflicts_for_case(case)) if is_bu else [],
        **selectors.cluster_alert(request.user, case),
        "education_missing": is_bu and selectors.education_missing(case),
        "papers_url": services.papers_url(case),
        "actions": selectors.panel_actions(request.user, case, panel),
        "my_invitation": next((i for i in invitations if i.user_id == request.user.pk), None),
        "attendance_recorded": any(i.attendance for i in invitations),
        "today": timezone.localdate(),
        "recurrence": recurrence(case=case, user=request.user),
    })


@role_required(BU)
@require_http_methods(["GET", "POST"])
def panel_set_up(request, case_id):
    case, panel = case_and_panel(request, case_id, need_panel=False)
    choices = services.invitee_choices(case)
    if panel is not None:
        initial = [str(uid) for uid in panel.invitations.filter(core=False).values_list("user_id", flat=True)]
    else:
        initial = [str(row["user"].pk) for row in choices if row["involved"]]
    form = SetUpForm(request.POST or None, choices=choices, initial={"invitees": initial})
    if saved := handle_form(request, form,
                            save=lambda data: services.panel_set_up(case=case, invitee_ids=data["invitees"],
                                                                    actor=request.user),
                            success="Panel invitees saved.", next_url=_panel_url(case)):
        return saved
    return render(request, "panels/set_up.html", {
        "form": form, "case": case, "core": list(selectors.core_assignments(partnership=case.partnership)),
        "involved": list(case.involved_agencies.all()),
        "title": "Set up the panel", "caption": f"Case {case.reference}", "submit_label": "Save invitees",
        "back_url": _panel_url(case)})


@role_required(BU)
@require_http_methods(["GET", "POST"])
def panel_schedule(request, case_id):
    case, panel = case_and_panel(request, case_id)
    deadline = selectors.meeting_deadline(case)
    initial = {}
    if panel.meeting_at:
        local = timezone.localtime(panel.meeting_at)
        initial = {"meeting_date": local.date(), "start_time": local.strftime("%H:%M"),
                   "duration_minutes": panel.duration_minutes, "venue": panel.venue,
                   "online_link": panel.online_link, "override_reason": panel.deadline_override_reason}
    form = ScheduleForm(request.POST or None, initial=initial, deadline=deadline)
    if saved := handle_form(
            request, form,
            save=lambda data: services.panel_schedule(
                panel=panel, meeting_at=form.meeting_at(), actor=request.user,
                duration_minutes=data["duration_minutes"], venue=data["venue"], online_link=data["online_link"],
                override_reason=data["override_reason"]),
            success="Meeting date saved." + (
                " Updated invitations were sent to everyone invited." if panel.invitations_sent_at else ""),
            next_url=_panel_url(case)):
        return saved
    return render(request, "panels/schedule.html", {
        "form": form, "case": case, "panel": panel, "deadline": deadline,
        "title": "Reschedule the meeting" if panel.meeting_at else "Schedule the meeting",
        "caption": f"Case {case.reference}", "submit_label": "Save date and time",
        "back_url": _panel_url(case)})


@role_required(BU)
@require_http_methods(["GET", "POST"])
def panel_cancel(request, case_id):
    case, panel = case_and_panel(request, case_id)
    form = CancelForm(request.POST or None)
    if saved := handle_form(request, form,
                            save=lambda data: services.panel_cancel(panel=panel, actor=request.user,
                                                                    reason=data["reason"]),
                            success="Meeting cancelled. Everyone invited was sent a cancellation.",
                            next_url=_panel_url(case)):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": "Cancel the meeting", "caption": f"Case {case.reference}",
        "intro": "Everyone who was sent an invitation gets a cancellation that removes it from their calendar.",
        "back_url": _panel_url(case), "submit_label": "Cancel the meeting"})


@role_required(BU)
@require_POST
def panel_send_invitations(request, case_id):
    return _send_to_panel(request, case_id, services.panel_send_invitations, what="Invitations",
                          none_left="Everyone invited already has the latest invitation.")


def _send_to_panel(request, case_id, send, *, what: str, none_left: str):
    """Run a service that e-mails the panel and returns how many were sent; say so, or say why it could not."""
    case, panel = case_and_panel(request, case_id)
    return handle_action(request, lambda: send(panel=panel, actor=request.user),
                         success=lambda sent: f"{what} sent to {sent} people." if sent else none_left,
                         next_url=_panel_url(case), refused_url=_panel_url(case))


@role_required(BU)
@require_http_methods(["GET", "POST"])
def panel_agenda(request, case_id):
    case, panel = case_and_panel(request, case_id)
    form = AgendaForm(request.POST or None, initial={"agenda": panel.agenda or default_agenda(case)})
    if saved := handle_form(request, form,
                            save=lambda data: services.panel_agenda_save(panel=panel, agenda=data["agenda"],
                                                                         actor=request.user),
                            success="Agenda saved. Send it to the panel when it is ready.",
                            next_url=_panel_url(case)):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": "Agenda", "caption": f"Case {case.reference}",
        "back_url": _panel_url(case), "submit_label": "Save agenda"})


def default_agenda(case) -> str:
    return "\n".join([
        "1. Welcome, introductions and declarations of conflicts of interest",
        f"2. Overview of case {case.reference} by the chair",
        "3. Agency check forms: each agency presents",
        "4. Key themes and areas for learning",
        "5. Immediate learning and actions",
        "6. Has the threshold for a Child Safeguarding Practice Review been met? Vote on the recommendation",
        "7. Any other business",
    ])


@role_required(BU)
@require_POST
def panel_agenda_send(request, case_id):
    return _send_to_panel(request, case_id, services.panel_agenda_send, what="Agenda",
                          none_left="Everyone invited already has this version of the agenda.")
