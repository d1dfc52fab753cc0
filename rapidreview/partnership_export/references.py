"""Where a row names another row: the columns the export checks and the import maps to new ids.

- ``fk``: a foreign key (history tables keep them as plain indexed columns, without a database constraint);
- ``own``: a history row's copy of the recorded row's primary key;
- ``case``: a bare ``case_id`` column;
- ``generic``: a generic relation's id column, whose model is named by a content type column;
- ``labelled``: an id column whose model is named by a label column (the access log's ``object_type``).
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

from .scope import CASE, LABELLED_REFERENCES, foreign_keys, generic_keys, is_history, label_of, soft_case_field


@dataclass(frozen=True)
class Reference:
    kind: str  # fk, own, case, generic, labelled
    name: str  # the field's name (as the serialized row writes it)
    attname: str  # the attribute on the model instance
    null: bool
    target: type | None = None  # fk, own, case
    type_field: str = ""  # generic: the content type field's name; labelled: the label column


@cache
def references(model) -> tuple[Reference, ...]:
    found = [Reference("fk", f.name, f.attname, f.null, f.related_model) for f in foreign_keys(model)]
    if is_history(model) and model._meta.pk.name == "history_id":
        base = model.instance_type
        pk = model._meta.get_field(base._meta.pk.attname)
        found.append(Reference("own", pk.name, pk.attname, pk.null, base))
    soft = soft_case_field(model)
    if soft is not None:
        found.append(Reference("case", soft.name, soft.attname, soft.null, apps.get_model(CASE)))
    for type_field, id_field in generic_keys(model):
        f = model._meta.get_field(id_field)
        found.append(Reference("generic", f.name, f.attname, f.null, None, type_field))
    labelled = LABELLED_REFERENCES.get(label_of(model))
    if labelled:
        f = model._meta.get_field(labelled[1])
        found.append(Reference("labelled", f.name, f.attname, f.null, None, labelled[0]))
    return tuple(found)


def many_to_many(model) -> list[models.ManyToManyField]:
    """Many-to-many fields whose link table Django made (their rows travel inside the owning row)."""
    return [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]


def file_fields(model) -> list[str]:
    """Names of the columns that hold a stored file's name; a history table keeps them as text."""
    source = model.instance_type if is_history(model) else model
    names = [f.name for f in source._meta.concrete_fields if isinstance(f, models.FileField)]
    own = {f.name for f in model._meta.concrete_fields}
    return [name for name in names if name in own]
