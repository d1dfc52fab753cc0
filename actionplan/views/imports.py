"""Importing actions from a spreadsheet: upload → which column is which → check every row (nothing saved) → save
(all rows or none)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.db import DomainError
from rapidreview.exports import download
from rapidreview.formviews import handle_form

from .. import exports, importer, services
from ..forms import ImportForm, column_mapping_form
from .common import MANAGERS

IMPORT_SESSION_KEY = "actionplan-import"
MAPPING_SESSION_KEY = "actionplan-import-mapping"


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


def _forget(request, path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)
    request.session.pop(IMPORT_SESSION_KEY, None)
    request.session.pop(MAPPING_SESSION_KEY, None)


def _read(request):
    """The uploaded spreadsheet, read; a file that cannot be read is forgotten so the next upload starts clean."""
    path = _import_path(request)
    if path is None:
        messages.error(request, "Upload the spreadsheet again: the previous upload has expired.")
        return None, redirect("actionplan:import")
    try:
        with path.open("rb") as handle:
            return importer.read_workbook(handle), None
    except importer.ImportFileError as exc:
        _forget(request, path)
        messages.error(request, str(exc))
        return None, redirect("actionplan:import")


@require_GET
@role_required(*MANAGERS)
def import_template(request):
    return download(exports.import_template_xlsx(), "action-plan-import-template.xlsx")


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx") or upload.size > services.MAX_EVIDENCE_BYTES:
            form.add_error("file", "The file must be an Excel spreadsheet (.xlsx) smaller than 10 MB.")
        else:
            _forget(request, _import_path(request))
            token = uuid.uuid4().hex
            with (_import_dir() / f"{token}.xlsx").open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            request.session[IMPORT_SESSION_KEY] = token
            return redirect("actionplan:import_columns")
    return render(request, "actionplan/import.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def import_columns(request):
    workbook, refused = _read(request)
    if refused:
        return refused
    sheet = workbook.sheet
    first = sheet.rows[0][1] if sheet.rows else []
    samples = [importer.cell_text(v) for v in first]
    suggested = importer.suggest_mapping(sheet.headings, partnership=request.partnership)
    form_class = column_mapping_form(sheet.headings, samples)
    form = form_class(request.POST or None, initial={f"column_{i}": key for i, key in suggested.items()})

    def save(data):
        mapping = {int(name.removeprefix("column_")): key for name, key in data.items()}
        if problems := importer.mapping_problems(mapping):
            raise DomainError(" ".join(problems))
        importer.remember_mapping(headings=sheet.headings, mapping=mapping, actor=request.user,
                                  partnership=request.partnership)
        request.session[MAPPING_SESSION_KEY] = {str(i): key for i, key in mapping.items()}
        return mapping

    if saved := handle_form(request, form, save=save, success="Columns saved. They are remembered for next time.",
                            next_url="actionplan:import_preview"):
        return saved
    where = f"the sheet “{sheet.name}”, headings on row {sheet.header_row}"
    return render(request, "form_page.html", {
        "form": form, "title": "Which column is which?", "caption": "Import actions",
        "back_url": reverse("actionplan:import"),
        "intro": f"Read from {where}. Match each of your columns to what it holds; columns you do not need are "
                 "left out. Your choices are remembered for the next import."})


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def import_preview(request):
    workbook, refused = _read(request)
    if refused:
        return refused
    stored = request.session.get(MAPPING_SESSION_KEY)
    if not stored:
        return redirect("actionplan:import_columns")
    mapping = {int(i): key for i, key in stored.items()}
    result = importer.check_rows(workbook, mapping, actor=request.user, partnership=request.partnership)
    error = None
    if request.method == "POST":
        try:
            added, changed = importer.import_save(result=result, actor=request.user)
        except DomainError as exc:
            error = str(exc)
        else:
            _forget(request, _import_path(request))
            messages.success(request, f"{added} action{'s' if added != 1 else ''} added, {changed} changed.")
            return redirect("actionplan:list")
    return render(request, "actionplan/import_preview.html", {"result": result, "error": error})
