"""Model bases every app shares, and one bulk write."""

import uuid
from collections import defaultdict

from django.db import connections, models
from django.db.models import Case, Value, When
from django.db.models.functions import Cast


class UUIDModel(models.Model):
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


def update_each(model, values: dict) -> int:
    """One UPDATE giving each row its own values: ``values`` maps a primary key to {field name: value}, the same
    fields for every row. Each field is a CASE naming each distinct value once with the keys that take it, so the
    statement grows with the distinct values, not with the rows (``bulk_update`` writes a WHEN per row and field,
    and building those took seconds for a thousand rows). Sends no signals: callers call ``model_changed``."""
    if not values:
        return 0
    manager = model._base_manager
    # PostgreSQL types a CASE of parameters (or of NULLs alone) as text: cast it, as bulk_update does.
    cast = connections[manager.db].features.requires_casted_case_in_updates
    cases = {}
    for name in next(iter(values.values())):
        by_value = defaultdict(list)
        for pk, row in values.items():
            by_value[row[name]].append(pk)
        field = model._meta.get_field(name)
        case = Case(*[When(pk__in=pks, then=Value(value, output_field=field)) for value, pks in by_value.items()],
                    output_field=field)
        cases[name] = Cast(case, output_field=field) if cast else case
    return manager.filter(pk__in=list(values)).update(**cases)
