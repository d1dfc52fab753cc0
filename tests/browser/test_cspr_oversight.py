"""Issue 19 items 4 to 6 in a real browser on the demo: the business unit keeps the lead partners, checks a practice
review's time and quality, writes to the reviewer and records the family; the warning about a criminal trial shows
where publication is recorded; an executive is refused the business unit's pages. Each page is checked with axe-core
and captured at 1280 px and 375 px."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from decisions.models import CsprCheckpoint, FamilyContact
from referrals.models import Case
from tests.browser.conftest import assert_accessible, capture, reflow_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, name: str) -> None:
    assert_accessible(page, name)
    capture(page, name)
    assert reflow_overflow(page) == 0, f"{name} is wider than a 375 px screen"


def test_the_business_unit_oversees_a_practice_review_and_an_executive_cannot(people):
    call_command("load_demo")
    case = Case.objects.get(child_first_name="Alfie", child_last_name="Dunmore")
    review = f"/decisions/case/{case.pk}/review/"
    manager = people("manager")

    manager.goto("/accounts/lead-partners/")
    expect(manager.locator("main")).to_contain_text("Gareth Pellow")
    _check(manager, "lead-partners")

    manager.goto(review)
    expect(manager.locator("#publication-warning")).to_contain_text("Prosecution of the father")
    expect(manager.locator("main")).to_contain_text("Time and quality checks (regulation 14)")
    _check(manager, "cspr-oversight")

    before = CsprCheckpoint.objects.filter(cspr__case=case).count()
    manager.get_by_role("link", name="Record a time and quality check").click()
    manager.locator("[name='checked_on_0']").fill("1")
    manager.get_by_role("button", name="Record the check").click()
    expect(manager.locator(".govuk-error-summary")).to_be_visible()  # an incomplete date, and no answers
    _check(manager, "cspr-checkpoint-errors")
    manager.goto(review)
    manager.get_by_role("link", name="Record a time and quality check").click()
    manager.get_by_role("button", name="Record the check").click()
    expect(manager.locator(".govuk-error-summary")).to_contain_text("Say whether the review is on time")
    assert CsprCheckpoint.objects.filter(cspr__case=case).count() == before

    manager.goto(review)
    manager.get_by_role("link", name="Record contact with the family").click()
    manager.get_by_label("Family member").fill("Father")
    manager.locator("[name='contacted_on_0']").fill("1")
    manager.locator("[name='contacted_on_1']").fill("11")
    manager.locator("[name='contacted_on_2']").fill("2026")
    manager.get_by_label("Declined").check()
    _check(manager, "cspr-family-contact")
    manager.get_by_role("button", name="Save family contact").click()
    expect(manager.locator(".govuk-notification-banner--success")).to_contain_text("Family contact saved")
    assert FamilyContact.objects.filter(cspr__case=case, relationship="Father", consent="declined").exists()

    manager.goto(f"{review}requests/new/")
    expect(manager.get_by_label("Reviewer's name")).to_have_value("Dr Ada Lovelace (independent reviewer)")
    _check(manager, "cspr-reviewer-request")

    executive = people("exec.police")
    response = executive.goto(f"{review}checks/new/")
    assert response.status == 403
    executive.goto(review)
    expect(executive.get_by_role("link", name="Record a time and quality check")).to_have_count(0)
