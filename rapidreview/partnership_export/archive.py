"""Writing a partnership's archive: ``manifest.json``, ``data/<app_label>.<model>.json``, ``files/`` and
``README.txt`` (docs/partnership-export.md).

Rows are written with Django's JSON serializer, with these differences, so that the archive holds nothing of
another partnership and can be read on another installation:

- a reference to a partnership is written as its slug; to a content type as ``[app_label, model]``;
- a reference to a row of another partnership (one that exists but is not in the archive) is blanked where the
  column allows it; where it does not, the export fails (a live row) or leaves the row out (a history row, counted
  in the manifest);
- a many-to-many list keeps only rows that are in the archive (or people and agencies, which are shared);
- people are written without passwords or sign-in details (``scope.USER_FIELDS``).
"""

import datetime
import hashlib
import json
import zipfile
from dataclasses import dataclass, field

import django
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.template.loader import render_to_string
from django.utils import timezone

from .references import file_fields, many_to_many, references
from .scope import AGENCY, PARTNERSHIP, USER, USER_FIELDS, export_plan, is_history, label_of

FORMAT = "rapidreview.partnership-export"
FORMAT_VERSION = 1
CHUNK = 2000
OTHER_PARTNERSHIP = "(another partnership's record)"


class ExportError(Exception):
    """The export cannot be made as the rules require; nothing is written."""


def data_path(label: str) -> str:
    return f"data/{label}.json"


def file_path(name: str) -> str:
    return f"files/{name}"


def _text(value):
    return None if value is None else str(value)


class Resolver:
    """Decides what each reference of a written row says, and collects the people and agencies named."""

    def __init__(self, partnership):
        self.partnership = partnership
        self.plan = export_plan()
        self.exported: dict[str, set[str]] = {}
        self.people: set[int] = set()
        self.agencies: set[str] = set()
        self.left_out: dict[str, int] = {}
        self.slugs = dict(apps.get_model(PARTNERSHIP)._base_manager.values_list("pk", "slug"))
        self._exists: dict[tuple[str, str], bool] = {}
        self.blanked: set[str] = set()  # ids blanked in the row being written

    def load(self) -> None:
        for label, scope in self.plan.owned.items():
            self.exported[label] = {str(pk) for pk in scope.rows(self.partnership).values_list("pk", flat=True)}

    def _outside(self, model, value) -> bool:
        """Whether ``value`` is the id of an existing row that is not in the archive."""
        label = label_of(model)
        key = (label, str(value))
        if key[1] in self.exported.get(label, ()):
            return False
        if key not in self._exists:
            self._exists[key] = model._base_manager.filter(pk=value).exists()
        return self._exists[key]

    def _name(self, model, value):
        """What a reference to row ``value`` of ``model`` writes; raises _Outside for another partnership's row."""
        label = label_of(model)
        if value is None:
            return None
        if label == PARTNERSHIP:
            return self.slugs.get(value)
        if label == "contenttypes.contenttype":
            content_type = ContentType.objects.get_for_id(value)
            return [content_type.app_label, content_type.model]
        if label == USER:
            self.people.add(value)
            return value
        if label == AGENCY:
            self.agencies.add(str(value))
            return str(value)
        kind = self.plan.kind(label)
        if kind == "history":
            return value
        if kind == "owned" and not self._outside(model, value):
            return _text(value)
        raise _Outside(label)

    def foreign_key(self, obj, ref) -> object:
        value = getattr(obj, ref.attname)
        try:
            return self._name(ref.target, value)
        except _Outside as outside:
            if ref.null:
                self.blanked.add(str(value))
                return None
            raise ExportError(f"{label_of(type(obj))} {obj.pk} refers to a row of {outside} outside the "
                              f"partnership's data through {ref.name}.") from None

    def many(self, field, ids) -> list:
        kept = []
        for value in ids:
            try:
                kept.append(self._name(field.related_model, value))
            except _Outside:
                continue
        return kept

    def _soft_target(self, obj, ref):
        if ref.kind in ("own", "case"):
            return ref.target
        if ref.kind == "generic":
            type_id = getattr(obj, obj._meta.get_field(ref.type_field).attname)
            return ContentType.objects.get_for_id(type_id).model_class() if type_id else None
        labelled = getattr(obj, ref.type_field)
        try:
            return apps.get_model(labelled) if labelled else None
        except (LookupError, ValueError):
            return None

    def soft(self, obj, fields: dict) -> bool:
        """Blank the columns that name another partnership's row; False when the row must be left out."""
        for ref in references(type(obj)):
            if ref.kind == "fk":
                continue
            value = getattr(obj, ref.attname)
            target = self._soft_target(obj, ref)
            if value in (None, "") or target is None or self.plan.kind(label_of(target)) != "owned":
                continue
            if not self._outside(target, value):
                continue
            if ref.kind == "own" or not (ref.null or ref.kind == "labelled"):
                if is_history(type(obj)):
                    return False
                raise ExportError(f"{label_of(type(obj))} {obj.pk} names a row of {label_of(target)} outside the "
                                  f"partnership's data in {ref.name}.")
            if ref.name in fields:
                fields[ref.name] = "" if ref.kind == "labelled" else None
                self.blanked.add(str(value))
        return True

    def scrub(self, fields: dict) -> None:
        """Take the ids blanked in this row out of its text too (an address such as /cases/<id>/)."""
        for name, value in fields.items():
            if isinstance(value, str) and value not in self.blanked:
                for blanked in self.blanked:
                    value = value.replace(blanked, OTHER_PARTNERSHIP)
                fields[name] = value
        self.blanked = set()


