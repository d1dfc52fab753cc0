"""Importing an action plan from the spreadsheet a partnership really keeps.

Three steps, nothing written until the last:

1. ``read_workbook`` reads every sheet safely (defusedxml is installed, so openpyxl refuses entity expansion),
   stops at the first long run of blank rows whatever size the sheet declares, and gives up with a clear answer on a
   file that is too big, too slow or broken. It finds the heading row below any title rows.
2. ``suggest_mapping`` maps each heading to an import field, from the last mapping the partnership saved or from the
   usual names; the user confirms or changes it (``remember_mapping``). Each partnership keeps its own mappings.
3. ``check_rows`` checks every row against the mapping and says, row by row, what will happen: a new action, a
   change to an action already on the plan, or nothing (so importing the same file twice creates nothing).
   ``import_save`` then saves all rows or none.

Everything is read and written in the importer's partnership (ADR 0015): its cases (references are unique within a
partnership only), the agencies in its arrangements, its people, and the actions on its plan. An action ID of
another partnership's action is not on this plan, so its row is added as a new action and never changes that one.

docs/action-plan-import.md describes the columns and what each row does.
"""

import datetime
import difflib
import re
import time
import zipfile
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from django.db import transaction
from django.db.models import Q
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from rapidreview.db import DomainError

from .models import Action, ActionSource, ActionStatus, ActionUpdate, ImportColumnMapping
from .selectors import (
    led_cases_by_reference,
    owning_agencies,
    plan_actions,
    possible_owners,
    remembered_mapping,
)
from .services import action_create, action_edit, action_note_add, action_set_status, is_working_group, may_manage

MAX_ROWS = 2000
MAX_COLUMNS = 60
HEADER_SCAN = 25
BLANK_RUN = 50
READ_SECONDS = 10
IGNORE = "ignore"

# The import fields: (key, label, required). Their order is the template's column order.
FIELDS = [
    ("case", "Case reference", True),
    ("source", "Source", True),
    ("learning", "Learning", True),
    ("description", "Action", True),
    ("agency", "Agency", True),
    ("owner", "Owner e-mail", False),
    ("due_on", "Due date", True),
    ("status", "Status", False),
    ("rag", "RAG rating", False),
    ("update", "Progress update", False),
    ("action_id", "Action ID", False),
]
FIELD_LABELS = dict((key, label) for key, label, _ in FIELDS)
REQUIRED = [key for key, _, required in FIELDS if required]

# The names partnerships give these columns, folded to lower case with punctuation removed.
SYNONYMS = {
    "case": ["case reference", "case ref", "case", "reference", "ref", "review", "review reference", "case number",
             "review name"],
    "source": ["source", "type of review", "review type", "origin", "from"],
    "learning": ["learning", "learning point", "finding", "findings", "recommendation", "recommendations", "theme",
                 "learning identified", "issue"],
    "description": ["action", "actions", "action required", "action to be taken", "what will be done", "agreed action",
                    "actions agreed"],
    "agency": ["agency", "lead agency", "organisation", "organization", "responsible agency", "owning agency",
               "partner agency"],
    "owner": ["owner e mail", "owner email", "owner", "email", "e mail", "lead officer email", "responsible officer"],
    "due_on": ["due date", "due", "deadline", "target date", "by when", "completion date", "date due", "timescale"],
    "status": ["status", "progress status", "current status"],
    "rag": ["rag", "rag status", "rag rating", "rag rated", "red amber green"],
    "update": ["progress update", "update", "latest update", "progress", "comments", "progress notes", "notes"],
    "action_id": ["action id", "id"],
}

