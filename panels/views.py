"""Panel pages: the calendar, the membership register, a case's panel, attendance, conflicts and liaison."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role, User
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.db import DomainError
from referrals.models import Case, Stage
from referrals.selectors import get_visible_case
from themes.selectors import recurrence

from . import selectors, services
from .forms import (
    AgendaForm,
    AttendanceForm,
    CancelForm,
    ConflictForm,
    HandlingForm,
    HeldForm,
    LiaisonForm,
    MembershipForm,
    ScheduleForm,
    SetUpForm,
    SubstituteForm,
)
from .models import ConflictOfInterest, PanelState

BU = Role.BUSINESS_UNIT
PANEL_ROLES = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.PANEL_MEMBER)


def _form_error(form, message: str) -> None:
    form.add_error(None, message)


def _case_and_panel(request, case_id, *, need_panel=True):
    case = get_visible_case(request.user, case_id)
    panel = selectors.panel_for_case(case)
    if need_panel and panel is None:
        raise Http404
    return case, panel


# ---- calendar --------------------------------------------------------------------------------------------------------

@role_required(BU, Role.RR_CHAIR)
@require_GET
def calendar(request):
    today = timezone.localdate()
    return render(request, "panels/calendar.html", {
        "panels": selectors.upcoming_panels(today),
        "awaiting": selectors.awaiting_with_deadlines(),
        "recent": (selectors.Panel.objects.filter(state=PanelState.HELD).select_related("case")
                   .order_by("-meeting_at")[:10]),
        "clusters": selectors.active_clusters(),
        "today": today,
    })


# ---- membership register --------------------------------------------------------------------------------------------

@role_required(BU, Role.RR_CHAIR)
@require_GET
def members(request):
    include_past = request.GET.get("show") == "all"
    assignments = list(selectors.panel_members_register(include_past=include_past))
    today = timezone.localdate()
    return render(request, "panels/members.html", {
        "core": [a for a in assignments if a.core], "case_by_case": [a for a in assignments if not a.core],
        "include_past": include_past, "today": today, "can_edit": request.user.has_role(BU)})


def _membership_data(form) -> dict:
    return {k: form.cleaned_data.get(k) for k in services.MEMBERSHIP_FIELDS}


@role_required(BU)
@require_http_methods(["GET", "POST"])
def member_add(request):
    form = MembershipForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(user=form.cleaned_data["user"], actor=request.user, **_membership_data(form))
        except DomainError as exc:
            _form_error(form, str(exc))
        else:
            messages.success(request, f"{form.cleaned_data['user'].full_name} added to the panel register.")
            return redirect("panels:members")
    return render(request, "form_page.html", {"form": form, "title": "Add a panel member",
                                              "caption": "Panel membership register",
                                              "back_url": reverse("panels:members")})


@role_required(BU)
@require_http_methods(["GET", "POST"])
def member_edit(request, assignment_id):
    assignment = selectors.get_membership(assignment_id)
    initial = {k: getattr(assignment, k) for k in services.MEMBERSHIP_FIELDS}
    initial["core"] = "yes" if assignment.core else "no"
    initial["voting"] = "yes" if assignment.voting else "no"
    form = MembershipForm(request.POST or None, person=assignment.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(assignment=assignment, actor=request.user, **_membership_data(form))
        except DomainError as exc:
            _form_error(form, str(exc))
        else:
            messages.success(request, f"{assignment.user.full_name}'s membership saved.")
            return redirect("panels:members")
    return render(request, "panels/member_edit.html", {
        "form": form, "assignment": assignment, "title": "Change panel membership",
        "caption": assignment.user.full_name, "back_url": reverse("panels:members")})


@role_required(BU)
@require_POST
def member_end(request, assignment_id):
    assignment = selectors.get_membership(assignment_id)
    try:
        services.membership_end(assignment=assignment, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{assignment.user.full_name}'s panel membership ended today.")
    return redirect("panels:members")


# ---- a case's panel --------------------------------------------------------------------------------------------------

@role_required(*PANEL_ROLES)
@require_GET
def panel_detail(request, case_id):
    case = get_visible_case(request.user, case_id)
    panel = selectors.panel_with_invitations(case)
    if not selectors.can_see_panel_page(request.user, panel, case):
        raise Http404
    access_log(request, action=AccessAction.VIEW, obj=panel or case, case_id=case.pk)
    is_bu = request.user.has_role(BU)
    invitations = list(selectors.invitations_for(panel)) if panel else []
    return render(request, "panels/panel.html", {
        "case": case, "panel": panel, "invitations": invitations, "is_bu": is_bu,
        "quorum": selectors.quorum_status(panel) if panel else None,
        "deadline": selectors.meeting_deadline(case),
        "conflicts": list(selectors.conflicts_for_case(case)) if is_bu else [],
        "cluster": selectors.cluster_for(case) if case.stage == Stage.RAPID_REVIEW and request.user.has_role(
            BU, Role.RR_CHAIR) else [],
        "liaison": selectors.liaison_for(case),
        "papers_url": services.papers_url(case),
        "can_change": is_bu and case.stage == Stage.RAPID_REVIEW,
        "my_invitation": next((i for i in invitations if i.user_id == request.user.pk), None),
        "attendance_recorded": any(i.attendance for i in invitations),
        "today": timezone.localdate(),
        "recurrence": recurrence(case=case, user=request.user),
    })


@role_required(BU)
@require_http_methods(["GET", "POST"])
def panel_set_up(request, case_id):
    case, panel = _case_and_panel(request, case_id, need_panel=False)
    choices = services.invitee_choices(case)
    if panel is not None:
        initial = [str(uid) for uid in panel.invitations.filter(core=False).values_list("user_id", flat=True)]
    else:
        initial = [str(row["user"].pk) for row in choices if row["involved"]]
    form = SetUpForm(request.POST or None, choices=choices, initial={"invitees": initial})
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_set_up(case=case, invitee_ids=form.cleaned_data["invitees"], actor=request.user)
        except DomainError as exc:
            _form_error(form, str(exc))
        else:
            messages.success(request, "Panel invitees saved.")
            return redirect("panels:panel", case_id=case.pk)
    return render(request, "panels/set_up.html", {
        "form": form, "case": case, "core": list(selectors.core_assignments()),
        "involved": list(case.involved_agencies.all()),
        "title": "Set up the panel", "caption": f"Case {case.reference}", "submit_label": "Save invitees",
        "back_url": reverse("panels:panel", args=[case.pk])})


@role_required(BU)
@require_http_methods(["GET", "POST"])
def panel_schedule(request, case_id):
    case, panel = _case_and_panel(request, case_id)
    deadline = selectors.meeting_deadline(case)
    initial = {}
    if panel.meeting_at:
        local = timezone.localtime(panel.meeting_at)
        initial = {"meeting_date": local.date(), "start_time": local.strftime("%H:%M"),
                   "duration_minutes": panel.duration_minutes, "venue": panel.venue,
                   "online_link": panel.online_link, "override_reason": panel.deadline_override_reason}
    show_confirm = request.method == "POST" and request.POST.get("confirm_spacing_shown") == "1"
    form = ScheduleForm(request.POST or None, initial=initial, deadline=deadline, show_confirm=show_confirm)
    warning = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.panel_schedule(panel=panel, meeting_at=form.meeting_at(), actor=request.user,
                                    duration_minutes=data["duration_minutes"], venue=data["venue"],
                                    online_link=data["online_link"], override_reason=data["override_reason"],
                                    confirm_spacing=data.get("confirm_spacing", False))
        except services.SpacingWarning as exc:
            warning = str(exc)
            form = ScheduleForm(request.POST, initial=initial, deadline=deadline, show_confirm=True)
            form.is_valid()
        except DomainError as exc:
            _form_error(form, str(exc))
        else:
            messages.success(request, "Meeting date saved." + (
                " Updated invitations were sent to everyone invited." if panel.invitations_sent_at else ""))
            return redirect("panels:panel", case_id=case.pk)
    return render(request, "panels/schedule.html", {
        "form": form, "case": case, "panel": panel, "deadline": deadline, "warning": warning,
        "title": "Reschedule the meeting" if panel.meeting_at else "Schedule the meeting",
        "caption": f"Case {case.reference}", "submit_label": "Save date and time",
        "back_url": reverse("panels:panel", args=[case.pk]), "confirm_shown": bool(warning) or show_confirm})


@role_required(BU)
@require_http_methods(["GET", "POST"])
def panel_cancel(request, case_id):
    case, panel = _case_and_panel(request, case_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_cancel(panel=panel, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _form_error(form, str(exc))
        else:
            messages.success(request, "Meeting cancelled. Everyone invited was sent a cancellation.")
            return redirect("panels:panel", case_id=case.pk)
    return render(request, "form_page.html", {
        "form": form, "title": "Cancel the meeting", "caption": f"Case {case.reference}",
        "intro": "Everyone who was sent an invitation gets a cancellation that removes it from their calendar.",
        "back_url": reverse("panels:panel", args=[case.pk]), "submit_label": "Cancel the meeting"})


@role_required(BU)
@require_POST
def panel_send_invitations(request, case_id):
    return _send_to_panel(request, case_id, services.panel_send_invitations, what="Invitations",
                          none_left="Everyone invited already has the latest invitation.")


def _send_to_panel(request, case_id, send, *, what: str, none_left: str):
    """Run a service that e-mails the panel and returns how many were sent; say so, or say why it could not."""
    case, panel = _case_and_panel(request, case_id)
    try:
        sent = send(panel=panel, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{what} sent to {sent} people." if sent else none_left)
    return redirect("panels:panel", case_id=case.pk)


@role_required(BU)
@require_http_methods(["GET", "POST"])
def panel_agenda(request, case_id):
    case, panel = _case_and_panel(request, case_id)
    form = AgendaForm(request.POST or None, initial={"agenda": panel.agenda or default_agenda(case)})
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_agenda_save(panel=panel, agenda=form.cleaned_data["agenda"], actor=request.user)
        except DomainError as exc:
            _form_error(form, str(exc))
        else:
            messages.success(request, "Agenda saved. Send it to the panel when it is ready.")
            return redirect("panels:panel", case_id=case.pk)
    return render(request, "form_page.html", {
        "form": form, "title": "Agenda", "caption": f"Case {case.reference}",
        "back_url": reverse("panels:panel", args=[case.pk]), "submit_label": "Save agenda"})


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


@role_required(BU)
@require_http_methods(["GET", "POST"])
def panel_attendance(request, case_id):
    case, panel = _case_and_panel(request, case_id)
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
        "error": error, "title": "Record attendance", "back_url": reverse("panels:panel", args=[case.pk])})


@role_required(BU)
@require_http_methods(["GET", "POST"])
def panel_held(request, case_id):
    case, panel = _case_and_panel(request, case_id)
    form = HeldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_record_held(panel=panel, actor=request.user, notes=form.cleaned_data["notes"])
        except DomainError as exc:
            _form_error(form, str(exc))
        else:
            messages.success(request, "The meeting is recorded as held.")
            return redirect("panels:panel", case_id=case.pk)
    return render(request, "panels/held.html", {
        "form": form, "case": case, "panel": panel, "quorum": selectors.quorum_status(panel),
        "title": "Record the meeting as held", "caption": f"Case {case.reference}",
        "back_url": reverse("panels:panel", args=[case.pk]), "submit_label": "Record the meeting as held"})


# ---- conflicts of interest ------------------------------------------------------------------------------------------

@role_required(*PANEL_ROLES)
@require_http_methods(["GET", "POST"])
def conflict_declare(request, case_id=None):
    """A member declares their own conflict: from the panel page (case known) or by typing the reference."""
    case = get_visible_case(request.user, case_id) if case_id else None
    form = ConflictForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(case=form.case, user=request.user, nature=form.cleaned_data["nature"],
                                      implications=form.cleaned_data["implications"], actor=request.user)
        except DomainError as exc:
            _form_error(form, str(exc))
        else:
            messages.success(request, f"Your conflict of interest on case {form.case.reference} is recorded. "
                                      "The business unit will tell you how it is handled. You no longer have "
                                      "access to the case.")
            return redirect("home")
    return render(request, "panels/conflict_declare.html", {
        "form": form, "case": case, "title": "Declare a conflict of interest",
        "caption": f"Case {case.reference}" if case else "", "submit_label": "Declare the conflict",
        "back_url": reverse("panels:panel", args=[case.pk]) if case else "/"})


@role_required(BU)
@require_http_methods(["GET", "POST"])
def conflict_record(request, case_id):
    """The business unit records a conflict on a member's behalf."""
    case = get_visible_case(request.user, case_id)
    members = User.objects.filter(
        Q(pk__in=selectors.panel_members_register().values("user_id"))
        | Q(pk__in=selectors.PanelInvitation.objects.filter(panel__case=case).values("user_id"))
    ).exclude(pk__in=selectors.conflicted_user_ids(case)).select_related("agency")
    form = ConflictForm(request.POST or None, case=case, on_behalf=True, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(case=case, user=form.cleaned_data["member"], nature=form.cleaned_data["nature"],
                                      implications=form.cleaned_data["implications"], actor=request.user)
        except DomainError as exc:
            _form_error(form, str(exc))
        else:
            messages.success(request, "Conflict of interest recorded.")
            return redirect("panels:conflicts")
    return render(request, "form_page.html", {
        "form": form, "title": "Record a conflict of interest", "caption": f"Case {case.reference}",
        "back_url": reverse("panels:panel", args=[case.pk]), "submit_label": "Record the conflict"})


@role_required(BU)
@require_GET
def conflicts(request):
    rows = selectors.conflicts_list().filter(case__in=Case.objects.visible_to(request.user))
    return render(request, "panels/conflicts.html", {"conflicts": rows})


def _get_conflict(request, conflict_id) -> ConflictOfInterest:
    return get_object_or_404(selectors.conflicts_list().filter(case__in=Case.objects.visible_to(request.user)),
                             pk=conflict_id)


@role_required(BU)
@require_http_methods(["GET", "POST"])
def conflict_handle(request, conflict_id):
    conflict = _get_conflict(request, conflict_id)
    access_log(request, action=AccessAction.VIEW, obj=conflict, case_id=conflict.case_id)
    form = HandlingForm(request.POST or None, initial={"handling": conflict.handling})
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_record_handling(conflict=conflict, handling=form.cleaned_data["handling"],
                                              actor=request.user)
        except DomainError as exc:
            _form_error(form, str(exc))
        else:
            messages.success(request, "How the conflict is handled is recorded.")
            return redirect("panels:conflicts")
    return render(request, "panels/conflict_handle.html", {
        "form": form, "conflict": conflict, "title": "How the conflict is handled",
        "caption": f"Case {conflict.case.reference}", "back_url": reverse("panels:conflicts"), "submit_label": "Save"})


@role_required(BU)
@require_http_methods(["GET", "POST"])
def conflict_substitute(request, conflict_id):
    conflict = _get_conflict(request, conflict_id)
    people = (User.objects.filter(is_active=True).exclude(pk__in=selectors.conflicted_user_ids(conflict.case))
              .select_related("agency"))
    form = SubstituteForm(request.POST or None, people=people,
                          initial={"substitute": conflict.substitute_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_agree_substitute(conflict=conflict, substitute=form.cleaned_data["substitute"],
                                               actor=request.user)
        except DomainError as exc:
            _form_error(form, str(exc))
        else:
            messages.success(request, "Substitute recorded.")
            return redirect("panels:conflicts")
    return render(request, "form_page.html", {
        "form": form, "title": f"Substitute for {conflict.user.full_name}",
        "caption": f"Case {conflict.case.reference}", "back_url": reverse("panels:conflicts"),
        "intro": "A practice review needs a substitute agreed for each member with a conflict of interest.",
        "submit_label": "Record the substitute"})


# ---- clustered notifications ----------------------------------------------------------------------------------------

@role_required(BU)
@require_http_methods(["GET", "POST"])
def liaison_record(request):
    candidates = (Case.objects.filter(stage=Stage.RAPID_REVIEW, sin_notified_on__isnull=False)
                  .order_by("sin_notified_on"))
    preselect = request.GET.getlist("case")
    form = LiaisonForm(request.POST or None, cases=candidates, initial={"cases": preselect})
    if request.method == "POST" and form.is_valid():
        try:
            services.liaison_record(cases=form.cleaned_data["cases"], liaised_on=form.cleaned_data["liaised_on"],
                                    contact=form.cleaned_data["contact"],
                                    timelines_agreed=form.cleaned_data["timelines_agreed"], actor=request.user)
        except DomainError as exc:
            _form_error(form, str(exc))
        else:
            messages.success(request, "Liaison with the National Panel recorded.")
            return redirect("panels:calendar")
    return render(request, "form_page.html", {
        "form": form, "title": "Record liaison with the National Panel", "back_url": reverse("panels:calendar"),
        "intro": "When several serious incidents are notified close together, agree timelines with the National "
                 "Panel so that the quality of each review comes first.",
        "submit_label": "Record the liaison"})
