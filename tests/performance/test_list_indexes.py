"""On PostgreSQL, the pages' default list queries can be answered from an index that gives their order, and the
case list and its search from the partnership's cases, found by primary key (ADR 0019, issue 20). The tables here
are tiny, so the planner is told to avoid sequential scans and sorts: a query that still needs one has no index that
serves it. Each query is the page's own, built as its view builds it, and explained with a page's LIMIT."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actionplan.selectors import ACTION_SHOWN, action_list, actions_visible_to, changes_since, overdue_actions
from rapidreview.accounts.models import Role
from rapidreview.audit.selectors import case_access_lines
from rapidreview.clocks.filters import OPEN, DeadlineFilter
from rapidreview.clocks.selectors import all_deadlines
from referrals.filters import CaseFilter
from referrals.selectors import case_list
from tests.factories import make_user
from tests.referrals.factories import CaseFactory
from themes.selectors import learning_overview

pytestmark = [
    pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
                       reason="the indexes are PostgreSQL's (trigram indexes exist only there)"),
    pytest.mark.django_db,
]


def _plan(rows, *, sorted_by_index: bool) -> str:
    sql, params = rows[:25].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if sorted_by_index:
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_searching_the_case_list_reads_only_the_partnerships_cases():
    # The partnership's few hundred cases are found by primary key and searched; the trigram indexes (ADR 0019) are
    # no longer needed for it since the access rule stopped reading every case (issue 20).
    user = make_user(Role.BUSINESS_UNIT)
    rows = CaseFilter(QueryDict("q=smith"), queryset=case_list(user)).qs
    plan = _plan(rows, sorted_by_index=False)
    assert "Index Cond: (id = ANY" in plan and "Seq Scan on referrals_case" not in plan, plan


def test_the_action_plan_reads_its_page_in_order_from_its_index_without_grouping():
    plan = _plan(action_list(make_user(Role.WORKING_GROUP)), sorted_by_index=True)
    assert "action_plan_idx" in plan and "Seq Scan on actionplan_action" not in plan, plan
    assert "GroupAggregate" not in plan and "HashAggregate" not in plan, plan


def test_all_deadlines_reads_its_page_in_order_from_its_index():
    user = make_user(Role.BUSINESS_UNIT)
    rows = DeadlineFilter(QueryDict(f"state={OPEN}"), queryset=all_deadlines(user)).qs
    assert "clock_partnership_due_idx" in _plan(rows, sorted_by_index=True)


def test_the_learning_page_reads_its_page_in_order_from_its_index():
    user = make_user(Role.BUSINESS_UNIT)
    past = learning_overview(partnership=user.partnership, kind="", today=timezone.localdate())["past"]
    assert "learning_partnership_idx" in _plan(past, sorted_by_index=True)


def test_the_case_list_reads_the_partnerships_cases_by_primary_key_not_every_case():
    # "Led by the partnership OR taking part" could use no index, so every case of the installation was read.
    plan = _plan(case_list(make_user(Role.BUSINESS_UNIT)), sorted_by_index=False)
    assert "Index Cond: (id = ANY" in plan and "Seq Scan on referrals_case" not in plan, plan


def test_changes_since_the_last_meeting_reads_the_plans_progress_updates_from_its_index_in_order():
    # Each update carries its action's plan (ADR 0033): the period's updates of one plan are read from (partnership,
    # at), newest first, without probing every older action of the plan or walking other plans' updates.
    group = make_user(Role.WORKING_GROUP)
    since = timezone.localdate() - datetime.timedelta(days=30)
    with CaptureQueriesContext(connection) as queries:
        changes_since(partnership=group.partnership, since=since)
    sql = next(q["sql"] for q in queries if 'FROM "actionplan_actionupdate"' in q["sql"])
    assert '"actionplan_actionupdate"."partnership_id" =' in sql, sql
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Already in date order from the index; only updates of the same moment are put in id order.
    assert "actionupdate_plan_idx" in plan, plan
    assert "Sort Key" not in plan or "Presorted Key: actionplan_actionupdate.at" in plan, plan


def test_the_working_groups_overdue_and_awaiting_lists_read_their_plans_open_actions_from_its_index():
    # The partial indexes lead with the partnership: one plan's open actions in due order, not every plan's.
    group = make_user(Role.WORKING_GROUP)
    overdue = overdue_actions(group).order_by("due_on").values(*ACTION_SHOWN)
    assert "action_open_due_idx" in _plan(overdue, sorted_by_index=True)
    awaiting = actions_visible_to(group).filter(status="completed", completion_confirmed_at__isnull=True)
    assert "action_awaiting_idx" in _plan(awaiting.order_by("completed_on"), sorted_by_index=True)


def test_who_opened_a_case_reads_its_page_in_order_from_the_cases_index():
    # The history page's "who has opened this case": a case opened thousands of times is read in order and the
    # read stops at the page, for the first partnership (whose lines include those from before partnerships) too.
    user = make_user(Role.BUSINESS_UNIT)
    case = CaseFactory(partnership=user.partnership)
    plan = _plan(case_access_lines(user, case), sorted_by_index=True)
    assert "accesslog_case_idx" in plan and "Sort" not in plan, plan
