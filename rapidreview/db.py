"""Model bases every app shares."""

import uuid

from django.db import models


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


class DomainError(Exception):
    """A rule of the process was broken; the message is safe to show to the user."""

    @property
    def errors(self) -> list[tuple[str | None, str]]:
        """(field name or None, message) pairs for a form's error summary; a subclass may name fields."""
        return [(None, str(self))]
