"""Pages: the business unit's exports (ask, confirm, withdraw, download) and the installation administrator's
import (upload, check, confirm). Every step is written to the access log."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.accounts.decorators import installation_admin_required, recent_auth_required, role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_action, handle_form

from .forms import ExportRequestForm, ImportConfirmForm, ImportUploadForm
from .models import ImportStatus
from .preview import import_preview, named_counts
from .selectors import (
    can_download,
    export_actions,
    exports_for,
    get_export,
    get_import,
    imports_for,
    open_export,
)
from .services import export_confirm, export_request, export_withdraw, import_cancel, import_check, import_run

EXPORT_ROLES = (Role.BUSINESS_UNIT,)


def _logged(request, action, obj):
    access_log(request, action=action, obj=obj)
    return obj


@role_required(*EXPORT_ROLES)
@require_GET
def exports(request):
    """The partnership's exports, newest first, and the way to ask for one."""
    return render(request, "partnership_export/exports.html", {
        "exports": exports_for(request.user), "open": open_export(request.user),
    })


@role_required(*EXPORT_ROLES)
@require_http_methods(["GET", "POST"])
def export_request_view(request):
    """First of two steps: ask to export everything the partnership holds."""
    form = ExportRequestForm(request.POST or None)
    if saved := handle_form(
            request, form,
            save=lambda data: _logged(request, AccessAction.CHANGE, export_request(
                partnership=request.partnership, actor=request.user, reason=data["reason"])),
            success="Export requested. Another member of the business unit must confirm it.",
            next_url=lambda export: reverse("partnership_export:export", args=[export.pk])):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": "Export the partnership's data", "caption": request.partnership.name,
        "intro": "The export holds every case the partnership leads with its forms, decisions and signatures, the "
                 "action plan, themes, learning, people and roles, the change history and the access log, and "
                 "the uploaded evidence. A different member of the business unit must confirm it before it is "
                 "prepared. It can then be downloaded for 7 days.",
        "back_url": reverse("partnership_export:exports"),
    })


@role_required(*EXPORT_ROLES)
@require_GET
def export_detail(request, export_id):
    export = get_export(request.user, export_id)
    access_log(request, action=AccessAction.VIEW, obj=export)
    return render(request, "partnership_export/export.html", {
        "export": export, "actions": export_actions(export, request.user),
        "counts": named_counts(export.counts),
    })


def _step(request, export_id, service, success):
    export = get_export(request.user, export_id)
    url = reverse("partnership_export:export", args=[export.pk])
    return handle_action(
        request, lambda: _logged(request, AccessAction.CHANGE, service(export=export, actor=request.user)),
        success=success, next_url=url, refused_url=url)


@role_required(*EXPORT_ROLES)
@recent_auth_required(minutes=15)
@require_POST
def export_confirm_view(request, export_id):
    """Second step, by a different member of the business unit: the archive is then prepared."""
    return _step(request, export_id, export_confirm,
                 "Export confirmed. The archive is prepared in the background: you will both be e-mailed when it "
                 "can be downloaded.")


@role_required(*EXPORT_ROLES)
@require_POST
def export_withdraw_view(request, export_id):
    return _step(request, export_id, export_withdraw, "Export request withdrawn. Nothing was exported.")


@role_required(*EXPORT_ROLES)
@recent_auth_required(minutes=15)
@require_GET
def export_download(request, export_id):
    """The archive, for the 7 days after it was prepared. Every download is logged."""
    export = get_export(request.user, export_id)
    if not can_download(export):
        raise Http404
    access_log(request, action=AccessAction.EXPORT, obj=export)
    filename = f"partnership-export-{export.partnership.slug}-{timezone.localtime(export.ready_at):%Y%m%d}.zip"
    return FileResponse(default_storage.open(export.archive.name, "rb"), as_attachment=True, filename=filename,
                        content_type="application/zip")


@installation_admin_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    """Upload an archive; it is checked before anything is shown or imported."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if saved := handle_form(
            request, form,
            save=lambda data: _logged(request, AccessAction.CHANGE, import_check(upload=data["archive"],
                                                                                 actor=request.user)),
            success="The archive's manifest, format and checksums are correct. Check what it holds, then import it.",
            next_url=lambda record: reverse("partnership_export:import", args=[record.pk])):
        return saved
    return render(request, "partnership_export/import_start.html", {
        "form": form, "imports": imports_for(request.user)[:20],
    })


@installation_admin_required
@recent_auth_required(minutes=15)
@require_http_methods(["GET", "POST"])
def import_confirm(request, import_id):
    """What the archive holds and what importing it will do; the new partnership's name and address."""
    record = get_import(request.user, import_id, waiting=True)
    preview = import_preview(record)
    source = record.manifest["partnership"]
    form = ImportConfirmForm(request.POST or None, initial={
        "name": source.get("name"), "short_name": source.get("short_name"),
        "slug": "" if preview.slug_taken else source.get("slug"),
    })
    if saved := handle_form(
            request, form,
            save=lambda data: _import(request, record, data),
            success=lambda partnership: f"{partnership.name} was imported.",
            next_url=reverse("partnership_export:import_done", args=[record.pk])):
        return saved
    access_log(request, action=AccessAction.VIEW, obj=record)
    return render(request, "partnership_export/import_confirm.html", {
        "record": record, "preview": preview, "form": form,
    })


def _import(request, record, data):
    partnership = import_run(record=record, actor=request.user, **data)
    access_log(request, action=AccessAction.CHANGE, obj=record)
    return partnership


@installation_admin_required
@require_POST
def import_cancel_view(request, import_id):
    record = get_import(request.user, import_id, waiting=True)
    return handle_action(request, lambda: _logged(request, AccessAction.CHANGE,
                                                  import_cancel(record=record, actor=request.user)),
                         success="Import cancelled. The uploaded archive was deleted.",
                         next_url="partnership_export:import_start", refused_url="partnership_export:import_start")


@installation_admin_required
@require_GET
def import_done(request, import_id):
    record = get_import(request.user, import_id)
    if record.status != ImportStatus.IMPORTED:
        raise Http404
    return render(request, "partnership_export/import_done.html", {
        "record": record, "rows": named_counts(record.summary.get("rows", {})),
        "left_out": named_counts(record.summary.get("left_out", {}), kinds=("owned",)),
    })
