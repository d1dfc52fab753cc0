"""The access log page: its pages keep the filters, and its table scrolls on a narrow screen."""

import pytest
from django.urls import reverse

from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction, AccessLog
from tests.factories import default_partnership, make_user


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
