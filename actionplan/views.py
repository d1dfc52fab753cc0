"""Action plan pages: the list with filters, one action, progress, evidence, export, import and meetings."""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Agency, Role
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.db import DomainError

from . import exports, importer, selectors, services
from .forms import ActionFilter, ActionForm, EvidenceForm, ImportForm, MeetingForm, ProgressForm, SendBackForm
from .models import ActionUpdate, WorkingGroupMeeting

VIEWERS = (Role.WORKING_GROUP, Role.BUSINESS_UNIT, Role.AGENCY_LEAD)
# Overdue actions escalate to the rapid review chair and the chair of the Executive, so they may read them too;
# which actions anyone sees is decided by selectors.actions_visible_to.
READERS = (*VIEWERS, Role.RR_CHAIR, Role.EXECUTIVE)
MANAGERS = (Role.WORKING_GROUP, Role.BUSINESS_UNIT)
PAGE_SIZE = 25


def _filtered(request):
    queryset = selectors.action_list(request.user).prefetch_related(
        Prefetch("updates", queryset=ActionUpdate.objects.order_by("-at", "-id"), to_attr="recent_updates"))
    filterset = ActionFilter(request.GET or None, queryset=queryset)
    if not request.user.has_role(*MANAGERS):
        filterset.form.fields["agency"].queryset = Agency.objects.filter(pk=request.user.agency_id)
    return filterset


@require_GET
@role_required(*READERS)
def action_list(request):
    filterset = _filtered(request)
    actions = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "actionplan/list.html", {
        "filter": filterset, "page": page, "query": query.urlencode(),
        "may_manage": services.may_manage(request.user), "is_working_group": services.is_working_group(request.user),
        "today": timezone.localdate(),
    })


