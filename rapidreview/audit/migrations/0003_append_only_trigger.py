"""On PostgreSQL, the database itself refuses to change or delete access-log and retention-action rows.

The application already refuses (``ImmutableQuerySet``, ``save``/``delete`` overrides, a read-only admin); this
stops anyone with a database connection as the application's user doing it by hand. TRUNCATE is left alone so
that test databases can be emptied. SQLite (the demo) has no such trigger.
"""

from django.db import migrations

TABLES = ("audit_accesslog", "audit_retentionaction")

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The % table is append-only: rows cannot be changed or deleted.', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # params=None: the % in the message is not a placeholder
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS audit_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_retention_and_legal_hold")]

    operations = [migrations.RunPython(create, drop)]
