"""Importing a checked archive as a new partnership, in one transaction: all or nothing.

- The partnership gets the name and slug the administrator gives; its settings come from the archive.
- People are matched by e-mail address: an existing account keeps its details and gains the archive's roles in the
  new partnership; a new account is made with no usable password (the person sets one through "Forgotten your
  password"). Agencies are matched by name, and made when missing. Neither is ever changed.
- Every other row is inserted, never updated. A UUID primary key is kept unless this installation already has
  it; an integer key is given by the database. Every reference is mapped to the new ids: foreign keys, history
  rows' copies of their row's key, ``case_id`` columns, generic relations and the access log's object ids; an old
  UUID is also replaced wherever it appears in text (addresses such as a clock's link).
- A unique text value that is already taken here (a case reference) gets the administrator's prefix.
- History rows are inserted as they are, with their references mapped. A history row of a row deleted before the
  export keeps a reference to nothing: a UUID that exists nowhere here, or a negative integer.
- A participation of another partnership is kept when that partnership is on this installation (by slug).
- Stored files are written under MEDIA_ROOT (under a new name if the name is taken) and removed again if the import
  fails.
"""

import json
import re
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.python import Deserializer
from django.db import IntegrityError, models, transaction

from .archive import file_path
from .reading import ArchiveInvalid, read_rows
from .references import file_fields, many_to_many, references
from .scope import AGENCY, CONTENT_TYPE, PARTNERSHIP, USER, export_plan, is_history, label_of

UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CHUNK = 500


@dataclass
class Summary:
    rows: dict[str, int] = field(default_factory=dict)
    people_matched: list[str] = field(default_factory=list)
    people_created: list[str] = field(default_factory=list)
    agencies_matched: list[str] = field(default_factory=list)
    agencies_created: list[str] = field(default_factory=list)
    renamed: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)
    files: int = 0
    missing_files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _is_uuid(model) -> bool:
    return isinstance(model._meta.pk, models.UUIDField)


def _chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _existing(model, values, field_name="pk") -> set[str]:
    found = set()
    for chunk in _chunks(values):
        found.update(str(v) for v in model._base_manager.filter(**{f"{field_name}__in": chunk})
                     .values_list(field_name, flat=True))
    return found