SOURCE_WORDS = {
    **{label.lower(): value for value, label in ActionSource.choices},
    "rapid review": ActionSource.RAPID_REVIEW, "rr": ActionSource.RAPID_REVIEW,
    "cspr": ActionSource.CSPR, "practice review": ActionSource.CSPR, "scr": ActionSource.CSPR,
    "serious case review": ActionSource.CSPR, "child safeguarding practice review": ActionSource.CSPR,
    "lcspr": ActionSource.CSPR, "local child safeguarding practice review": ActionSource.CSPR,
    "sin": ActionSource.SIN, "serious incident notification": ActionSource.SIN,
}
STATUS_WORDS = {**{label.lower(): value for value, label in ActionStatus.choices},
                **{value.replace("_", " "): value for value in ActionStatus.values}, "complete": "completed",
                "done": "completed", "open": "in_progress", "ongoing": "in_progress", "not yet started": "not_started"}
RAG_STATUS = {"red": ActionStatus.NOT_STARTED, "r": ActionStatus.NOT_STARTED,
              "amber": ActionStatus.IN_PROGRESS, "a": ActionStatus.IN_PROGRESS,
              "green": ActionStatus.COMPLETED, "g": ActionStatus.COMPLETED,
              "blue": ActionStatus.EMBEDDED, "b": ActionStatus.EMBEDDED}
_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"')
OUR_REFERENCE = re.compile(r"^RR-\d{4}-\d+$", re.IGNORECASE)


class ImportFileError(DomainError):
    """The file cannot be read as a spreadsheet; the message says why in the user's terms."""


@dataclass
class Sheet:
    name: str
    header_row: int
    headings: list[str]
    rows: list[tuple[int, list]]
    skipped_title_rows: int


@dataclass
class Spreadsheet:
    sheet: Sheet
    ignored_sheets: list[str]


@dataclass
class ImportRow:
    number: int
    raw: dict
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    existing: Action | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def outcome(self) -> str:
        if self.existing is None:
            return "New action"
        return "Changes: " + ", ".join(self.changes) if self.changes else "Already on the plan: no change"


@dataclass
class ImportResult:
    rows: list[ImportRow]
    partnership: object = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows) and all(r.ok for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if not r.ok)

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.rows if r.ok and r.existing is None)

    @property
    def changed_count(self) -> int:
        return sum(1 for r in self.rows if r.ok and r.existing is not None and r.changes)


def fold(text) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", cell_text(text).lower()).split())


def cell_text(value) -> str:
    """A cell as text: numbers without ".0", dates as DD/MM/YYYY, white space folded."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def _known(heading: str) -> str | None:
    folded = fold(heading)
    for key, names in SYNONYMS.items():
        if folded in names:
            return key
    return None


def _header_score(values: list) -> int:
    return sum(1 for v in values if cell_text(v) and _known(cell_text(v)))


def read_workbook(file) -> Spreadsheet:
    """Every sheet's heading row and the rows under it; raises ``ImportFileError`` with the reason."""
    deadline = time.monotonic() + READ_SECONDS
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except DefusedXmlException as exc:
        raise ImportFileError("The file holds XML that is not allowed in a spreadsheet (it may be an attack). "
                              "Save it again from Excel as a normal .xlsx file.") from exc
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, EOFError, ValueError) as exc:
        raise ImportFileError("The file could not be read as an Excel spreadsheet (.xlsx). It may be damaged or "
                              "cut short: save it again from Excel and upload it again.") from exc
    try:
        sheets = [_read_sheet(ws, deadline, _merged_ranges(file, ws)) for ws in wb.worksheets]
    except DefusedXmlException as exc:
        raise ImportFileError("The file holds XML that is not allowed in a spreadsheet.") from exc
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError) as exc:
        raise ImportFileError("Part of the spreadsheet could not be read: it may be damaged or cut short. Save it "
                              "again from Excel and upload it again.") from exc
    finally:
        wb.close()
    usable = [s for s in sheets if s is not None]
    if not usable:
        raise ImportFileError("No sheet has a row of column headings such as “Action”, “Agency” and “Due date”.")
    best = max(usable, key=lambda s: (_header_score(s.headings), len(s.rows)))
    return Spreadsheet(sheet=best, ignored_sheets=[s.name for s in sheets if s is not best and s is not None] +
                    [ws for ws, s in zip(wb.sheetnames, sheets, strict=True) if s is None])


