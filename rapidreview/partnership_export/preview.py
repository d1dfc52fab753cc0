"""What an import would do, shown to the administrator before they confirm: rows per kind of record, the existing
accounts that would gain roles, the agencies that would be made, and the values that need a prefix."""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import default_storage
from django.utils.dateparse import parse_datetime

from .loading import clashes
from .reading import open_archive, read_rows
from .references import references
from .scope import AGENCY, PARTNERSHIP, USER, export_plan, label_of

# Kinds of record whose own names read badly in a list of what an archive holds.
NAMES = {"audit.accesslog": "Access log entries", "accounts.user": "People", "actionplan.actionevidence":
         "Action plan evidence", "actionplan.actionupdate": "Action plan updates"}


def record_name(label: str) -> str:
    if label in NAMES:
        return NAMES[label]
    try:
        return str(apps.get_model(label)._meta.verbose_name_plural).capitalize()
    except LookupError:
        return label


@dataclass
class Preview:
    source: dict
    created_at: object = None
    counts: list[tuple[str, int]] = field(default_factory=list)
    history_rows: int = 0
    existing_people: list[dict] = field(default_factory=list)
    new_people: int = 0
    existing_agencies: int = 0
    new_agencies: list[str] = field(default_factory=list)
    clashes: dict[str, int] = field(default_factory=dict)
    other_partnerships: list[tuple[str, bool]] = field(default_factory=list)
    files: int = 0
    slug_taken: bool = False


def _roles(archive, person_pk) -> list[str]:
    model = apps.get_model("accounts.roleassignment")
    labels = dict(model._meta.get_field("role").flatchoices)
    return sorted({str(labels.get(row["fields"].get("role"), row["fields"].get("role")))
                   for row in read_rows(archive, "accounts.roleassignment")
                   if row["fields"].get("user") == person_pk})


def import_preview(record) -> Preview:
    manifest = record.manifest
    plan = export_plan()
    preview = Preview(source=manifest["partnership"])
    for entry in manifest["files"]:
        if entry.get("model") in plan.owned and entry["model"] != PARTNERSHIP and entry.get("rows"):
            preview.counts.append((record_name(entry["model"]), entry["rows"]))
        elif entry.get("model") and plan.kind(entry["model"]) == "history":
            preview.history_rows += entry.get("rows", 0)
        elif entry["path"].startswith("files/"):
            preview.files += 1
    preview.counts.sort()
    preview.created_at = parse_datetime(manifest.get("created_at") or "")
    partnership = apps.get_model(PARTNERSHIP)
    preview.slug_taken = partnership._base_manager.filter(slug=manifest["partnership"].get("slug")).exists()
    with default_storage.open(record.archive.name, "rb") as file, open_archive(file) as archive:
        user = apps.get_model(USER)
        for row in read_rows(archive, USER):
            person = user._base_manager.filter(email__iexact=row["fields"].get("email", "")).first()
            if person is None:
                preview.new_people += 1
            else:
                preview.existing_people.append({"name": person.full_name, "email": person.email,
                                                "roles": _roles(archive, row["pk"])})
        agency = apps.get_model(AGENCY)
        for row in read_rows(archive, AGENCY):
            if agency._base_manager.filter(name__iexact=row["fields"].get("name", "")).exists():
                preview.existing_agencies += 1
            else:
                preview.new_agencies.append(row["fields"].get("name", ""))
        labels = [entry["model"] for entry in manifest["files"]
                  if entry.get("model") in plan.owned and entry["model"] != PARTNERSHIP]
        preview.clashes = clashes(archive, labels)
        slugs = set()
        for label in labels:
            names = [ref.name for ref in references(apps.get_model(label))
                     if ref.kind == "fk" and label_of(ref.target) == PARTNERSHIP]
            if names:
                slugs.update(row["fields"].get(name) for row in read_rows(archive, label) for name in names)
        for slug in sorted(s for s in slugs - {manifest["partnership"].get("slug")} if s):
            preview.other_partnerships.append((slug, partnership._base_manager.filter(slug=slug).exists()))
    return preview


def named_counts(counts: dict[str, int], kinds=("owned", "shared")) -> list[tuple[str, int]]:
    """Rows per kind of record, named as people read them ("Cases", "Decision sheets"), for the pages."""
    plan = export_plan()
    return sorted((record_name(label), rows) for label, rows in counts.items()
                  if rows and plan.kind(label) in kinds and label != PARTNERSHIP)
