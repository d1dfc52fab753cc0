"""Paged lists count at most 1,000 rows: past that they say "more than 1,000" and still page forwards and back."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction, AccessLog
from rapidreview.pagination import BoundedPaginator
from tests.factories import default_partnership, make_user


def _exports_by(person, how_many):
    AccessLog.objects.bulk_create([AccessLog(user=person, action=AccessAction.EXPORT, path=f"/exported/{i}/",
                                             partnership=default_partnership()) for i in range(how_many)])


@pytest.fixture
def bu_client(client, db):
    client.force_login(make_user(Role.BUSINESS_UNIT, full_name="Bea Unit"))
    return client


@pytest.mark.django_db
def test_a_list_longer_than_a_thousand_rows_says_more_than_a_thousand_and_pages_on(bu_client):
    someone = make_user(Role.AGENCY_LEAD, full_name="Sam Someone")
    _exports_by(someone, 1_010)
    filters = {"user": someone.pk, "action": "export"}

    first = bu_client.get(reverse("audit:log"), filters).content.decode()
    assert "More than 1,000 lines" in first
    assert "1010" not in first and "1,010" not in first
    assert ">Page 1</span>" in first  # no "of": the last page is not known without counting every row
    assert f'href="?user={someone.pk}&amp;action=export&amp;page=2" rel="next"' in first
    assert 'rel="prev"' not in first

    # 50 to a page: page 21 holds the last ten rows, and offers no next page.
    last = bu_client.get(reverse("audit:log"), {**filters, "page": 21}).content.decode()
    assert ">Page 21</span>" in last
    assert f'href="?user={someone.pk}&amp;action=export&amp;page=20" rel="prev"' in last
    assert 'rel="next"' not in last
    assert last.count("/exported/") == 10


@pytest.mark.django_db
def test_a_list_of_exactly_a_thousand_rows_gives_its_count_and_its_last_page(bu_client):
    someone = make_user(Role.AGENCY_LEAD, full_name="Sam Someone")
    _exports_by(someone, 1_000)
    body = bu_client.get(reverse("audit:log"), {"user": someone.pk, "action": "export", "page": 99}).content.decode()
    assert "1,000 lines" in body and "More than" not in body
    assert "Page 20 of 20" in body  # a page past the end shows the last one, as before
    assert 'rel="next"' not in body


@pytest.mark.django_db
def test_counting_a_list_reads_at_most_one_row_past_the_cap(db):
    someone = make_user(Role.AGENCY_LEAD)
    _exports_by(someone, 12)
    rows = AccessLog.objects.filter(user=someone).order_by("-at", "-id")
    with CaptureQueriesContext(connection) as queries:
        paginator = BoundedPaginator(rows, 5, cap=10)
        page = paginator.get_page(2)
        shown = list(page)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 11" in counts[0]
    assert paginator.capped and paginator.display_count == "more than 10"
    assert len(shown) == 5 and page.has_next() and page.has_previous()
    assert len(queries) == 2  # the bounded count, then the page with one row more


@pytest.mark.django_db
def test_a_page_number_past_the_end_of_an_uncounted_list_shows_the_first_page(db):
    someone = make_user(Role.AGENCY_LEAD)
    _exports_by(someone, 12)
    paginator = BoundedPaginator(AccessLog.objects.filter(user=someone).order_by("-at", "-id"), 5, cap=10)
    assert paginator.get_page(9).number == 1
    assert paginator.get_page("nonsense").number == 1
    third = paginator.get_page(3)
    assert len(third) == 2 and not third.has_next() and third.end_index() == 12
