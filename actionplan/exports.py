"""The action plan as CSV and XLSX, and the import template, with one column layout (docs/action-plan-import.md).

The files are made by the one export helper (``rapidreview.exports``). An export can be edited and imported again:
its headings are the import's, and its "Action ID" column lets the import change the actions it came from.
"""

import io

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import StreamingHttpResponse

from rapidreview.exports import Column, add_sheet, csv_download, workbook, xlsx_bytes
from referrals.models import Case

from .models import Action, ActionSource, ActionStatus, ActionUpdate

# The columns the import reads, in order; the export adds read-only columns and the action's ID after them.
IMPORT_COLUMNS = [Column("Case reference", 22), Column("Source", 24), Column("Learning", 50, wrap=True),
                  Column("Action", 50, wrap=True), Column("Agency", 36), Column("Owner e-mail", 30),
                  Column("Due date", 12), Column("Status", 14), Column("Progress update", 50, wrap=True)]
EXPORT_COLUMNS = IMPORT_COLUMNS + [Column("Overdue", 10), Column("Completed on", 14),
                                   Column("Completion confirmed", 14), Column("Embedded on", 14),
                                   Column("Progress update on", 14), Column("Action ID", 38)]


# What the export reads of each action, its agency and owner; nothing else is loaded (issue 20).
EXPORT_FIELDS = ("id", "case_id", "historic_reference", "source", "learning", "description", "agency__name",
                 "owner__email", "due_on", "status", "completed_on", "completion_confirmed_at", "embedded_on")


def export_rows(actions: QuerySet[Action]) -> QuerySet[Action]:
    """``actions`` (a filtered plan) with only the exported columns, its case's reference and the latest progress
    update's note and date, each looked up by index for each action (instead of every update of every action, and
    of joining every case of the installation: the planner hashed all 20,000 to join a plan's 1,900 actions)."""
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-at", "-id")
    reference = Case.objects.filter(pk=OuterRef("case_id")).values("reference")[:1]
    return (actions.select_related("agency", "owner").prefetch_related(None).only(*EXPORT_FIELDS)
            .annotate(case_reference=Subquery(reference), latest_note=Subquery(latest.values("note")[:1]),
                      latest_at=Subquery(latest.values("at")[:1])))


def _row(action) -> list:
    return [
        action.case_reference or action.historic_reference,
        action.get_source_display(),
        action.learning,
        action.description,
        action.agency.name,
        action.owner.email if action.owner else "",
        action.due_on,
        action.get_status_display(),
        action.latest_note or "",
        "Yes" if action.is_overdue else "No",
        action.completed_on,
        "Yes" if action.completion_confirmed_at else ("Awaiting" if action.awaiting_confirmation else ""),
        action.embedded_on,
        action.latest_at.date() if action.latest_at else None,
        str(action.pk),
    ]


def actions_csv(actions: QuerySet[Action], filename: str) -> StreamingHttpResponse:
    """The plan as a CSV download, streamed as it is read."""
    return csv_download(EXPORT_COLUMNS, (_row(a) for a in export_rows(actions).iterator(chunk_size=500)), filename)


def actions_xlsx(actions: QuerySet[Action]) -> bytes:
    return xlsx_bytes([("Action plan", EXPORT_COLUMNS, (_row(a) for a in export_rows(actions)))])


def import_template_xlsx() -> bytes:
    """An empty sheet with the import columns, drop-downs for source and status, and notes on each column."""
    buffer = io.BytesIO()
    wb, formats = workbook(buffer)
    ws = add_sheet(wb, formats, "Actions", IMPORT_COLUMNS, [])
    for column, labels in ((1, ActionSource.labels), (7, ActionStatus.labels)):  # Source (B) and Status (H)
        ws.data_validation(1, column, 999, column, {"validate": "list", "source": list(labels), "ignore_blank": True})
    add_sheet(wb, formats, "How to fill this in", [Column("Column", 18), Column("What to enter", 100, wrap=True)], [
        ("Case reference", "The case's reference as it appears in Rapid Review, e.g. RR-2025-0001. For a review held "
                           "before Rapid Review, its name, e.g. CSPR Child F (2023)."),
        ("Source", "Rapid review, Child safeguarding practice review, or Serious Incident Notification learning "
                   "(rapid review, CSPR, SCR and SIN are accepted too)."),
        ("Learning", "The learning the action addresses."),
        ("Action", "What the agency will do."),
        ("Agency", "The owning agency's name as in Rapid Review."),
        ("Owner e-mail", "Optional. The e-mail address of the person responsible; they must have an account."),
        ("Due date", "A date cell, or text as DD/MM/YYYY."),
        ("Status", "Optional. Not started (the default), In progress, Completed or Embedded. A RAG rating column "
                   "(Red, Amber, Green, Blue) is read instead when there is no status."),
        ("Progress update", "Optional. The latest progress, kept as a progress note."),
    ])
    wb.close()
    return buffer.getvalue()
