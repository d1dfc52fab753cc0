"""Migrating a database from before partnerships: the retention periods it had become its one partnership's, and
its access-log lines stay its own (they name no partnership and are older than the partnership's ``created_at``)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

BEFORE = [("audit", "0006_accesslog_partnership"), ("accounts", "0004_partnership_slugs_and_roles")]
AFTER = [("audit", "0007_retention_per_partnership"), ("accounts", "0005_partnership_created_at")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_retention_periods_from_before_partnerships_become_the_one_partnerships():
    if not MigrationRecorder(connection).migration_qs.filter(app="audit").exists():
        pytest.skip("the test database was made without migrations (--nomigrations)")
    try:
        old = _migrate(BEFORE)
        partnerships = old.get_model("accounts", "Partnership").objects
        # The migrations made the installation's one partnership already (it holds the seeded themes).
        partnership = partnerships.first() or partnerships.create(
            name="Tower Hamlets Safeguarding Children Partnership", short_name="THSCP", slug="thscp")
        assert partnerships.count() == 1
        old.get_model("audit", "RetentionRule").objects.create(record_type="not_met", years_after_closure=9)
        old.get_model("audit", "AccessLog").objects.create(action="view", path="/from-before/")
        new = _migrate(AFTER)
        rule = new.get_model("audit", "RetentionRule").objects.get()
        assert (rule.partnership_id, rule.years_after_closure) == (partnership.pk, 9)
        migrated = new.get_model("accounts", "Partnership").objects.get(pk=partnership.pk)
        line = new.get_model("audit", "AccessLog").objects.get(path="/from-before/")
        assert line.partnership_id is None and line.at < migrated.created_at
    finally:
        _migrate(list(MigrationExecutor(connection).loader.graph.leaf_nodes()))
