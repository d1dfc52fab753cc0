"""The model bases' and query helpers' promises (ADR 0036): labels as Django gives them, a planner setting that lasts
one statement, and the reminder sweep's people read in one query."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext

from rapidreview.accounts.models import Role
from rapidreview.accounts.selectors import RECIPIENT_FIELDS, people_with_role_in
from rapidreview.db import CachedChoiceLabels, explain_sql, joins_as_written
from tests.factories import AgencyFactory, default_partnership, make_user

postgres_only = pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
                                   reason="join_collapse_limit is PostgreSQL's")


def _fields_with_choices():
    for model in apps.get_models():
        if issubclass(model, CachedChoiceLabels):
            for field in model._meta.concrete_fields:
                if field.choices:
                    yield model, field


def test_every_label_is_the_one_django_gives():
    checked = 0
    for model, field in _fields_with_choices():
        for value in [*(value for value, _ in field.flatchoices), "not-a-choice", None]:
            row = model()
            setattr(row, field.attname, value)
            assert getattr(row, f"get_{field.name}_display")() == models.Model._get_FIELD_display(row, field), (
                model, field.name, value)
            checked += 1
    assert checked > 200  # clocks, stages, outcomes, statuses...: the bases reach the models that label rows


def _planner_setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        return cursor.fetchone()[0]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_joins_as_written_holds_for_each_statement_and_ends_with_it():
    default = _planner_setting()
    assert default != "1"
    with joins_as_written():
        assert _planner_setting() == "1"
        assert _planner_setting() == "1"  # each statement carries it
    assert _planner_setting() == default  # nothing outlives the block's statements
    with transaction.atomic():
        with joins_as_written():
            # Inside a transaction it would last to the end of the transaction: it is not applied there.
            assert _planner_setting() == default
        assert _planner_setting() == default


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_statement_run_as_written_is_explained_as_it_ran():
    with CaptureQueriesContext(connection) as queries, joins_as_written():
        list(default_partnership().agencies.all())
    sql = queries.captured_queries[-1]["sql"]
    assert sql.startswith("SET LOCAL join_collapse_limit = 1; SELECT")
    with connection.cursor() as cursor:
        cursor.execute(explain_sql(sql))
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Scan" in plan
    assert explain_sql('SELECT 1', "(ANALYZE)") == "EXPLAIN (ANALYZE) SELECT 1"


@pytest.mark.django_db
def test_the_people_a_sweep_reminds_are_read_in_one_query_with_what_a_reminder_needs():
    partnership = default_partnership()
    agency = AgencyFactory()
    leads = [make_user(Role.AGENCY_LEAD, agency=agency, full_name=f"Lead {n}") for n in range(3)]
    with CaptureQueriesContext(connection) as queries:
        found = people_with_role_in(Role.AGENCY_LEAD, [partnership.pk], agency_ids=[agency.pk])
        people = found[partnership.pk]
        read = [tuple(getattr(person, name) for name in RECIPIENT_FIELDS) for person in people]
    assert len(queries.captured_queries) == 1
    assert [person.pk for person in people] == [lead.pk for lead in leads]  # by name
    assert read[0] == (leads[0].pk, leads[0].email, "Lead 0", True, agency.pk)
