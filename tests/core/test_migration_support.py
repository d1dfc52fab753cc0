"""The backfill the partnership migrations use fills a table in batches (issue 22: add the column, backfill in
batches, then constrain), and fills only the rows that have no partnership yet."""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapidreview.accounts import migration_support
from rapidreview.notifications.models import Notification
from tests.factories import default_partnership, make_partnership


def _notification(n: int, partnership=None) -> Notification:
    return Notification.objects.create(to_email=f"person{n}@example.test", partnership=partnership,
                                       subject="A subject", body_text="A body", kind="test.kind",
                                       idempotency_key=f"backfill-{n}")


@pytest.mark.django_db
def test_rows_without_a_partnership_are_filled_a_batch_at_a_time_and_the_others_are_left(monkeypatch):
    legacy = default_partnership()
    for n in range(5):
        _notification(n)
    other = make_partnership("Another Safeguarding Children Partnership", slug="another")
    theirs = _notification(99, partnership=other)
    monkeypatch.setattr(migration_support, "legacy_partnership_id", lambda apps: legacy.pk)
    monkeypatch.setattr(migration_support, "BATCH_SIZE", 2)

    with CaptureQueriesContext(connection) as queries:
        migration_support.assign_to_legacy(apps, "notifications", "Notification")

    updates = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 3, "five rows in batches of two"
    assert set(Notification.objects.exclude(pk=theirs.pk).values_list("partnership_id", flat=True)) == {legacy.pk}
    assert Notification.objects.get(pk=theirs.pk).partnership_id == other.pk

    with CaptureQueriesContext(connection) as again:
        migration_support.assign_to_legacy(apps, "notifications", "Notification")
    assert not [q for q in again.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