class _Outside(Exception):
    pass


class RowSerializer(JSONSerializer):
    """Django's JSON serializer, with references written as ``Resolver`` decides."""

    def __init__(self, resolver: Resolver):
        super().__init__()
        self.resolver = resolver

    def handle_fk_field(self, obj, field):
        ref = next(r for r in references(type(obj)) if r.kind == "fk" and r.name == field.name)
        self._current[field.name] = self.resolver.foreign_key(obj, ref)

    def handle_m2m_field(self, obj, field):
        if field.remote_field.through._meta.auto_created:
            ids = [related.pk for related in getattr(obj, field.name).all()]
            self._current[field.name] = self.resolver.many(field, ids)

    def get_dump_object(self, obj):
        data = super().get_dump_object(obj)
        self.resolver.soft(obj, data["fields"])
        self.resolver.scrub(data["fields"])
        return data


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds (as JavaScript reads them); an archive keeps every digit, so that
    a signature's time and the order of history rows survive the journey."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class _HashingWriter:
    """A file-like object that writes bytes to ``raw`` and keeps their SHA-256 and length."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.bytes = 0

    def write(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sha256.update(data)
        self.bytes += len(data)
        self.raw.write(data)
        return len(data)


@dataclass
class Written:
    files: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    missing_files: list[str] = field(default_factory=list)


def _entry(zip_file, path: str, write) -> dict:
    with zip_file.open(path, "w", force_zip64=True) as raw:
        writer = _HashingWriter(raw)
        extra = write(writer) or {}
    return {"path": path, "sha256": writer.sha256.hexdigest(), "bytes": writer.bytes, **extra}


def _rows(resolver: Resolver, queryset, counter: list[int]):
    model = queryset.model
    names = [f.name for f in many_to_many(model)]
    if names:
        queryset = queryset.prefetch_related(*names)
    for obj in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        if not resolver.soft(obj, {}):
            resolver.left_out[label_of(model)] = resolver.left_out.get(label_of(model), 0) + 1
            continue
        counter[0] += 1
        yield obj


def _write_model(zip_file, resolver: Resolver, label: str, queryset, kind: str, fields=None) -> dict:
    counter = [0]

    def write(stream):
        RowSerializer(resolver).serialize(_rows(resolver, queryset, counter), stream=stream, fields=fields,
                                          cls=ExactJSONEncoder)
        return {"model": label, "kind": kind}

    entry = _entry(zip_file, data_path(label), write)
    entry["rows"] = counter[0]
    return entry


def _stored_files(plan, partnership) -> set[str]:
    """The names of the files the partnership's live rows hold (history rows keep only the names)."""
    names = set()
    for scope in plan.owned.values():
        for name in file_fields(scope.model):
            names.update(scope.rows(partnership).exclude(**{name: ""}).values_list(name, flat=True))
    return names


