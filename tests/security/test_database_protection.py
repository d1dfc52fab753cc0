"""Issue 21, finding 13: on PostgreSQL, signatures and change history cannot be changed or deleted by hand."""

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from rapidreview.audit.protection import allow_retention_rewrite, protect_tables, trigger_name
from rapidreview.audit.retention import case_anonymise

from .world import build_world

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
                       reason="the database triggers exist only on PostgreSQL"),
]


def _refused(sql, params):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _signature():
    from decisions.models import DecisionSheetVersion, Signature

    world = build_world()
    sheet = world.objects["A"]["sheet"]
    version = DecisionSheetVersion.objects.filter(sheet=sheet).order_by("-number").first()
    signature = Signature.objects.create(sheet=sheet, version=version, partner="health", signer=world.users["exec"],
                                         outcome="agree", signed_at=timezone.now())
    return world, signature


def test_postgresql_refuses_to_change_or_delete_a_signature():
    _, signature = _signature()
    _refused("UPDATE decisions_signature SET outcome = 'dispute' WHERE id = %s", [signature.pk])
    _refused("DELETE FROM decisions_signature WHERE id = %s", [signature.pk])
    signature.refresh_from_db()
    assert signature.outcome == "agree"


def test_postgresql_refuses_to_change_or_delete_change_history_rows():
    world, _ = _signature()
    case = world.objects["A"]["case"]
    history = case.history.model
    row = history.objects.filter(id=case.pk).first()
    assert history._meta.db_table == "referrals_historicalcase"
    _refused("UPDATE referrals_historicalcase SET child_first_name = 'Forged' WHERE history_id = %s", [row.pk])
    _refused("DELETE FROM referrals_historicalcase WHERE history_id = %s", [row.pk])
    # Setting the retention flag is not enough on its own for just anyone: only the owner (here, the test's
    # superuser) may rewrite, and only with it.
    with transaction.atomic():
        allow_retention_rewrite()
        with connection.cursor() as cursor:
            cursor.execute("UPDATE referrals_historicalcase SET child_last_name = child_last_name "
                           "WHERE history_id = %s", [row.pk])


def _history_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE c.relkind = 'r' AND n.nspname = current_schema() AND c.relname LIKE %s",
                       [r"%\_historical%"])
        return {r[0] for r in cursor.fetchall()}


def test_every_history_table_and_the_signatures_have_the_trigger():
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE c.relkind = 'r' AND n.nspname = current_schema() AND c.relname LIKE %s",
                       [r"%\_historical%"])
        tables = {r[0] for r in cursor.fetchall()} | {"decisions_signature"}
        cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                       "WHERE t.tgname = left(c.relname || '_append_only', 63)")
        triggered = {r[0] for r in cursor.fetchall()}
    assert len(tables) > 10
    assert tables <= triggered, sorted(tables - triggered)


def test_protecting_again_after_a_migration_adds_nothing_even_for_names_postgresql_cuts_short():
    long_names = [t for t in _history_tables() if len(trigger_name(t)) < len(f"{t}_append_only")]
    assert long_names, "a history table whose trigger name is longer than PostgreSQL keeps"
    assert protect_tables() == []


def test_the_retention_review_can_still_anonymise_history_as_the_owner():
    world, _ = _signature()
    case = world.objects["A"]["case"]
    case_anonymise(case_id=case.pk)
    assert not case.history.filter(child_last_name="Matrixcase").exists()