def _merged_ranges(file, ws) -> list[tuple[int, int, int, int]]:
    """The sheet's merged cells as (min_col, min_row, max_col, max_row); read-only openpyxl does not give them."""
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        xml = archive.read(ws._worksheet_path.lstrip("/"))
    return [range_boundaries(ref.decode()) for ref in _MERGE_CELL.findall(xml)[:5000]]


def _read_sheet(ws, deadline: float, merged: list[tuple[int, int, int, int]]) -> Sheet | None:
    """The heading row (the best-scoring of the first rows) and the non-blank rows under it."""
    header_row, headings, best = None, [], 1
    rows: list[tuple[int, list]] = []
    blank_run = 0
    for number, values in enumerate(ws.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
        if time.monotonic() > deadline:
            raise ImportFileError(f"The spreadsheet took too long to read. Delete empty rows and columns, keep "
                                  f"only the action plan, and upload it again (at most {MAX_ROWS} actions).")
        values = list(values)
        if header_row is None:
            score = _header_score(values)
            if score > best:
                header_row, headings, best = number, [cell_text(v) for v in values], score
            if number >= HEADER_SCAN and header_row is None:
                return None
            continue
        if all(cell_text(v) == "" for v in values):
            blank_run += 1
            if blank_run >= BLANK_RUN:
                break
            continue
        blank_run = 0
        rows.append((number, values))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(f"The spreadsheet has more than {MAX_ROWS} actions. Split it into smaller files.")
    if header_row is None:
        return None
    _fill_merged(rows, merged)
    while headings and not headings[-1]:
        headings.pop()
    return Sheet(name=ws.title, header_row=header_row, headings=headings, rows=rows,
                 skipped_title_rows=header_row - 1)


def _fill_merged(rows: list[tuple[int, list]], merged: list[tuple[int, int, int, int]]) -> None:
    """A merged cell's value, held by its top-left cell only, is given to every cell it covers."""
    by_number = {number: values for number, values in rows}
    for min_col, min_row, max_col, max_row in merged:
        top = by_number.get(min_row)
        if top is None or min_col > len(top):
            continue
        value = top[min_col - 1]
        for number in range(min_row, max_row + 1):
            values = by_number.get(number)
            if values is None:
                continue
            values.extend([None] * (max_col - len(values)))
            for column in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                if values[column - 1] is None:
                    values[column - 1] = value


def suggest_mapping(headings: list[str], *, partnership) -> dict[int, str]:
    """Column index → field: ``partnership``'s remembered mappings first, then the usual names; the rest ignored."""
    remembered = remembered_mapping([fold(h) for h in headings if h], partnership=partnership)
    mapping, taken = {}, set()
    for index, heading in enumerate(headings):
        key = remembered.get(fold(heading)) or _known(heading) or IGNORE
        if key != IGNORE and key in taken:
            key = IGNORE
        mapping[index] = key
        taken.add(key)
    return mapping


def mapping_problems(mapping: dict[int, str]) -> list[str]:
    chosen = [v for v in mapping.values() if v != IGNORE]
    problems = [f"Choose the column that holds “{FIELD_LABELS[key]}”." for key in REQUIRED
                if key not in chosen and key != "source"]
    problems += [f"Only one column can be “{FIELD_LABELS[key]}”." for key in sorted(set(chosen))
                 if chosen.count(key) > 1]
    return problems


@transaction.atomic
def remember_mapping(*, partnership, headings: list[str], mapping: dict[int, str], actor) -> None:
    """Remember what ``partnership``'s headings mean, for its next import."""
    for index, key in mapping.items():
        if index < len(headings) and headings[index]:
            ImportColumnMapping.objects.update_or_create(partnership=partnership, heading=fold(headings[index])[:200],
                                                         defaults={"field": key, "updated_by": actor})


def _parse_date(value) -> tuple[datetime.date | None, str]:
    """(date, error): a date cell, or text in the usual British forms; a date that does not exist is named."""
    if isinstance(value, datetime.datetime):
        return value.date(), ""
    if isinstance(value, datetime.date):
        return value, ""
    text = cell_text(value)
    if not text:
        return None, "Enter the due date."
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%B %Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date(), ""
        except ValueError:
            continue
    if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}", text):
        return None, f"{text} is not a real date."
    return None, f"“{text}” is not a date. Enter it as a date, for example 31/03/2027."


