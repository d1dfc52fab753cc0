"""Importing an action plan from a spreadsheet: check every row first, then save all rows or none.

The column layout is in docs/action-plan-import.md and in the downloadable template (``exports.IMPORT_COLUMNS``).
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Upper
from openpyxl import load_workbook

from rapidreview.accounts.models import Agency, User
from rapidreview.db import DomainError
from referrals.models import Case

from .exports import IMPORT_COLUMNS
from .models import ActionSource, ActionStatus
from .services import action_create, action_set_status, is_working_group

MAX_ROWS = 2000

SOURCE_WORDS = {
    **{label.lower(): value for value, label in ActionSource.choices},
    "rapid review": ActionSource.RAPID_REVIEW, "rr": ActionSource.RAPID_REVIEW,
    "cspr": ActionSource.CSPR, "practice review": ActionSource.CSPR,
    "child safeguarding practice review": ActionSource.CSPR,
    "sin": ActionSource.SIN, "serious incident notification": ActionSource.SIN,
}
STATUS_WORDS = {**{label.lower(): value for value, label in ActionStatus.choices},
                **{value.replace("_", " "): value for value in ActionStatus.values}, "complete": "completed",
                "": ActionStatus.NOT_STARTED}


@dataclass
class ImportRow:
    number: int
    raw: dict
    errors: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportResult:
    rows: list[ImportRow]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows) and all(r.ok for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if not r.ok)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_workbook(file) -> ImportResult:
    """Read and check every row; nothing is written."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable upload gets the same answer
        return ImportResult(rows=[], problems=["The file could not be read. Upload an Excel spreadsheet (.xlsx)."])
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return ImportResult(rows=[], problems=["The spreadsheet is empty."])
    header = [_text(h).lower() for h in header]
    missing = [c for c in IMPORT_COLUMNS[:7] if c.lower() not in header]
    if missing:
        return ImportResult(rows=[], problems=[
            "The first row must hold the column headings. Missing: " + ", ".join(missing) + "."])
    index = {c: header.index(c.lower()) if c.lower() in header else None for c in IMPORT_COLUMNS}
    raw_rows = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or _text(v) == "" for v in values):
            continue
        raw = {c: (values[i] if i is not None and i < len(values) else None) for c, i in index.items()}
        raw_rows.append(ImportRow(number=number, raw={c: _text(v) if not isinstance(v, datetime.date) else v
                                                      for c, v in raw.items()}))
        if len(raw_rows) > MAX_ROWS:
            return ImportResult(rows=[], problems=[f"The spreadsheet has more than {MAX_ROWS} rows. Split it."])
    wb.close()
    if not raw_rows:
        return ImportResult(rows=[], problems=["The spreadsheet has no actions under the headings."])
    _check(raw_rows)
    return ImportResult(rows=raw_rows)


def _check(rows: list[ImportRow]) -> None:
    """Check all rows with four queries in total."""
    refs = {r.raw["Case reference"].lower() for r in rows if r.raw["Case reference"]}
    cases = {c.reference.lower(): c for c in Case.objects.annotate(ref_upper=Upper("reference"))
             .filter(ref_upper__in=[r.upper() for r in refs])} if refs else {}
    agencies = {a.name.lower(): a for a in Agency.objects.all()}
    emails = {r.raw["Owner e-mail"].lower() for r in rows if r.raw["Owner e-mail"]}
    owners = {u.email.lower(): u for u in User.objects.filter(email__in=emails, is_active=True)} if emails else {}
    for row in rows:
        raw, data, errors = row.raw, row.data, row.errors
        case = cases.get(raw["Case reference"].lower())
        if not raw["Case reference"]:
            errors.append("Enter the case reference.")
        elif case is None:
            errors.append(f"No case has the reference “{raw['Case reference']}”.")
        data["case"], data["reference"] = case, raw["Case reference"]
        data["source"] = SOURCE_WORDS.get(_text(raw["Source"]).lower())
        if data["source"] is None:
            errors.append("Source must be Rapid review, Child safeguarding practice review or SIN learning.")
        for column, key, message in (("Learning", "learning", "Enter the learning the action addresses."),
                                     ("Action", "description", "Enter the action.")):
            data[key] = raw[column] if isinstance(raw[column], str) else _text(raw[column])
            if not data[key]:
                errors.append(message)
        data["agency"] = agencies.get(_text(raw["Agency"]).lower())
        if not raw["Agency"]:
            errors.append("Enter the owning agency.")
        elif data["agency"] is None:
            errors.append(f"No agency is called “{raw['Agency']}”.")
        data["owner"] = None
        if raw["Owner e-mail"]:
            data["owner"] = owners.get(raw["Owner e-mail"].lower())
            if data["owner"] is None:
                errors.append(f"No active account has the e-mail address “{raw['Owner e-mail']}”.")
        data["due_on"] = _date(raw["Due date"])
        if data["due_on"] is None:
            errors.append("Enter the due date as a date, for example 31/03/2026." if raw["Due date"] else
                          "Enter the due date.")
        data["status"] = STATUS_WORDS.get(_text(raw.get("Status")).lower())
        data["status_label"] = ActionStatus(data["status"]).label if data["status"] else ""
        if data["status"] is None:
            errors.append("Status must be Not started, In progress, Completed or Embedded.")


@transaction.atomic
def import_save(*, result: ImportResult, actor) -> int:
    """Save every row, or nothing if any row fails. Imported completions count as confirmed: only the working
    group imports, and the spreadsheet is the plan it already monitors."""
    if not is_working_group(actor):
        raise DomainError("Only the Rapid Review Working Group can import actions.")
    if not result.ok:
        raise DomainError("Fix the errors in the spreadsheet and upload it again.")
    note = "Imported from a spreadsheet."
    for row in result.rows:
        d = row.data
        try:
            action = action_create(case=d["case"], source=d["source"], learning=d["learning"],
                                   description=d["description"], agency=d["agency"], owner=d["owner"],
                                   due_on=d["due_on"], actor=actor)
            if d["status"] in (ActionStatus.IN_PROGRESS, ActionStatus.COMPLETED):
                action_set_status(action=action, status=d["status"], actor=actor, note=note)
            elif d["status"] == ActionStatus.EMBEDDED:
                action_set_status(action=action, status=ActionStatus.COMPLETED, actor=actor, note=note)
                action_set_status(action=action, status=ActionStatus.EMBEDDED, actor=actor, note=note)
        except DomainError as exc:
            raise DomainError(f"Row {row.number}: {exc}") from exc
    return len(result.rows)
