"""A joint cross-border review in a real browser: Tower Hamlets' business unit invites City & Hackney to take part
from the case page; City & Hackney's business unit follows the e-mail's link and reads the case, with nothing to act
on; the invitation ends and the case is gone for them. Each page is axe-checked and captured at 1280 and 375 px."""

import re

import pytest
from playwright.sync_api import expect

from rapidreview.accounts.models import Role
from rapidreview.notifications.models import Notification
from referrals.models import Stage
from tests.browser.conftest import assert_accessible, capture, sign_in
from tests.factories import PASSWORD, default_partnership, make_partnership, make_user
from tests.referrals.factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    tower = default_partnership()
    tower.name, tower.short_name = "Tower Hamlets Safeguarding Children Partnership", "THSCP"
    tower.save()
    hackney = make_partnership("City & Hackney Safeguarding Children Partnership", slug="city-and-hackney",
                               short_name="CHSCP")
    return {
        "case": CaseFactory(partnership=tower, stage=Stage.RAPID_REVIEW, reference="THSCP-2026-0015"),
        "hackney": hackney,
        "tower_bu": make_user(Role.BUSINESS_UNIT, full_name="Sam Okafor", email="sam@tower.test", partnership=tower),
        "hackney_bu": make_user(Role.BUSINESS_UNIT, full_name="Ayesha Patel", email="ayesha@hackney.test",
                                partnership=hackney),
    }


def _as(browser, live_server, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, user.email, PASSWORD)
    return page


def test_tower_hamlets_invites_city_and_hackney_which_reads_the_case_until_its_part_ends(
        browser, live_server, world):
    case, hackney = world["case"], world["hackney"]
    tower = _as(browser, live_server, world["tower_bu"])
    tower.goto(case.get_absolute_url())
    assert tower.locator("#partnerships").get_by_text("No other partnership").is_visible()
    tower.get_by_role("link", name="Invite a partnership to take part").click()
    expect(tower.get_by_role("heading", level=1)).to_have_text("Invite another partnership to take part")
    assert_accessible(tower, "invite a partnership")
    assert capture(tower, "invite-partnership") == 0
    tower.get_by_role("button", name="Invite the partnership").click()
    expect(tower.locator(".govuk-error-summary").get_by_text("Select the partnership to invite")).to_be_visible()
    tower.get_by_label(hackney.name).check()
    tower.get_by_label("Why should it take part?").fill("The child lives in Hackney.")
    tower.get_by_role("button", name="Invite the partnership").click()
    expect(tower).to_have_url(re.compile(r"/cases/[0-9a-f-]+/$"))
    expect(tower.get_by_text(f"{hackney.name} has been invited to take part")).to_be_visible()
    assert tower.locator("#partnerships p", has_text=hackney.name).is_visible()
    assert_accessible(tower, "case page, leading")
    assert capture(tower, "case-led-with-partnership-taking-part") == 0

    email = Notification.objects.get(kind="referrals.participation", recipient=world["hackney_bu"])
    link = re.search(r"(/cases/\S+)", email.body_text).group(1)
    assert link.endswith(f"?partnership={hackney.slug}")
    reader = _as(browser, live_server, world["hackney_bu"])
    reader.goto(link)
    assert reader.get_by_role("heading", level=1).inner_text().startswith(case.reference)
    assert reader.get_by_text("Your partnership takes part in this review").is_visible()
    assert reader.locator("#partnerships").get_by_text("Tower Hamlets Safeguarding Children Partnership").is_visible()
    assert reader.locator(".govuk-task-list a").count() == 0
    assert reader.get_by_role("link", name="Invite a partnership to take part").count() == 0
    assert_accessible(reader, "case page, taking part")
    assert capture(reader, "case-taking-part") == 0

    tower.get_by_role("link", name=f"End {hackney.name}'s part in this case").click()
    tower.get_by_label("Why is its part ending? (optional)").fill("The family has moved back.")
    assert capture(tower, "end-participation") == 0
    tower.get_by_role("button", name="End its part in the case").click()
    expect(tower.locator("#partnerships").get_by_text("took part until")).to_be_visible()
    response = reader.goto(case.get_absolute_url())
    assert response.status == 404
