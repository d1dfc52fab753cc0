"""Importing actions from a spreadsheet: upload → preview (every row checked, nothing saved) → confirm (all rows
or none)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.db import DomainError

from .. import exports, importer, services
from ..forms import ImportForm
from .common import XLSX

IMPORT_SESSION_KEY = "actionplan-import"


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "action-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _import_path(request) -> Path | None:
    token = request.session.get(IMPORT_SESSION_KEY)
    if not token or not token.isalnum():
        return None
    path = _import_dir() / f"{token}.xlsx"
    return path if path.exists() else None


@require_GET
@role_required(Role.WORKING_GROUP)
def import_template(request):
    response = HttpResponse(exports.import_template_xlsx(), content_type=XLSX)
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
