"""On PostgreSQL, the database refuses to change or delete signatures and change-history rows (issue 21, finding 13).

Like the access log's trigger (migration 0003), a trigger on each protected table raises on UPDATE and DELETE.
One exception, for the retention review only: a transaction that has set ``rapidreview.retention = 'on'`` may
blank or delete rows, **if it runs as the tables' owner**. In production the application connects as a role that
owns nothing (docs/security.md), so neither it nor anyone who takes it over can rewrite history, even by setting
the flag; the retention review runs with the owner's connection (the ``migrate`` service). The owner could drop
the triggers anyway: that is why the application must not be the owner.

Protected: ``decisions_signature`` and every simple-history table (``<app>_historical<model>``). Tables created
by later migrations are covered too: ``protect_tables`` runs after every ``migrate`` (post_migrate).
"""

from django.db import connection as default_connection

FUNCTION_NAME = "rapidreview_refuse_rewrite"
RETENTION_FLAG = "rapidreview.retention"
SIGNATURE_TABLES = ("decisions_signature",)

FUNCTION = """
CREATE OR REPLACE FUNCTION rapidreview_refuse_rewrite() RETURNS trigger AS $$
BEGIN
    IF current_setting('rapidreview.retention', true) = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The % table is append-only: rows cannot be changed or deleted.', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _protected_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'r' AND n.nspname = current_schema() "
        "AND (c.relname LIKE %s OR c.relname = ANY(%s))",
        [r"%\_historical%", list(SIGNATURE_TABLES)])
    return sorted(row[0] for row in cursor.fetchall())


# PostgreSQL keeps the first 63 bytes of a name (NAMEDATALEN - 1): a long history table's trigger is stored cut
# short, and must be looked for and dropped by that name, or every later ``migrate`` tries to create it again.
MAX_NAME = 63


def trigger_name(table: str) -> str:
    return f"{table}_append_only".encode()[:MAX_NAME].decode("utf-8", "ignore")


def _triggered_tables(cursor) -> set[str]:
    cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = "
                   "left(c.relname || '_append_only', %s)", [MAX_NAME])
    return {row[0] for row in cursor.fetchall()}


def protect_tables(connection=None) -> list[str]:
    """Create the function and any missing triggers; returns the tables newly protected. PostgreSQL only."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION)
        done = _triggered_tables(cursor)
        added = [t for t in _protected_tables(cursor) if t not in done]
        for table in added:
            cursor.execute(f'CREATE TRIGGER "{trigger_name(table)}" BEFORE UPDATE OR DELETE ON "{table}" '
                           f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION_NAME}()")
    return added


def unprotect_tables(connection=None) -> None:
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in _protected_tables(cursor):
            cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger_name(table)}" ON "{table}"')
        cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION_NAME}()")


def allow_retention_rewrite(connection=None) -> None:
    """Within the current transaction, let the retention review blank or delete protected rows (as the owner)."""
    connection = connection or default_connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL {RETENTION_FLAG} = 'on'")
