"""The sweep advances clocks in place (ADR 0036).

No index names the columns the sweep changes on every clock it reminds about (``next_step``, ``next_reminder_on``,
``updated_at``), so PostgreSQL can update each row in place (a heap-only tuple update) instead of writing an entry
into every index of the table. An in-place update needs room on the row's page: on PostgreSQL the table keeps a
tenth of each new page free. SQLite has no such setting, so there that step does nothing.
"""

from django.db import migrations


def leave_room_on_each_page(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE clocks_clock SET (fillfactor = 90)")


def pack_pages_full(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE clocks_clock RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [
        ('clocks', '0011_reminder_clock_covered_by_unique_key'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='clock',
            name='clock_sweep_idx',
        ),
        migrations.RunPython(leave_room_on_each_page, pack_pages_full),
    ]