def _copy_file(zip_file, name: str) -> dict | None:
    if not name or ".." in name.split("/") or name.startswith("/"):
        return None
    if not default_storage.exists(name):
        return None

    def write(stream):
        with default_storage.open(name, "rb") as source:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                stream.write(chunk)

    return _entry(zip_file, file_path(name), write)


def _schema() -> dict[str, str]:
    """The last migration applied in each app: lets the importing installation see the archive is not newer."""
    applied = {}
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return applied
    for app, name in recorder.migration_qs.order_by("applied", "id").values_list("app", "name"):
        applied[app] = name
    return applied


def _person(user) -> dict | None:
    return {"name": user.full_name, "email": user.email} if user is not None else None


def write_archive(target, *, partnership, requested_by=None, confirmed_by=None, reason: str = "",
                  export_id: str = "") -> dict:
    """Write the archive of ``partnership`` to ``target`` (a path or binary file); returns its manifest."""
    plan = export_plan()
    resolver = Resolver(partnership)
    resolver.load()
    written = Written()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zip_file:
        for label, scope in plan.owned.items():
            written.files.append(_write_model(zip_file, resolver, label, scope.rows(partnership), "owned"))
        for label, scope in plan.history.items():
            written.files.append(_write_model(zip_file, resolver, label, scope.rows(partnership), "history"))
        people = apps.get_model(USER)._base_manager.filter(pk__in=resolver.people)
        written.files.append(_write_model(zip_file, resolver, USER, people, "shared", fields=USER_FIELDS))
        agencies = apps.get_model(AGENCY)._base_manager.filter(pk__in=resolver.agencies)
        written.files.append(_write_model(zip_file, resolver, AGENCY, agencies, "shared"))
        for stored_name in sorted(_stored_files(plan, partnership)):
            entry = _copy_file(zip_file, stored_name)
            if entry is None:
                written.missing_files.append(stored_name)
            else:
                written.files.append(entry)
        created_at = timezone.now()
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created_at.isoformat(),
            "export_id": export_id,
            "partnership": {"name": partnership.name, "short_name": partnership.short_name,
                            "slug": partnership.slug},
            "requested_by": _person(requested_by),
            "confirmed_by": _person(confirmed_by),
            "reason": reason,
            "installation": settings.SITE_URL,
            "software": {"django": django.get_version(), "migrations": _schema()},
            "left_out": resolver.left_out,
            "missing_files": sorted(set(written.missing_files)),
        }
        readme = render_to_string("partnership_export/archive_readme.txt", {
            "manifest": manifest, "created_at": created_at, "files": written.files,
        })
        written.files.append(_entry(zip_file, "README.txt", lambda stream: stream.write(readme) and None))
        manifest["files"] = written.files
        zip_file.writestr("manifest.json", json.dumps(manifest, indent=2, cls=DjangoJSONEncoder))
    return manifest


def counts_of(manifest: dict) -> dict[str, int]:
    return {entry["model"]: entry["rows"] for entry in manifest.get("files", []) if "model" in entry}


def expiry_from(ready_at: datetime.datetime) -> datetime.datetime:
    return ready_at + datetime.timedelta(days=settings.PARTNERSHIP_EXPORT_DAYS)
