"""Trigram indexes for the case list's search (ADR 0019), on PostgreSQL only.

The search is ``icontains`` on the reference and the child's names, which Django writes as
``UPPER(column::text) LIKE UPPER('%term%')``: a B-tree cannot serve a leading wildcard, a GIN trigram index on
``UPPER(column)`` can. SQLite (the demo and development runs) has neither ``pg_trgm`` nor GIN, so there these steps
do nothing; the indexes are not in the models' ``Meta`` for the same reason. (Django's ``TrigramExtension``
guards only its forward step by database, so the extension is created here too; going back removes the indexes and
leaves the extension, which other databases' objects may use.)
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models.functions import Upper

SEARCHED = ("reference", "child_first_name", "child_last_name")


def _indexes():
    return [GinIndex(OpClass(Upper(column), name="gin_trgm_ops"), name=f"case_{column}_trgm_idx")
            for column in SEARCHED]


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    case = apps.get_model("referrals", "Case")
    for index in _indexes():
        schema_editor.add_index(case, index)


def remove_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    case = apps.get_model("referrals", "Case")
    for index in _indexes():
        schema_editor.remove_index(case, index)


class Migration(migrations.Migration):

    dependencies = [
        ("referrals", "0007_bounded_list_indexes"),
    ]

    operations = [
        migrations.RunPython(add_trigram_indexes, remove_trigram_indexes, elidable=False),
    ]