@require_GET
@role_required(*READERS)
def action_export(request, fmt: str):
    filterset = _filtered(request)
    actions = list(filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset)
    for action in actions:
        action.latest_update = action.recent_updates[0] if action.recent_updates else None
    access_log(request, action=AccessAction.EXPORT)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(exports.actions_csv(actions), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="action-plan-{stamp}.csv"'
        return response
    response = HttpResponse(exports.actions_xlsx(actions), content_type=exports_xlsx_type())
    response["Content-Disposition"] = f'attachment; filename="action-plan-{stamp}.xlsx"'
    return response


def exports_xlsx_type() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@role_required(*READERS)
def action_detail(request, action_id):
    action = selectors.get_visible_action(request.user, action_id)
    access_log(request, obj=action, case_id=action.case_id)
    return render(request, "actionplan/detail.html", {
        "action": action,
        "updates": action.updates.select_related("author"),
        "evidence": action.evidence.select_related("added_by"),
        "may_update": services.may_update(request.user, action),
        "may_manage": services.may_manage(request.user),
        "is_working_group": services.is_working_group(request.user),
        "statuses": services.allowed_statuses(request.user, action),
    })


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def action_create(request):
    form = ActionForm(request.POST or None, initial={"case": request.GET.get("case", "")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            action = services.action_create(case=d["case"], source=d["source"], learning=d["learning"],
                                            description=d["description"], agency=d["agency"], owner=d["owner"],
                                            due_on=d["due_on"], actor=request.user)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Action added to the plan.")
            return redirect(action)
    return render(request, "form_page.html", {"form": form, "title": "Add an action", "caption": "Action plan",
                                              "back_url": reverse("actionplan:list")})


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def action_edit(request, action_id):
    action = selectors.get_visible_action(request.user, action_id)
    form = ActionForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.action_edit(action=action, source=d["source"], learning=d["learning"],
                                 description=d["description"], agency=d["agency"], owner=d["owner"],
                                 due_on=d["due_on"], actor=request.user)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Action changed.")
            return redirect(action)
    return render(request, "form_page.html", {"form": form, "title": "Change the action",
                                              "caption": action.case.reference, "back_url": action.get_absolute_url()})


@require_http_methods(["GET", "POST"])
@role_required(*VIEWERS)
def action_progress(request, action_id):
    action = selectors.get_visible_action(request.user, action_id)
    if not services.may_update(request.user, action):
        raise PermissionDenied
    form = ProgressForm(request.POST or None, statuses=services.allowed_statuses(request.user, action),
                        current=action.status)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_set_status(action=action, status=form.cleaned_data["status"],
                                       note=form.cleaned_data["note"], actor=request.user)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Update saved.")
            return redirect(action)
    intro = None
    if not services.is_working_group(request.user):
        intro = ("If you mark the action completed, the Rapid Review Working Group will confirm it. "
                 "Add evidence so that they can.")
    return render(request, "form_page.html", {"form": form, "title": "Record progress", "intro": intro,
                                              "caption": f"{action.case.reference} – {action.agency}",
                                              "back_url": action.get_absolute_url()})


@require_POST
@role_required(Role.WORKING_GROUP)
def action_confirm(request, action_id):
    action = selectors.get_visible_action(request.user, action_id)
    try:
        services.action_confirm_completion(action=action, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Completion confirmed.")
    return redirect(action)


@require_http_methods(["GET", "POST"])
@role_required(Role.WORKING_GROUP)
def action_send_back(request, action_id):
    action = selectors.get_visible_action(request.user, action_id)
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_reject_completion(action=action, actor=request.user, note=form.cleaned_data["note"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The action is back in progress.")
            return redirect(action)
    return render(request, "form_page.html", {"form": form, "title": "Send the action back",
                                              "caption": action.case.reference, "back_url": action.get_absolute_url()})


@require_http_methods(["GET", "POST"])
@role_required(*VIEWERS)
def evidence_add(request, action_id):
    action = selectors.get_visible_action(request.user, action_id)
    if not services.may_update(request.user, action):
        raise PermissionDenied
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add_evidence(action=action, actor=request.user, text=form.cleaned_data["text"],
                                         upload=form.cleaned_data["file"] or None)
        except DomainError as exc:
            form.add_error("file" if form.cleaned_data.get("file") else None, str(exc))
        else:
            messages.success(request, "Evidence added.")
            return redirect(action)
    return render(request, "form_page.html", {"form": form, "title": "Add evidence",
                                              "caption": f"{action.case.reference} – {action.agency}",
                                              "back_url": action.get_absolute_url()})


@require_GET
@role_required(*VIEWERS)
def evidence_download(request, action_id, evidence_id):
    action = selectors.get_visible_action(request.user, action_id)
    evidence = get_object_or_404(action.evidence.exclude(file=""), pk=evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    access_log(request, action=AccessAction.VIEW, obj=evidence, case_id=action.case_id)
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name or "evidence",
                            content_type=evidence.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Import: upload → preview (every row checked, nothing saved) → confirm (all rows or none).
IMPORT_SESSION_KEY = "actionplan-import"


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "action-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@require_GET
@role_required(Role.WORKING_GROUP)
def import_template(request):
    response = HttpResponse(exports.import_template_xlsx(), content_type=exports_xlsx_type())
    response["Content-Disposition"] = 'attachment; filename="action-plan-import-template.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@role_required(Role.WORKING_GROUP)
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx") or upload.size > services.MAX_EVIDENCE_BYTES:
            form.add_error("file", "The file must be an Excel spreadsheet (.xlsx) smaller than 10 MB.")
        else:
            token = uuid.uuid4().hex
            path = _import_dir() / f"{token}.xlsx"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            request.session[IMPORT_SESSION_KEY] = token
            return redirect("actionplan:import_preview")
    return render(request, "actionplan/import.html", {"form": form})


def _import_path(request) -> Path | None:
    token = request.session.get(IMPORT_SESSION_KEY)
    if not token or not token.isalnum():
        return None
    path = _import_dir() / f"{token}.xlsx"
    return path if path.exists() else None


@require_http_methods(["GET", "POST"])
@role_required(Role.WORKING_GROUP)
def import_preview(request):
    path = _import_path(request)
    if path is None:
        messages.error(request, "Upload the spreadsheet again: the previous upload has expired.")
        return redirect("actionplan:import")
    with path.open("rb") as handle:
        result = importer.parse_workbook(handle)
    error = None
    if request.method == "POST":
        try:
            count = importer.import_save(result=result, actor=request.user)
        except DomainError as exc:
            error = str(exc)
        else:
            path.unlink(missing_ok=True)
            request.session.pop(IMPORT_SESSION_KEY, None)
            messages.success(request, f"{count} action{'s' if count != 1 else ''} imported.")
            return redirect("actionplan:list")
    return render(request, "actionplan/import_preview.html", {"result": result, "error": error})


@require_GET
@role_required(Role.WORKING_GROUP, Role.BUSINESS_UNIT)
def meeting_list(request):
    meetings = list(selectors.meetings()[:50])
    last = meetings[0] if meetings else None
    since = last.held_on if last else timezone.localdate() - datetime.timedelta(days=30)
    return render(request, "actionplan/meetings.html", {
        "meetings": meetings, "last": last, "since": since, "changes": selectors.changes_since(since=since),
        "is_working_group": services.is_working_group(request.user),
        "overdue": selectors.overdue_actions(request.user).order_by("due_on")[:50],
        "awaiting": selectors.actions_visible_to(request.user).filter(
            status="completed", completion_confirmed_at__isnull=True).select_related("case", "agency"),
    })


@require_GET
@role_required(Role.WORKING_GROUP, Role.BUSINESS_UNIT)
def meeting_detail(request, meeting_id):
    meeting = get_object_or_404(WorkingGroupMeeting, pk=meeting_id)
    previous = WorkingGroupMeeting.objects.filter(held_on__lt=meeting.held_on).order_by("-held_on").first()
    since = previous.held_on if previous else meeting.held_on - datetime.timedelta(days=30)
    return render(request, "actionplan/meeting.html", {
        "meeting": meeting, "previous": previous, "since": since,
        "changes": selectors.changes_since(since=since, until=meeting.held_on)})


@require_http_methods(["GET", "POST"])
@role_required(Role.WORKING_GROUP)
def meeting_create(request):
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(held_on=form.cleaned_data["held_on"], notes=form.cleaned_data["notes"],
                                              actor=request.user)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Meeting recorded. Changes from now on count towards the next meeting.")
            return redirect(meeting)
    return render(request, "form_page.html", {"form": form, "title": "Record a working group meeting",
                                              "caption": "Action plan", "back_url": reverse("actionplan:meetings")})
