import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from rapidreview.demo import DEMO_PASSWORD, demo_email
from tests.browser.conftest import artifacts_dir, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("login, role_label", [
    ("manager", "Business unit"),
    ("police.lead", "Agency safeguarding lead"),
    ("exec.health", "Executive member"),
])
def test_a_demo_user_signs_in_through_the_form_and_sees_their_dashboard(page, login, role_label):
    call_command("load_demo")
    sign_in(page, demo_email(login), DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs me now")
    expect(page.locator(".govuk-caption-l")).to_contain_text(role_label)
    assert "Sign out" in page.content()
    page.screenshot(path=str(artifacts_dir() / f"dashboard-{login}.png"), full_page=True)


def test_a_wrong_password_is_refused_with_an_error_summary(page):
    call_command("load_demo")
    sign_in(page, demo_email("manager"), "not-the-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter a correct e-mail address and password")
    expect(page.get_by_label("E-mail address")).to_have_value(demo_email("manager"))


def test_the_sign_in_page_and_dashboard_have_no_wcag_violations(page):
    from tests.browser.conftest import assert_accessible

    call_command("load_demo")
    page.goto("/accounts/login/")
    assert_accessible(page, "sign in")
    sign_in(page, demo_email("manager"), "wrong-password")
    assert_accessible(page, "sign in with errors")
    sign_in(page, demo_email("manager"), DEMO_PASSWORD)
    assert_accessible(page, "business unit dashboard")
