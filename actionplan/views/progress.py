"""Progress on an action: status updates, the working group confirming or sending back a completion, and
evidence."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.db import DomainError
from rapidreview.formviews import handle_action, handle_form

from .. import selectors, services
from ..forms import EvidenceForm, ProgressForm, SendBackForm
from .common import VIEWERS


@require_http_methods(["GET", "POST"])
@role_required(*VIEWERS)
def action_progress(request, action_id):
    action = selectors.get_visible_action(request.user, action_id)
    if not services.may_update(request.user, action):
        raise PermissionDenied
    form = ProgressForm(request.POST or None, statuses=services.allowed_statuses(request.user, action),
                        current=action.status)
    if saved := handle_form(request, form,
                            save=lambda data: services.action_set_status(action=action, status=data["status"],
                                                                         note=data["note"], actor=request.user),
                            success="Update saved.", next_url=action):
        return saved
    intro = None
    if not services.is_working_group(request.user):
        intro = ("If you mark the action completed, the Rapid Review Working Group will confirm it. "
                 "Add evidence so that they can.")
    return render(request, "form_page.html", {"form": form, "title": "Record progress", "intro": intro,
                                              "caption": f"{action.review_reference} – {action.agency}",
                                              "back_url": action.get_absolute_url()})


@require_POST
@role_required(Role.WORKING_GROUP)
def action_confirm(request, action_id):
    action = selectors.get_visible_action(request.user, action_id)
    return handle_action(request, lambda: services.action_confirm_completion(action=action, actor=request.user),
                         success="Completion confirmed.", next_url=action, refused_url=action)


@require_http_methods(["GET", "POST"])
@role_required(Role.WORKING_GROUP)
def action_send_back(request, action_id):
    action = selectors.get_visible_action(request.user, action_id)
    form = SendBackForm(request.POST or None)
    if saved := handle_form(request, form,
                            save=lambda data: services.action_reject_completion(action=action, actor=request.user,
                                                                                note=data["note"]),
                            success="The action is back in progress.", next_url=action):
        return saved
    return render(request, "form_page.html", {"form": form, "title": "Send the action back",
                                              "caption": action.review_reference,
                                              "back_url": action.get_absolute_url()})


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
                                              "caption": f"{action.review_reference} – {action.agency}",
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