def check_rows(workbook: Spreadsheet, mapping: dict[int, str], *, actor, partnership) -> ImportResult:
    """Check every row under ``mapping`` against ``partnership``'s plan, with a fixed number of queries; nothing is
    written."""
    sheet = workbook.sheet
    columns = {key: index for index, key in mapping.items() if key != IGNORE}
    result = ImportResult(rows=[], partnership=partnership)
    if problems := mapping_problems(mapping):
        result.problems = problems
        return result
    if workbook.ignored_sheets:
        result.warnings.append("Not read: the sheet" + ("s " if len(workbook.ignored_sheets) > 1 else " ") +
                               ", ".join(f"“{n}”" for n in workbook.ignored_sheets) + ".")
    if sheet.skipped_title_rows:
        result.warnings.append(f"The headings are on row {sheet.header_row}; the {sheet.skipped_title_rows} row"
                               f"{'s' if sheet.skipped_title_rows > 1 else ''} above them were not read.")
    if "source" not in columns:
        result.warnings.append("No column says where each action comes from: every action is taken to come from a "
                               "child safeguarding practice review.")
    ignored = [h for i, h in enumerate(sheet.headings) if h and mapping.get(i, IGNORE) == IGNORE]
    if ignored:
        result.warnings.append("Columns not imported: " + ", ".join(f"“{h}”" for h in ignored) + ".")
    carried: dict[str, object] = {}
    for number, values in sheet.rows:
        raw = {key: (values[index] if index < len(values) else None) for key, index in columns.items()}
        texts = {cell_text(v) for v in values if cell_text(v)}
        if not cell_text(raw.get("description")) or (len(texts) == 1 and _is_group_heading(raw)):
            # A group heading (a row with no action, or one value merged across the row): the review or the
            # learning it names applies to the rows below it.
            carried = {key: raw[key] for key in ("case", "source", "learning", "agency")
                       if cell_text(raw.get(key)) and not (len(texts) == 1 and key != _heading_key(raw))}
            result.warnings.append(f"Row {number} has no action of its own: it was read as a heading for the rows "
                                   "below it.")
            continue
        for key, value in carried.items():
            if not cell_text(raw.get(key)):
                raw[key] = value
        result.rows.append(ImportRow(number=number, raw=raw))
    if not result.rows:
        result.problems.append("The spreadsheet has no actions under the headings.")
        return result
    _check(result.rows, actor=actor, partnership=partnership, has_source="source" in columns)
    return result


def _is_group_heading(raw: dict) -> bool:
    """One value repeated across the whole row: a heading merged across the columns."""
    return len({cell_text(v) for v in raw.values()}) == 1


def _heading_key(raw: dict) -> str:
    """What a merged heading names: a case reference when it looks like one, otherwise the learning."""
    text = cell_text(next(iter(raw.values()), ""))
    return "case" if OUR_REFERENCE.match(text) else "learning"


def _check(rows: list[ImportRow], *, actor, partnership, has_source: bool) -> None:
    """Check all rows with a fixed number of queries, in ``partnership``."""
    refs = {cell_text(r.raw.get("case")) for r in rows if cell_text(r.raw.get("case"))}
    cases = led_cases_by_reference(refs, partnership=partnership)
    agencies = {a.name.lower(): a for a in owning_agencies(partnership=partnership)}
    emails = {cell_text(r.raw.get("owner")).lower() for r in rows if cell_text(r.raw.get("owner"))}
    owners = ({u.email.lower(): u for u in possible_owners(partnership=partnership).filter(email__in=emails)}
              if emails else {})
    ids = {cell_text(r.raw.get("action_id")) for r in rows if cell_text(r.raw.get("action_id"))}
    plan = plan_actions(partnership=partnership)
    by_id = {str(a.pk): a for a in plan.filter(pk__in=[i for i in ids if _is_uuid(i)])} if ids else {}
    existing = {_natural_key(a.case.reference if a.case_id else a.historic_reference, a.agency_id, a.description): a
                for a in plan.select_related("case").filter(_on_these_reviews(cases.values(), refs))}
    latest_notes = {}
    for update in ActionUpdate.objects.filter(action__in=list(existing.values()) + list(by_id.values())) \
            .exclude(note="").order_by("action_id", "-at"):
        latest_notes.setdefault(update.action_id, set()).add(update.note.strip())
    working_group = is_working_group(actor, partnership)
    for row in rows:
        _check_row(row, cases=cases, agencies=agencies, owners=owners, by_id=by_id, existing=existing,
                   latest_notes=latest_notes, working_group=working_group, has_source=has_source)


