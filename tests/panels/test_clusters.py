"""Clustered notifications: an alert when SINs fall within 10 working days of each other, and the liaison record."""

import datetime

import pytest
from django.urls import reverse

from panels import selectors, services
from panels.registry import business_unit_card, case_section
from rapidreview.db import DomainError

from .factories import PanelCaseFactory as CaseFactory

D = datetime.date


class _Request:
    def __init__(self, user):
        self.user = user


def test_notifications_ten_working_days_apart_are_a_cluster(traveller, db):
    a = CaseFactory(sin_notified_on=D(2026, 3, 2))
    b = CaseFactory(sin_notified_on=D(2026, 3, 16))  # working day 10 after 2 March
    assert selectors.cluster_for(a) == [b]
    assert selectors.cluster_for(b) == [a]


def test_notifications_eleven_working_days_apart_are_not(traveller, db):
    a = CaseFactory(sin_notified_on=D(2026, 3, 2))
    CaseFactory(sin_notified_on=D(2026, 3, 17))
    assert selectors.cluster_for(a) == []
    assert selectors.active_clusters(partnership=a.partnership) == []


def test_bank_holidays_do_not_count_towards_the_window(traveller, db):
    a = CaseFactory(sin_notified_on=D(2026, 3, 30))
    b = CaseFactory(sin_notified_on=D(2026, 4, 15))  # 16 calendar days, but 10 working days (Easter)
    assert selectors.cluster_for(a) == [b]


def test_the_dashboard_and_the_case_page_show_the_alert_until_liaison_is_recorded(traveller, bu):
    a = CaseFactory(sin_notified_on=D(2026, 3, 2))
    b = CaseFactory(sin_notified_on=D(2026, 3, 4))
    card = business_unit_card(_Request(bu))
    assert [c.pk for c in card["clusters"][0]["cases"]] == [a.pk, b.pk]
    assert case_section(_Request(bu), a)["cluster"] == [b]
    services.liaison_record(partnership=a.partnership, cases=[a, b], liaised_on=D(2026, 3, 2),
                            contact="Sam Okafor with the Panel secretariat",
                            timelines_agreed="Panel for the second case on working day 12", actor=bu)
    card = business_unit_card(_Request(bu))
    assert card is None or card["clusters"] == []
    assert selectors.liaison_for(a).timelines_agreed == "Panel for the second case on working day 12"
    assert a.events.filter(kind="liaison").exists()


def test_liaison_needs_at_least_two_cases(traveller, bu):
    a = CaseFactory(sin_notified_on=D(2026, 3, 2))
    with pytest.raises(DomainError, match="at least two"):
        services.liaison_record(partnership=a.partnership, cases=[a], liaised_on=D(2026, 3, 2), contact="x",
                                timelines_agreed="y", actor=bu)


def test_the_business_unit_records_liaison_in_the_browser(client, traveller, bu):
    a = CaseFactory(sin_notified_on=D(2026, 3, 2))
    b = CaseFactory(sin_notified_on=D(2026, 3, 3))
    client.force_login(bu)
    page = client.get(reverse("panels:calendar")).content.decode()
    assert "serious incidents notified within 10 working days of each other" in page
    response = client.post(reverse("panels:liaison"), {
        "cases": [str(a.pk), str(b.pk)], "liaised_on_0": "2", "liaised_on_1": "3", "liaised_on_2": "2026",
        "contact": "Jo Ahmed and the National Panel", "timelines_agreed": "Both panels within 12 working days"})
    assert response.status_code == 302, response.content.decode()
    page = client.get(reverse("panels:calendar")).content.decode()
    assert "Both panels within 12 working days" in page


def test_a_future_liaison_date_is_refused_in_the_browser(client, traveller, bu):
    a = CaseFactory(sin_notified_on=D(2026, 3, 2))
    b = CaseFactory(sin_notified_on=D(2026, 3, 3))
    client.force_login(bu)
    response = client.post(reverse("panels:liaison"), {
        "cases": [str(a.pk), str(b.pk)], "liaised_on_0": "2", "liaised_on_1": "4", "liaised_on_2": "2026",
        "contact": "Jo", "timelines_agreed": "Later"})
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()


def test_cases_left_at_rapid_review_for_months_do_not_chain_into_the_dashboards_clusters(traveller, bu):
    # Today is Monday 2 March 2026. Three cases notified a week apart in the autumn are still at rapid review.
    stale = [CaseFactory(sin_notified_on=D(2025, 10, 6) + datetime.timedelta(weeks=n)) for n in range(3)]
    recent = [CaseFactory(sin_notified_on=D(2026, 2, 23)), CaseFactory(sin_notified_on=D(2026, 2, 27))]
    clusters = selectors.active_clusters(partnership=bu.partnership)
    assert [[c.pk for c in cluster["cases"]] for cluster in clusters] == [[c.pk for c in recent]]
    card = business_unit_card(_Request(bu))
    assert all(case not in cluster["cases"] for cluster in card["clusters"] for case in stale)
    # The case page still tells each old case's own neighbours (its window is around its own notification).
    assert selectors.cluster_for(stale[0]) == stale[1:]
