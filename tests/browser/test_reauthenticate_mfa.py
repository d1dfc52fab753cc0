"""With MFA on, an executive signs a decision sheet after "Confirm it's you" with their password and a security code.

The re-authentication page used to show only the password box and then ask for "the security code" with nowhere to
type it (the field was added after the layout was built; ADR 0010), so no one with MFA could sign after 15 minutes.
"""

import re
import time
from importlib import import_module

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from decisions import services
from decisions.models import Signature
from rapidreview.accounts.decorators import AUTH_AT_SESSION_KEY
from rapidreview.accounts.models import Role
from tests.browser.conftest import artifacts_dir, sign_in
from tests.decisions.factories import FULL_SHEET, HEALTH, LA, POLICE, make_executives, make_panel
from tests.factories import PASSWORD, make_user
from tests.referrals.factories import RapidReviewCaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(device, drift=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _sheet_out_for_signature():
    """A case whose decision sheet is out for signature to the three partners' executives; the health one."""
    executive = make_executives()[HEALTH]
    case = RapidReviewCaseFactory()
    people = make_panel(case)
    business_unit = make_user(Role.BUSINESS_UNIT, full_name="Bea Unit")
    for partner in (LA, HEALTH, POLICE):
        services.vote_record(case=case, member=people[partner], choice="yes", actor=people[partner])
    services.vote_close(case=case, actor=business_unit)
    case.refresh_from_db()
    sheet = services.sheet_start(case=case, actor=business_unit)
    services.sheet_edit(sheet=sheet, actor=business_unit, content=FULL_SHEET)
    services.sheet_send(sheet=sheet, actor=business_unit)
    return case, executive


def _let_the_sign_in_lapse(page, minutes=20):
    """Move the session's last proof of identity back, as if the executive signed in ``minutes`` ago."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    assert session.get(AUTH_AT_SESSION_KEY), "signing in records when the person proved who they are"
    session[AUTH_AT_SESSION_KEY] = time.time() - minutes * 60
    session.save()


def _signed_in_long_ago_with_a_code(page):
    """The health executive, with an authenticator app, signed in with a code more than 15 minutes ago; they open
    the sheet's signing page."""
    case, executive = _sheet_out_for_signature()
    device = TOTPDevice.objects.create(user=executive, name="Authenticator app", confirmed=True)
    sign_in(page, executive.email, PASSWORD)
    page.get_by_label("Security code").fill(_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs me now")
    _let_the_sign_in_lapse(page)
    page.goto(f"/decisions/case/{case.pk}/sheet/sign/")
    return case, executive, device


def test_with_mfa_an_executive_signs_a_sheet_after_confirming_with_password_and_security_code(page, settings):
    settings.MFA_REQUIRED = True
    case, executive, device = _signed_in_long_ago_with_a_code(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
    assert page.get_by_label("Security code").is_visible(), "the page asks for a code and shows where to type it"
    page.screenshot(path=str(artifacts_dir() / "confirm-its-you-mfa.png"), full_page=True)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Security code").fill(_code(device, drift=1))  # a code not used yet: the next one
    page.get_by_role("button", name="Confirm it's you").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Sign version"))
    page.get_by_label("Agree and sign").check()
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("main")).to_contain_text("Your answer has been recorded.")
    signature = Signature.objects.get(sheet__case=case, signer=executive)
    assert signature.partner == HEALTH and signature.outcome == "agree"


def test_with_mfa_confirm_its_you_refuses_the_password_alone(page, settings):
    settings.MFA_REQUIRED = True
    case, _executive, _device = _signed_in_long_ago_with_a_code(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm it's you").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the security code")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
    assert not Signature.objects.filter(sheet__case=case).exists()
