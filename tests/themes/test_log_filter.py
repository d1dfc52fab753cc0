"""The themes log is filtered through ``themes.filters.LogFilter`` (django-filter, like every filtered list)."""

from django.urls import reverse

from tests.actionplan.factories import LedgerCaseFactory as CaseFactory
from tests.factories import AgencyFactory, default_partnership
from themes.models import Theme, ThemeLog
from themes.services import case_log_themes


def test_the_log_lists_only_the_cases_with_the_chosen_theme_and_agency(client, business_unit):
    mine = Theme.objects.filter(partnership=default_partnership())
    neglect, housing = mine.get(name="Neglect"), mine.get(name="Housing")
    police = AgencyFactory(name="Test Police")
    default_partnership().agencies.add(police)
    with_police = CaseFactory()
    with_police.involved_agencies.add(police)
    other = CaseFactory()
    case_log_themes(case=with_police, themes=[neglect], log=ThemeLog.SIN, actor=business_unit)
    case_log_themes(case=other, themes=[neglect, housing], log=ThemeLog.SIN, actor=business_unit)
    client.force_login(business_unit)
    url = reverse("themes:log", args=["sin"])
    page = client.get(url, {"theme": housing.pk}).content.decode()
    assert other.reference in page and with_police.reference not in page
    page = client.get(url, {"theme": neglect.pk, "agency": police.pk}).content.decode()
    assert with_police.reference in page and other.reference not in page
    page = client.get(url, {"theme": "not-a-theme"}).content.decode()
    assert with_police.reference in page and other.reference in page
