"""The partnership switcher in a real browser (issue 18): someone who works for two partnerships sees which one the
page shows, switches from the header at desktop width and on a 375 px phone, and lands on the home page of the
partnership switched to. The header passes axe and reflows at 375 px."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rapidreview import registry
from rapidreview.accounts.models import Role
from tests.clocks.factories import make_clock
from tests.factories import PASSWORD, AgencyFactory, default_partnership, give_role, make_partnership, make_user

from .conftest import DESKTOP, MOBILE, artifacts_dir, assert_accessible, reflow_overflow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _core_cards_only(monkeypatch):
    """The home page with the core's own cards: this test is about the header, not the stage apps' cards."""
    monkeypatch.setattr(registry, "_cards", [c for c in registry._cards if c.template.startswith("clocks/")])


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
def test_someone_in_two_partnerships_switches_from_the_header(page, viewport):
    tower_hamlets = default_partnership()
    tower_hamlets.name, tower_hamlets.short_name = "Tower Hamlets Safeguarding Children Partnership", "THSCP"
    tower_hamlets.save()
    hackney = make_partnership("City & Hackney Safeguarding Children Partnership", short_name="CHSCP",
                               slug="city-and-hackney")
    lead = make_user(Role.AGENCY_LEAD, email="police.lead@example.test", full_name="Aisha Begum",
                     partnership=tower_hamlets)
    give_role(lead, Role.AGENCY_LEAD, partnership=hackney)
    police = AgencyFactory(name="Metropolitan Police")
    type(lead).objects.filter(pk=lead.pk).update(agency=police)
    today = timezone.localdate()
    make_clock(start=today - datetime.timedelta(days=30), partnership=hackney, owner_agency=police)
    make_clock(start=today, partnership=tower_hamlets, owner_agency=police)
    page.set_viewport_size(viewport)
    sign_in(page, "police.lead@example.test", PASSWORD)
    page.goto("/")
    title = page.locator(".moj-identity-bar__title")
    assert "City & Hackney Safeguarding Children Partnership" in title.inner_text()  # the first by name
    switcher = page.get_by_label("Switch partnership")
    assert switcher.is_visible()
    name = "desktop" if viewport is DESKTOP else "mobile"
    page.screenshot(path=str(artifacts_dir() / f"partnership-switcher-{name}.png"), full_page=False)
    assert_accessible(page, "home page with the partnership switcher")
    assert reflow_overflow(page) <= 0
    page.set_viewport_size(viewport)

    switcher.select_option(label="Tower Hamlets Safeguarding Children Partnership")
    page.get_by_role("button", name="Switch").click()
    expect(page.locator(".moj-identity-bar__title")).to_contain_text("Tower Hamlets Safeguarding Children Partnership")
    assert "You are now working in Tower Hamlets Safeguarding Children Partnership" in page.content()
    assert page.title().endswith("THSCP")
    page.screenshot(path=str(artifacts_dir() / f"partnership-switched-{name}.png"), full_page=True)
    page.get_by_role("link", name="See what needs you in all your partnerships").click()
    # expect() waits for the page the link opens: is_visible() would read whatever is on screen at that instant
    expect(page.get_by_role("heading", name="City & Hackney Safeguarding Children Partnership")).to_be_visible()
    expect(page.get_by_role("heading", name="Tower Hamlets Safeguarding Children Partnership")).to_be_visible()
    assert_accessible(page, "What needs me in all my partnerships")
    assert reflow_overflow(page) <= 0
    page.set_viewport_size(viewport)
    page.screenshot(path=str(artifacts_dir() / f"what-needs-me-{name}.png"), full_page=True)
