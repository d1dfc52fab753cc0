"""The public referral and an agency check form, completed with the keyboard alone (no clicks, no fill()).

Every move is Tab, Shift+Tab, an arrow key, Space, Enter or typing through ``page.keyboard``. Each field must be
reached within a few Tabs of the one before it (the focus order follows the page), and every focused element must
show the GOV.UK focus style (a yellow background, outline or box shadow).
"""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from rapidreview.demo import DEMO_PASSWORD, demo_email
from rapidreview.workdays import add_working_days
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_STYLE = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  const yellow = s.backgroundColor === 'rgb(255, 221, 0)';
  return outline || shadow || yellow;
}"""

MATCHES = """([css, text]) => {
  const el = document.activeElement;
  return !!el && el.matches(css) && (!text || el.textContent.includes(text));
}"""


def tab_to(page, css: str, text: str = "", limit: int = 4, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches; fail if it takes more than ``limit`` presses."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(MATCHES, [css, text]):
            assert page.evaluate(FOCUS_STYLE), f"{css} {text} has no visible focus style on {page.url}"
            return
    raise AssertionError(f"{css} {text!r} was not reached within {limit} presses of {key} on {page.url}")


def follow(page) -> None:
    """Press Enter on the focused link or button and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page, css: str, text: str, limit: int = 4) -> None:
    tab_to(page, css, limit=limit)
    page.keyboard.type(text)


def type_date(page, prefix: str, day: datetime.date) -> None:
    type_into(page, f"[name={prefix}_0]", str(day.day))
    type_into(page, f"[name={prefix}_1]", str(day.month), limit=1)
    type_into(page, f"[name={prefix}_2]", str(day.year), limit=1)


def test_the_public_referral_and_an_agency_check_form_can_be_completed_with_the_keyboard_alone(page):
    call_command("load_demo")
    today = datetime.date.today()

    # The public referral: start page, form, check answers, confirmation.
    page.goto("/refer/")
    tab_to(page, "input[name=area]", limit=40)  # which area: Tower Hamlets is the second, the arrow key chooses it
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=area][value=tower-hamlets]")).to_be_checked()
    tab_to(page, "button.govuk-button", text="Continue")
    follow(page)
    tab_to(page, "a.govuk-button--start", limit=40)
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what happened")
    type_into(page, "[name=referrer_name]", "Maria Lopez", limit=40)
    type_into(page, "[name=referrer_role]", "Neighbour")
    tab_to(page, "[name=referrer_name]", backwards=True, limit=1)  # Shift+Tab goes back to the field before
    type_into(page, "[name=referrer_email]", "maria.lopez@example.org", limit=2)
    type_into(page, "[name=child_first_name]", "Rosa", limit=6)
    type_into(page, "[name=child_last_name]", "Keyboard")
    tab_to(page, "input[name=harm]", limit=12)
    page.keyboard.press("ArrowDown")  # the second answer: the child was seriously hurt
    assert page.locator("input[name=harm][value=serious_harm]").is_checked()
    type_date(page, "incident_date", add_working_days(today, -3, partnership=None))
    type_into(page, "[name=description]", "Rosa was taken to hospital with injuries nobody could explain.")
    tab_to(page, "button[type=submit]", text="Continue", limit=6)
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending")
    tab_to(page, "button[type=submit]", text="Send referral", limit=60)
    follow(page)
    expect(page.locator(".govuk-panel__title")).to_have_text("Referral sent")

    # An agency lead signs in and completes their agency's form (no involvement), then submits it.
    page.goto("/accounts/login/")
    type_into(page, "[name=username]", demo_email("elft"), limit=40)
    type_into(page, "[name=password]", DEMO_PASSWORD)
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs me now")
    tab_to(page, "a[href*='/agency-checks/forms/']", text="East London NHS Foundation Trust", limit=60)
    follow(page)
    tab_to(page, "a", text="Your agency's involvement", limit=40)
    follow(page)
    tab_to(page, "input[name=involved_choice]", limit=40)
    page.keyboard.press("ArrowDown")  # No
    assert page.locator("input[name=involved_choice][value=no]").is_checked()
    type_into(page, "[name=no_involvement_note]",
              "We searched our patient records for the child and both parents: no records.")
    tab_to(page, "button", text="Save and continue", limit=20)
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("sign-off")
    type_into(page, "[name=author_name]", "Grace Obi", limit=40)
    type_into(page, "[name=author_role]", "Named nurse for safeguarding children")
    type_into(page, "[name=manager_name]", "Dr Sam Hill")
    type_into(page, "[name=manager_role]", "Head of safeguarding")
    type_date(page, "manager_signed_on", today)
    tab_to(page, "button", text="Save and continue", limit=6)
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check")
    tab_to(page, "button", text="Submit the form", limit=80)
    follow(page)
    expect(page.locator("main")).to_contain_text("Form submitted")
    assert_accessible(page, "agency check form submitted")