def _on_these_reviews(cases, refs) -> Q:
    return Q(case__in=list(cases)) | Q(case__isnull=True, historic_reference__in=list(refs))


def _is_uuid(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-fA-F-]{36}", text))


def _natural_key(reference: str, agency_id, description: str) -> tuple:
    return (reference.upper(), agency_id, fold(description))


def _check_row(row, *, cases, agencies, owners, by_id, existing, latest_notes, working_group, has_source):
    raw, data, errors, warnings = row.raw, row.data, row.errors, row.warnings
    reference = cell_text(raw.get("case"))
    data["reference"] = reference
    data["case"] = cases.get(reference.upper())
    data["historic_reference"] = ""
    if not reference:
        errors.append("Enter the case reference, or the name of a review held before Rapid Review.")
    elif data["case"] is None:
        if OUR_REFERENCE.match(reference):
            errors.append(f"No case has the reference “{reference}”.")
        else:
            data["historic_reference"] = reference[:100]
            warnings.append(f"“{reference}” is not a case in Rapid Review: the action is kept against it as a "
                            "review held before Rapid Review.")
    source_text = cell_text(raw.get("source")).lower()
    data["source"] = SOURCE_WORDS.get(source_text) if has_source else ActionSource.CSPR
    if data["source"] is None:
        errors.append("Source must be Rapid review, Child safeguarding practice review or SIN learning.")
    for key, message in (("learning", "Enter the learning the action addresses."),
                         ("description", "Enter the action.")):
        data[key] = cell_text(raw.get(key))
        if not data[key]:
            errors.append(message)
    agency_text = cell_text(raw.get("agency"))
    data["agency"] = agencies.get(agency_text.lower())
    if not agency_text:
        errors.append("Enter the owning agency.")
    elif data["agency"] is None:
        close = difflib.get_close_matches(agency_text.lower(), list(agencies), n=1, cutoff=0.6)
        contains = [name for name in agencies if agency_text.lower() in name or name in agency_text.lower()]
        suggestion = (close or contains or [None])[0]
        errors.append(f"No agency in the partnership's arrangements is called “{agency_text}”." +
                      (f" Did you mean “{agencies[suggestion].name}”?" if suggestion else ""))
    data["owner"] = None
    if owner_text := cell_text(raw.get("owner")):
        data["owner"] = owners.get(owner_text.lower())
        if data["owner"] is None:
            warnings.append(f"No one in the partnership has the e-mail address “{owner_text}”: the action has no "
                            "owner.")
    data["due_on"], date_error = _parse_date(raw.get("due_on"))
    if date_error:
        errors.append(date_error)
    status_text, rag_text = cell_text(raw.get("status")).lower(), cell_text(raw.get("rag")).lower()
    data["status"] = STATUS_WORDS.get(status_text) if status_text else RAG_STATUS.get(rag_text)
    if status_text and data["status"] is None:
        errors.append("Status must be Not started, In progress, Completed or Embedded.")
    elif rag_text and rag_text not in RAG_STATUS:
        errors.append("The RAG rating must be Red, Amber, Green or Blue.")
    data["status"] = data["status"] or ActionStatus.NOT_STARTED
    data["status_label"] = ActionStatus(data["status"]).label
    note = cell_text(raw.get("update"))
    if rag_text:
        note = (note + "\n\n" if note else "") + f"RAG rating in the imported spreadsheet: {rag_text.title()}."
    if data["status"] != ActionStatus.NOT_STARTED and not working_group:
        warnings.append(f"Only the working group records statuses: “{data['status_label']}” is kept as a progress "
                        "note for the working group to confirm.")
        note = (note + "\n\n" if note else "") + f"Status in the imported spreadsheet: {data['status_label']}."
    data["note"] = note
    if row.errors:
        return
    action_id = cell_text(raw.get("action_id"))
    row.existing = by_id.get(action_id) or existing.get(
        _natural_key(reference, data["agency"].pk, data["description"]))
    if action_id and action_id not in by_id:
        warnings.append("The action ID is not on the plan: the row is added as a new action.")
    if row.existing is not None:
        row.changes = _changes(row.existing, data, latest_notes.get(row.existing.pk, set()), working_group)


