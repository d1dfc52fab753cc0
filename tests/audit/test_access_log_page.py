"""The access log page: its pages keep the filters, and its table scrolls on a narrow screen."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction, AccessLog
from tests.factories import default_partnership, make_user
from tests.referrals.factories import CaseFactory


@pytest.fixture
def bu_client(client, db):
    client.force_login(make_user(Role.BUSINESS_UNIT, full_name="Bea Unit"))
    return client


@pytest.mark.django_db
def test_the_next_and_previous_pages_of_the_access_log_keep_the_filters(bu_client):
    someone = make_user(Role.AGENCY_LEAD, full_name="Sam Someone")
    AccessLog.objects.bulk_create([AccessLog(user=someone, action=AccessAction.EXPORT, path=f"/exported/{i}/",
                                             partnership=default_partnership()) for i in range(120)])
    body = bu_client.get(reverse("audit:log"), {"user": someone.pk, "action": "export", "page": 2}).content.decode()
    assert "Page 2 of 3" in body
    assert f'href="?user={someone.pk}&amp;action=export&amp;page=1" rel="prev"' in body
    assert f'href="?user={someone.pk}&amp;action=export&amp;page=3" rel="next"' in body
    assert body.count('class="govuk-pagination"') == 1


@pytest.mark.django_db
def test_a_single_page_of_the_access_log_shows_no_page_links(bu_client):
    body = bu_client.get(reverse("audit:log")).content.decode()
    assert "govuk-pagination" not in body


@pytest.mark.django_db
def test_the_access_log_table_sits_in_a_labelled_region_a_keyboard_user_can_scroll(bu_client):
    body = bu_client.get(reverse("audit:log")).content.decode()
    assert '<div class="app-table-scroll" role="region" aria-label="Access log" tabindex="0">' in body


@pytest.mark.django_db
def test_every_time_a_case_was_opened_can_be_reached_from_its_history_page_by_page(bu_client):
    """Who opened a case, newest first, 50 to a page: the oldest line is on the last page (the page once showed the
    latest 200 and no more)."""
    case = CaseFactory()
    reader = make_user(Role.RR_CHAIR, full_name="Rhea Reader")
    AccessLog.objects.bulk_create([AccessLog(user=reader, action=AccessAction.VIEW, case_id=case.pk,
                                             path=f"/opened/{i:03d}/", partnership=default_partnership())
                                   for i in range(60)])
    url = reverse("audit:case_history", args=[case.pk])
    first = bu_client.get(url).content.decode()
    assert "61 times, the latest first." in first  # the 60 lines and this visit
    assert first.count("<code>/opened/") == 49 and "/opened/000/" not in first
    assert "Page 1 of 2" in first and 'href="?page=2" rel="next"' in first
    last = bu_client.get(url, {"page": 2}).content.decode()  # this visit is one more line: 012 moves to page 1
    assert "/opened/000/" in last and "/opened/011/" in last and "/opened/012/" not in last


@pytest.mark.django_db
def test_the_access_log_is_counted_along_its_own_order_so_the_count_walks_the_partnerships_index(bu_client):
    """Counted without an order, the planner read the national log from its start to find a partnership's first
    thousand lines, which lie at its end (a sequential scan, 17 ms); along the list's order the count walks the
    (partnership, newest first) index and stops at the cap (issue 20). Both pages that list lines count so."""
    case = CaseFactory()
    for url in (reverse("audit:log"), reverse("audit:case_history", args=[case.pk])):
        with CaptureQueriesContext(connection) as captured:
            assert bu_client.get(url).status_code == 200
        counts = [q["sql"] for q in captured.captured_queries
                  if q["sql"].startswith("SELECT COUNT(*)") and "audit_accesslog" in q["sql"]]
        assert len(counts) == 1, counts
        assert 'ORDER BY "audit_accesslog"."at" DESC, "audit_accesslog"."id" DESC' in counts[0]
