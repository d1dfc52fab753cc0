"""The action plan as CSV and XLSX, and the import template, with one column layout (docs/action-plan-import.md)."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from .models import ActionSource, ActionStatus

# The columns the import reads, in order. Exports add read-only columns after them.
IMPORT_COLUMNS = ["Case reference", "Source", "Learning", "Action", "Agency", "Owner e-mail", "Due date", "Status"]
EXPORT_COLUMNS = IMPORT_COLUMNS + ["Overdue", "Completed on", "Completion confirmed", "Embedded on",
                                   "Latest update", "Latest update on"]


def _row(action) -> list:
    latest = action.latest_update if hasattr(action, "latest_update") else None
    return [
        action.case.reference,
        action.get_source_display(),
        action.learning,
        action.description,
        action.agency.name,
        action.owner.email if action.owner else "",
        action.due_on,
        action.get_status_display(),
        "Yes" if action.is_overdue else "No",
        action.completed_on or "",
        "Yes" if action.completion_confirmed_at else ("Awaiting" if action.awaiting_confirmation else ""),
        action.embedded_on or "",
        latest.note if latest else "",
        latest.at.date() if latest else "",
    ]


def actions_csv(actions) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for action in actions:
        writer.writerow([v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else _safe(v) for v in _row(action)])
    return out.getvalue()


def _safe(value):
    # Spreadsheet formula injection: a cell typed as =, +, - or @ would run as a formula when opened.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def actions_xlsx(actions) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Action plan"
    ws.append(EXPORT_COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for action in actions:
        ws.append([_safe(v) for v in _row(action)])
    for row in ws.iter_rows(min_row=2, min_col=7, max_col=7):
        for cell in row:
            cell.number_format = "DD/MM/YYYY"
    _widths(ws)
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _widths(ws):
    widths = {"A": 16, "B": 22, "C": 50, "D": 50, "E": 36, "F": 30, "G": 12, "H": 14}
    for column, width in widths.items():
        ws.column_dimensions[column].width = width


def import_template_xlsx() -> bytes:
    """An empty sheet with the import columns, a worked example row and drop-downs for source and status."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Actions"
    ws.append(IMPORT_COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    sources = ",".join(label for label in ActionSource.labels)
    statuses = ",".join(label for label in ActionStatus.labels)
    for column, values in (("B", sources), ("H", statuses)):
        validation = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
        ws.add_data_validation(validation)
        validation.add(f"{column}2:{column}1000")
    _widths(ws)
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("How to fill this in")
    notes.append(["Column", "What to enter"])
    for row in [
        ("Case reference", "The case's reference exactly as it appears in Rapid Review, e.g. RR-2025-001."),
        ("Source", "Rapid review, Child safeguarding practice review, or Serious Incident Notification learning "
                   "(rapid review, CSPR and SIN are accepted too)."),
        ("Learning", "The learning the action addresses."),
        ("Action", "What the agency will do."),
        ("Agency", "The owning agency's name exactly as in Rapid Review."),
        ("Owner e-mail", "Optional. The e-mail address of the person responsible; they must have an account."),
        ("Due date", "A date cell, or text as DD/MM/YYYY."),
        ("Status", "Optional. Not started (the default), In progress, Completed or Embedded."),
    ]:
        notes.append(list(row))
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