def _changes(action: Action, data: dict, notes: set[str], working_group: bool) -> list[str]:
    changes = []
    for key, label in (("learning", "learning"), ("description", "action"), ("due_on", "due date")):
        if getattr(action, key) != data[key]:
            changes.append(label)
    if action.agency_id != data["agency"].pk:
        changes.append("agency")
    if data["owner"] is not None and action.owner_id != data["owner"].pk:
        changes.append("owner")
    if working_group and data["status"] != action.status:
        changes.append("status")
    if data["note"] and data["note"].strip() not in notes:
        changes.append("progress update")
    return changes


@transaction.atomic
def import_save(*, result: ImportResult, actor) -> tuple[int, int]:
    """Save every row, or nothing if any row fails; returns (added, changed). Imported completions count as
    confirmed when the working group imports, since the spreadsheet is the plan it already monitors."""
    partnership = result.partnership
    if not may_manage(actor, partnership):
        raise DomainError("Only the Rapid Review Working Group or the business unit can import actions.")
    if not result.ok:
        raise DomainError("Fix the errors in the spreadsheet and upload it again.")
    added = changed = 0
    for row in result.rows:
        try:
            if row.existing is None:
                _add(row.data, actor, partnership)
                added += 1
            elif row.changes:
                _change(row.existing, row.data, row.changes, actor)
                changed += 1
        except DomainError as exc:
            raise DomainError(f"Row {row.number}: {exc}") from exc
    return added, changed


def _add(d: dict, actor, partnership) -> None:
    action = action_create(case=d["case"], historic_reference=d["historic_reference"], source=d["source"],
                           learning=d["learning"], description=d["description"], agency=d["agency"],
                           owner=d["owner"], due_on=d["due_on"], actor=actor,
                           partnership=partnership)
    _record_progress(action, d, actor, imported=True)


def _change(action: Action, d: dict, changes: list[str], actor) -> None:
    if {"learning", "action", "due date", "agency", "owner"} & set(changes):
        action = action_edit(action=action, learning=d["learning"], description=d["description"], agency=d["agency"],
                             owner=d["owner"] or action.owner, due_on=d["due_on"], source=action.source, actor=actor)
    _record_progress(action, d, actor, imported=False, note_changed="progress update" in changes)


def _record_progress(action: Action, d: dict, actor, *, imported: bool, note_changed: bool = True) -> None:
    """The spreadsheet's status and progress note, through the same service as a person recording progress."""
    note = d["note"] if note_changed else ""
    status = d["status"]
    if not is_working_group(actor, action.partnership_id):
        if note:
            action_note_add(action=action, actor=actor, note=note)
        return
    note = note or ("Imported from a spreadsheet." if imported else "")
    if status == ActionStatus.EMBEDDED and action.status not in (ActionStatus.COMPLETED, ActionStatus.EMBEDDED):
        action_set_status(action=action, status=ActionStatus.COMPLETED, actor=actor, note="")
    if status != action.status or note:
        action_set_status(action=action, status=status, actor=actor, note=note)
