"""On PostgreSQL, signatures and change-history rows can no longer be changed or deleted (rapidreview/audit/protection.py).

Tables that later migrations create are protected after each ``migrate`` by the post_migrate hook in apps.py.
"""

from django.db import migrations


def create(apps, schema_editor):
    from rapidreview.audit.protection import protect_tables

    protect_tables(schema_editor.connection)


def drop(apps, schema_editor):
    from rapidreview.audit.protection import unprotect_tables

    unprotect_tables(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_trigger")]

    operations = [migrations.RunPython(create, drop)]
