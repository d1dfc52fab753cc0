"""Model bases every app shares, and one bulk write."""

import contextlib
import functools
import uuid

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@functools.cache
def _choice_labels(field) -> dict:
    return dict(make_hashable(field.flatchoices))


class CachedChoiceLabels:
    """``get_FOO_display()`` from each field's labels, built once per process: Django builds a dictionary of the
    field's choices on every call, which a list or a reminder sweep makes for every row (ADR 0036). A field's
    choices are fixed when its model is defined, so the labels and the output are Django's own."""

    def _get_FIELD_display(self, field):
        return choice_label(field, getattr(self, field.attname))


def choice_label(field, value) -> str:
    """What ``get_FOO_display()`` gives for ``value`` of the model field ``field``, for a value read without its
    model (``values()``)."""
    return force_str(_choice_labels(field).get(make_hashable(value), value), strings_only=True)


class UUIDModel(CachedChoiceLabels, models.Model):
    """A model whose primary key cannot be guessed or enumerated, so it is safe in a URL."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class TimeStampedModel(UUIDModel):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SubqueryCount(models.Subquery):
    """The number of rows of a queryset correlated with ``OuterRef``: a count per listed row that needs no GROUP BY
    of the list, so a paged list still reads its rows in index order and stops at the page (ADR 0019). For a
    distinct count, pass ``rows.values("field").distinct()``."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = models.IntegerField()

    def __init__(self, queryset, **extra):
        # Without the model's default ordering, which DISTINCT would otherwise count as part of each row.
        super().__init__(queryset.order_by(), **extra)


class InFewIds(models.Lookup):
    """``lhs IN (subquery)`` for a subquery that returns a few thousand ids at most (a partnership's cases, a plan's
    actions). On PostgreSQL it is written ``lhs = ANY(ARRAY(subquery))``: the subquery runs once and its ids are
    looked up in ``lhs``'s index. Written as ``IN``, the planner hashes the ids and scans the whole table, whose
    matching rows it expects to be many (issue 20). Use it as a filter: ``qs.filter(InFewIds(F("pk"), subquery))``.
    """

    lookup_name = "in_few_ids"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


class DomainError(Exception):
    """A rule of the process was broken; the message is safe to show to the user."""

    @property
    def errors(self) -> list[tuple[str | None, str]]:
        """(field name or None, message) pairs for a form's error summary; a subclass may name fields."""
        return [(None, str(self))]


def update_each(model, values: dict, *, batch: int = 500) -> int:
    """One UPDATE per ``batch`` rows giving each row its own values: ``values`` maps a primary key to {field name:
    value}, the same fields for every row. The rows' values are a VALUES list joined to the table by primary key
    (``UPDATE ... FROM (VALUES ...)``, PostgreSQL and SQLite 3.33+), so the statement grows by one short tuple per
    row and takes no expression building: ``bulk_update`` writes a CASE WHEN per row and field, and building those
    took most of a second for the sweep's thousand clocks (issue 20). Sends no signals: callers call
    ``model_changed``."""
    if not values:
        return 0
    manager = model._base_manager
    connection = connections[manager.db]
    meta = model._meta
    names = list(next(iter(values.values())))
    fields = [meta.get_field(name) for name in names]
    columns = list(zip(names, fields, strict=True))
    quote = connection.ops.quote_name
    # PostgreSQL types the parameters of a VALUES list from its first row, text when unknown: name each column's
    # type. SQLite stores what it is given, as the ORM would have prepared it.
    typed = connection.vendor == "postgresql"
    cells = [f"CAST(%s AS {field.db_type(connection)})" if typed else "%s" for field in (meta.pk, *fields)]
    row_sql = f"({', '.join(cells)})"
    assignments = ", ".join(f"{quote(field.column)} = v.column{number}" for number, field in enumerate(fields, 2))
    items = list(values.items())
    changed = 0
    with connection.cursor() as cursor:
        for start in range(0, len(items), batch):
            chunk = items[start:start + batch]
            params = []
            for pk, row in chunk:
                params.append(meta.pk.get_db_prep_value(pk, connection))
                params.extend(field.get_db_prep_save(row[name], connection) for name, field in columns)
            # Table, column and type names come from the model, never from input; every value is a parameter.
            sql = (f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608  # nosec B608
                   f"FROM (VALUES {', '.join([row_sql] * len(chunk))}) AS v "
                   f"WHERE {quote(meta.db_table)}.{quote(meta.pk.column)} = v.column1")
            cursor.execute(sql, params)
            changed += cursor.rowcount
    return changed


@contextlib.contextmanager
def joins_as_written(using: str = DEFAULT_DB_ALIAS):
    """Let PostgreSQL plan the queries run inside with their joins in the order the ORM wrote them
    (``join_collapse_limit = 1``), for a query whose written order is already the best: one row found by its key,
    then its one-to-one records. PostgreSQL otherwise weighs every order of every eight joins, and the case page's
    twenty took it 9 ms to plan and 2 ms to run (ADR 0036).

    Each statement is sent as ``SET LOCAL ...; <statement>``: PostgreSQL runs the two as one implicit transaction,
    so the setting ends with the statement and costs no round trip. Inside a transaction it would last until the
    transaction ends, so there (and on other databases) the queries are planned as usual."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not connection.get_autocommit():
        yield
        return
    with connection.execute_wrapper(_planned_as_written):
        yield


_AS_WRITTEN = "SET LOCAL join_collapse_limit = 1; "


def _planned_as_written(execute, sql, params, many, context):
    if many:
        return execute(sql, params, many, context)
    return execute(_AS_WRITTEN + sql, params, many, context)


def explain_sql(sql: str, options: str = "") -> str:
    """``EXPLAIN options`` of a statement as it was run (captured from a page), under the planner setting it was
    sent with (``joins_as_written``)."""
    prefix = _AS_WRITTEN if sql.startswith(_AS_WRITTEN) else ""
    return f"{prefix}EXPLAIN {options}{' ' if options else ''}{sql[len(prefix):]}"


def history_copy(model, pks, *, date, history_type: str = "~") -> int:
    """Record the current state of ``model``'s rows ``pks`` in its django-simple-history table, as each row's
    ``save()`` would have (history type ``~``, no user), in one ``INSERT ... SELECT``: the database copies the rows,
    so no historical instance is built in Python (``bulk_history_create`` built one per row; issue 20). Sends no
    signals, as ``bulk_history_create`` sends none."""
    if not pks:
        return 0
    history = model.history.model
    tracked = [field for field in history._meta.concrete_fields if not field.name.startswith("history_")]
    rows = (model._base_manager.filter(pk__in=list(pks)).order_by()
            .annotate(_history_date=models.Value(date, output_field=models.DateTimeField()),
                      _history_type=models.Value(history_type, output_field=models.CharField()))
            .values_list(*[field.attname for field in tracked], "_history_date", "_history_type"))
    connection = connections[rows.db]
    quote = connection.ops.quote_name
    columns = [*(field.column for field in tracked), "history_date", "history_type"]
    select, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        # Table and column names come from the models; every value is a parameter of the SELECT.
        cursor.execute(f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(map(quote, columns))}) "  # noqa: S608  # nosec B608
                       f"{select}", params)
        return cursor.rowcount