def unique_text_sets(model) -> list[tuple[models.Field, ...]]:
    """Sets of plain columns that must be unique together and hold text (a case reference; a reference counter's
    prefix and year). Sets with a foreign key are not: an import's rows point to its own new rows."""
    names = [(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    names += [tuple(together) for together in model._meta.unique_together]
    names += [tuple(c.fields) for c in model._meta.constraints
              if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None]
    sets = []
    for group in names:
        fields = tuple(model._meta.get_field(name) for name in group)
        if not any(f.is_relation or f.primary_key for f in fields) and any(_text_field(f) for f in fields):
            sets.append(fields)
    return sets


def _text_field(f) -> bool:
    return isinstance(f, models.CharField) and not isinstance(f, models.SlugField | models.EmailField)


@dataclass
class Clash:
    """A row whose unique text is already taken here; ``field`` gets the prefix."""

    row: dict
    field: models.Field
    value: str
    alone: bool  # the field is unique by itself (its value is then replaced wherever it appears exactly)


def find_clashes(model, rows) -> list[Clash]:
    found = []
    for fields in unique_text_sets(model):
        text = next(f for f in fields if _text_field(f))
        if len(fields) == 1:
            taken = _existing(model, {row["fields"].get(text.name) for row in rows} - {None, ""}, text.name)
            found += [Clash(row, text, row["fields"][text.name], True) for row in rows
                      if row["fields"].get(text.name) in taken]
            continue
        for row in rows:
            values = {f.attname: f.to_python(row["fields"].get(f.name)) for f in fields}
            if model._base_manager.filter(**values).exists():
                found.append(Clash(row, text, row["fields"].get(text.name) or "", False))
    return found


def clashes(archive: zipfile.ZipFile, labels) -> dict[str, int]:
    """{"case reference": how many} unique text values of the archive already taken on this installation."""
    found = {}
    for label in labels:
        model = apps.get_model(label)
        for clash in find_clashes(model, read_rows(archive, label)):
            name = f"{model._meta.verbose_name} {clash.field.verbose_name}"
            found[name] = found.get(name, 0) + 1
    return found


class Loader:
    """One import. ``run()`` does it all inside one transaction and returns the new partnership."""

    def __init__(self, archive: zipfile.ZipFile, manifest: dict, *, name: str, slug: str, short_name: str,
                 prefix: str, actor):
        self.archive = archive
        self.manifest = manifest
        self.name, self.slug, self.short_name, self.prefix = name, slug, short_name, prefix
        self.actor = actor
        self.plan = export_plan()
        self.source_slug = manifest["partnership"]["slug"]
        self.labels = [entry["model"] for entry in manifest["files"] if entry.get("model")]
        self.rows = {label: read_rows(archive, label) for label in self.labels}
        self.maps: dict[str, dict[str, object]] = defaultdict(dict)
        self.new_uuids: dict[str, str] = {}  # old UUID text -> new, for every UUID that changed
        self.renamed: dict[str, str] = {}  # a unique text value that was taken -> the prefixed value
        self.row_renames: dict[tuple[str, str], tuple[str, str]] = {}  # (label, pk) -> (field, prefixed value)
        self.stored: dict[str, str] = {}  # stored file name in the archive -> name here
        self.written: list[str] = []
        self.summary = Summary(missing_files=list(manifest.get("missing_files", [])))
        self.partnership = None

    # -- the partnership, people and agencies -------------------------------------------------------------

    def _deserialize(self, label, rows):
        return list(Deserializer(rows, ignorenonexistent=True))

    def _partnership(self):
        model = apps.get_model(PARTNERSHIP)
        if model._base_manager.filter(slug=self.slug).exists():
            raise ArchiveInvalid(f"A partnership with the address name {self.slug} already exists.", "slug")
        if model._base_manager.filter(name__iexact=self.name).exists():
            raise ArchiveInvalid(f"A partnership called {self.name} already exists.", "name")
        row = dict(self.rows[PARTNERSHIP][0])
        old = str(row["pk"])
        fields = {k: v for k, v in row["fields"].items() if k not in {f.name for f in many_to_many(model)}}
        fields.update(name=self.name, slug=self.slug, short_name=self.short_name)
        obj = self._deserialize(PARTNERSHIP, [{"model": PARTNERSHIP, "pk": None, "fields": fields}])[0].object
        obj.save_base(raw=True, force_insert=True)
        self.maps[PARTNERSHIP][old] = obj.pk
        self.partnership = obj
        self._count(PARTNERSHIP)
        self.pending_m2m = [(model, obj.pk, row)]

    def _agencies(self):
        model = apps.get_model(AGENCY)
        for row in self.rows.get(AGENCY, []):
            fields = row["fields"]
            agency = model._base_manager.filter(name__iexact=fields.get("name", "")).first()
            if agency is None:
                agency = model(**{k: fields[k] for k in ("name", "type", "statutory_partner", "distribution_email",
                                                          "is_active") if k in fields})
                agency._history_user = self.actor
                agency.save()
                self.summary.agencies_created.append(agency.name)
            else:
                self.summary.agencies_matched.append(agency.name)
            self.maps[AGENCY][str(row["pk"])] = agency.pk

    def _people(self):
        model = apps.get_model(USER)
        for row in self.rows.get(USER, []):
            fields = row["fields"]
            email = str(fields.get("email", "")).strip().lower()
            if not email:
                raise ArchiveInvalid("A person in the archive has no e-mail address.")
            person = model._base_manager.filter(email__iexact=email).first()
            if person is None:
                public_id = fields.get("public_id")
                if not public_id or model._base_manager.filter(public_id=public_id).exists():
                    public_id = uuid.uuid4()
                person = model(email=email, full_name=fields.get("full_name", ""), public_id=public_id,
                               job_title=fields.get("job_title", ""), phone=fields.get("phone", ""),
                               is_active=bool(fields.get("is_active", True)),
                               agency_id=self.maps[AGENCY].get(str(fields.get("agency"))))
                if fields.get("date_joined"):
                    person.date_joined = model._meta.get_field("date_joined").to_python(fields["date_joined"])
                person.set_unusable_password()
                person._history_user = self.actor
                person.save()
                self.summary.people_created.append(email)
            else:
                self.summary.people_matched.append(email)
            self.maps[USER][str(row["pk"])] = person.pk

    # -- planning the new ids ---------------------------------------------------------------------------------

    def _generic_labels(self) -> list[str]:
        return [label for label in self.labels if label not in (PARTNERSHIP, USER, AGENCY)]

    def _plan_uuids(self):
        for label in self._generic_labels():
            model = apps.get_model(label)
            if not _is_uuid(model):
                continue
            old = [str(row["pk"]) for row in self.rows[label]]
            taken = _existing(model, old)
            for pk in old:
                new = str(uuid.uuid4()) if pk in taken else pk
                self.maps[label][pk] = new
                if new != pk:
                    self.new_uuids[pk] = new

    def _plan_renames(self):
        for label in self._generic_labels():
            model = apps.get_model(label)
            found = find_clashes(model, self.rows[label])
            if found and not self.prefix:
                raise ArchiveInvalid(f"{len(found)} {model._meta.verbose_name} {found[0].field.verbose_name} "
                                     "value(s) are already taken on this installation: give a prefix for them.",
                                     "prefix")
            for clash in found:
                new = f"{self.prefix}{clash.value}"
                if len(new) > clash.field.max_length or _existing(model, [new], clash.field.name):
                    raise ArchiveInvalid(f"The prefix does not make {model._meta.verbose_name} "
                                         f"{clash.field.verbose_name} {clash.value} unique within "
                                         f"{clash.field.max_length} characters: choose another.", "prefix")
                if clash.alone:
                    self.renamed[clash.value] = new
                else:
                    self.row_renames[(label, str(clash.row["pk"]))] = (clash.field.name, new)
                name = f"{model._meta.verbose_name} {clash.field.verbose_name}"
                self.summary.renamed[name] = self.summary.renamed.get(name, 0) + 1

    def _order(self) -> list[str]:
        """Models in an order where every integer key a row refers to is already given."""
        labels = self._generic_labels()
        needs = {}
        for label in labels:
            model = apps.get_model(label)
            needs[label] = {label_of(ref.target) for ref in references(model)
                            if ref.kind in ("fk", "own") and ref.target is not None and not _is_uuid(ref.target)
                            and label_of(ref.target) in labels and label_of(ref.target) != label}
        ordered, done = [], set()
        while len(ordered) < len(labels):
            ready = [label for label in labels if label not in done and needs[label] <= done]
            if not ready:
                raise ArchiveInvalid("The archive's rows refer to each other in a circle; it cannot be imported.")
            for label in ready:
                ordered.append(label)
                done.add(label)
        return ordered

    # -- mapping one row ----------------------------------------------------------------------------------------

    def _missing(self, target, value, *, own: bool, null: bool):
        """A reference to a row the archive does not hold (one deleted before the export)."""
        if _is_uuid(target):
            text = str(value)
            if text in self.maps[label_of(target)]:
                return self.maps[label_of(target)][text]
            if _existing(target, [text]):  # the id means something else here: point to nothing instead
                self.maps[label_of(target)][text] = str(uuid.uuid4())
                return self.maps[label_of(target)][text]
            return text
        if own:
            return -abs(int(value))
        if null:
            return None
        raise ArchiveInvalid(f"A row refers to a {target._meta.verbose_name} the archive does not hold.")

    def _partnership_ref(self, model, ref, slug, row):
        if slug == self.source_slug:
            return self.partnership.pk
        scope = self.plan.exported().get(label_of(model))
        if scope is not None and ref.name == scope.via:
            raise ArchiveInvalid(f"A {model._meta.verbose_name} in the archive belongs to another partnership.")
        other = apps.get_model(PARTNERSHIP)._base_manager.filter(slug=slug).values_list("pk", flat=True).first()
        if other is not None:
            return other
        if ref.null:
            return None
        raise _LeaveOut

    def _foreign_key(self, model, ref, value, row):
        target = label_of(ref.target)
        if target == PARTNERSHIP:
            return self._partnership_ref(model, ref, value, row)
        if target == CONTENT_TYPE:
            try:
                return ContentType.objects.get_by_natural_key(*value).pk
            except (ContentType.DoesNotExist, TypeError) as error:
                raise ArchiveInvalid(f"The archive names a kind of record this installation does not have: "
                                     f"{value}.") from error
        mapped = self.maps[target].get(str(value))
        if mapped is not None:
            return mapped
        if target in (USER, AGENCY) or target not in self.labels and self.plan.kind(target) != "owned":
            if ref.null:
                return None
            raise ArchiveInvalid(f"A {model._meta.verbose_name} refers to a {ref.target._meta.verbose_name} the "
                                 "archive does not hold.")
        if not is_history(model):  # a live row's foreign key cannot point to a deleted row
            if ref.null:
                return None
            raise ArchiveInvalid(f"A {model._meta.verbose_name} refers to a {ref.target._meta.verbose_name} the "
                                 "archive does not hold.")
        return self._missing(ref.target, value, own=False, null=ref.null)

    def _soft(self, model, ref, value, fields):
        if ref.kind in ("own", "case"):
            target = ref.target
        elif ref.kind == "generic":  # its content type column is already mapped to this installation's id
            type_id = fields.get(ref.type_field)
            target = ContentType.objects.get_for_id(type_id).model_class() if type_id else None
        else:
            try:
                target = apps.get_model(fields.get(ref.type_field) or "")
            except (LookupError, ValueError):
                target = None
        if target is None:
            return value
        label = label_of(target)
        if ref.kind == "labelled":
            return str(self.maps[label].get(str(value), "")) if label in self.maps else ""
        mapped = self.maps[label].get(str(value))
        if mapped is not None:
            return mapped
        return self._missing(target, value, own=ref.kind == "own", null=ref.null)

    def _text(self, value):
        if isinstance(value, str):
            if value in self.renamed:
                return self.renamed[value]
            if self.new_uuids and UUID_TEXT.search(value):
                return UUID_TEXT.sub(lambda m: self.new_uuids.get(m.group(0), m.group(0)), value)
            return value
        if isinstance(value, dict | list) and self.new_uuids:
            return json.loads(self._text(json.dumps(value)))
        return value

    def _map_row(self, model, row) -> dict:
        fields = dict(row["fields"])
        refs = references(model)
        for ref in refs:
            value = fields.get(ref.name)
            if value is None or value == "":
                continue
            if ref.kind == "fk":
                fields[ref.name] = self._foreign_key(model, ref, value, row)
            else:
                fields[ref.name] = self._soft(model, ref, value, fields)
        skip = {ref.name for ref in refs} | {ref.type_field for ref in refs if ref.type_field}
        m2m = {f.name for f in many_to_many(model)}
        for name in file_fields(model):
            if fields.get(name):
                fields[name] = self._file(fields[name], restore=not is_history(model))
            skip.add(name)
        for name, value in fields.items():
            if name not in skip and name not in m2m:
                fields[name] = self._text(value)
        renamed = self.row_renames.get((label_of(model), str(row["pk"])))
        if renamed:
            fields[renamed[0]] = renamed[1]
        return fields

    def _file(self, name: str, *, restore: bool) -> str:
        if name in self.stored or not restore:
            return self.stored.get(name, name)
        try:
            content = self.archive.read(file_path(name))
        except KeyError:
            return name  # missing before the export (listed in the manifest)
        saved = default_storage.save(name, ContentFile(content))
        self.written.append(saved)
        self.stored[name] = saved
        self.summary.files += 1
        return saved

    # -- inserting --------------------------------------------------------------------------------------------

    def _count(self, label, n=1):
        self.summary.rows[label] = self.summary.rows.get(label, 0) + n

    def _load(self, label):
        model = apps.get_model(label)
        m2m = {f.name for f in many_to_many(model)}
        uuid_pk = _is_uuid(model)
        for row in self.rows[label]:
            try:
                fields = self._map_row(model, row)
            except _LeaveOut:
                self.summary.left_out[label] = self.summary.left_out.get(label, 0) + 1
                continue
            old = str(row["pk"])
            pk = self.maps[label][old] if uuid_pk else None
            plain = {k: v for k, v in fields.items() if k not in m2m}
            obj = self._deserialize(label, [{"model": label, "pk": pk, "fields": plain}])[0].object
            obj.save_base(raw=True, force_insert=True)
            if not uuid_pk:
                self.maps[label][old] = obj.pk
            if m2m:
                self.pending_m2m.append((model, obj.pk, row))
            self._count(label)

    def _link_many(self):
        for model, pk, row in self.pending_m2m:
            for f in many_to_many(model):
                through = f.remote_field.through
                source, target = f.m2m_field_name(), f.m2m_reverse_field_name()
                target_label = label_of(f.related_model)
                ids = [self.maps[target_label].get(str(value)) for value in row["fields"].get(f.name) or []]
                through._base_manager.bulk_create(
                    [through(**{f"{source}_id": pk, f"{target}_id": value}) for value in ids if value is not None],
                    ignore_conflicts=True)

    def run(self):
        try:
            with transaction.atomic():
                self._partnership()
                self._agencies()
                self._people()
                self._plan_uuids()
                self._plan_renames()
                for label in self._order():
                    self._load(label)
                self._link_many()
        except IntegrityError as error:
            self._remove_written()
            raise ArchiveInvalid(f"The archive's rows clash with this installation's: {error}") from error
        except BaseException:
            self._remove_written()
            raise
        return self.partnership

    def _remove_written(self):
        for name in self.written:
            default_storage.delete(name)


class _LeaveOut(Exception):
    """The row names a partnership this installation does not have, through a column that needs one."""
