"""Signing in: lockout, passwords, the second factor, re-authentication and the e-mails that follow a change."""

import time

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from rapidreview.accounts.decorators import AUTH_AT_SESSION_KEY
from rapidreview.accounts.models import Role, RoleAssignment
from rapidreview.audit.models import AccessAction, AccessLog
from rapidreview.notifications.models import Notification
from tests.factories import PASSWORD, UserFactory, make_user
from tests.forms_as_rendered import page_form

from .matrix import Writes

LOGIN = "accounts:login"


def _code(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _sign_in(client, email, password=PASSWORD):
    return client.post(reverse(LOGIN), {"username": email, "password": password})


# --- Lockout -------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_ten_failed_sign_ins_lock_the_address_even_with_the_right_password(client, settings):
    UserFactory(email="lead@example.test")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "lead@example.test", "wrong-password-here")
    response = _sign_in(client, "lead@example.test")
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lockout_message_is_the_same_whether_or_not_the_account_exists(client, settings):
    UserFactory(email="real@example.test")
    bodies = []
    for email in ("real@example.test", "nobody@example.test"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _sign_in(client, email, "wrong-password-here")
        response = _sign_in(client, email, "wrong-password-here")
        assert response.status_code == 429
        bodies.append(response.content.decode().replace(email, ""))
        client.cookies.clear()
        from axes.utils import reset

        reset()
    assert bodies[0] == bodies[1]
    assert "real@example.test" not in bodies[0] and "nobody" not in bodies[1]


@pytest.mark.django_db
def test_changing_the_case_of_the_address_does_not_dodge_the_lockout(client, settings):
    UserFactory(email="lead@example.test")
    for i in range(settings.AXES_FAILURE_LIMIT):
        email = "LEAD@example.test" if i % 2 else "lead@EXAMPLE.test"
        _sign_in(client, email, "wrong-password-here")
    assert _sign_in(client, "Lead@Example.Test").status_code == 429


@pytest.mark.django_db
def test_a_successful_sign_in_clears_earlier_failures(client, settings):
    UserFactory(email="lead@example.test")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "lead@example.test", "wrong-password-here")
    assert _sign_in(client, "lead@example.test").status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "lead@example.test", "wrong-password-here")
    assert _sign_in(client, "lead@example.test").status_code == 302


@pytest.mark.django_db
def test_sign_ins_and_failures_are_in_the_access_log_without_the_address_typed(client):
    user = UserFactory(email="lead@example.test")
    _sign_in(client, "someone.private@example.test", "wrong-password-here")
    _sign_in(client, "lead@example.test")
    failed = AccessLog.objects.get(action=AccessAction.SIGN_IN_FAILED)
    assert failed.user is None and "private" not in str(failed.__dict__)
    assert AccessLog.objects.get(action=AccessAction.SIGN_IN).user == user


# --- Passwords -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("password", ["short-pw-11", "password1234", "123456789012", "qwertyuiop123", "1qaz2wsx3edc"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("violet-harbour-tractor-9")


@pytest.mark.django_db
def test_changing_your_password_sends_one_notice_by_email(client, django_capture_on_commit_callbacks):
    user = make_user(Role.AGENCY_LEAD, email="lead@example.test")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "violet-harbour-tractor-9",
        "new_password2": "violet-harbour-tractor-9"})
    assert response.status_code == 302
    assert Notification.objects.filter(kind="accounts.password_changed", recipient=user).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lead@example.test"]
    assert "password was changed" in mail.outbox[0].subject
    assert client.get(reverse("home")).status_code == 200  # still signed in


@pytest.mark.django_db
def test_a_short_new_password_is_refused_with_an_error(client):
    client.force_login(make_user(Role.AGENCY_LEAD))
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "tiny-pass", "new_password2": "tiny-pass"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not mail.outbox


@pytest.mark.django_db
def test_password_change_refuses_get_with_a_form_and_anonymous_visitors(client):
    assert client.get(reverse("accounts:password_change")).status_code == 302
    client.force_login(make_user(Role.AGENCY_LEAD))
    assert client.get(reverse("accounts:password_change")).status_code == 200
    assert client.put(reverse("accounts:password_change")).status_code == 405


# --- Second factor -------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_when_mfa_is_required_a_new_account_must_set_up_an_authenticator_first(client, settings):
    settings.MFA_REQUIRED = True
    make_user(Role.BUSINESS_UNIT, email="bu@example.test")
    response = _sign_in(client, "bu@example.test")
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:mfa_setup"))
    assert client.get(reverse("accounts:people")).status_code == 302


@pytest.mark.django_db
def test_setting_up_an_authenticator_shows_a_qr_code_then_backup_codes_and_sends_a_notice(
        client, settings, django_capture_on_commit_callbacks):
    settings.MFA_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = make_user(Role.BUSINESS_UNIT, email="bu@example.test")
    _sign_in(client, "bu@example.test")
    page = client.get(reverse("accounts:mfa_setup"))
    body = page.content.decode()
    assert "<svg" in body and "style=" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("accounts:mfa_setup"), {"token": "000000" if _code(device) != "000000" else "111111"})
    assert "govuk-error-summary" in wrong.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("accounts:mfa_setup"), {"token": _code(device)})
    assert done.status_code == 200 and "Your backup codes" in done.content.decode()
    assert StaticDevice.objects.get(user=user).token_set.count() == 10
    assert client.get(reverse("home")).status_code == 200  # verified in this session
    assert len(mail.outbox) == 1 and "second factor" in mail.outbox[0].subject


@pytest.mark.django_db
def test_someone_with_an_authenticator_must_give_a_code_at_sign_in(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = make_user(Role.AGENCY_LEAD, email="lead@example.test")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _sign_in(client, "lead@example.test")
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    bad = client.post(reverse("accounts:mfa_verify"), {"token": "12"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()
    client.post(reverse("accounts:mfa_verify"), {"token": _code(device), "next": "/"})
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_a_backup_code_works_once(client):
    user = make_user(Role.AGENCY_LEAD, email="lead@example.test")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    backup.token_set.create(token="abcd1234")
    _sign_in(client, "lead@example.test")
    client.post(reverse("accounts:mfa_verify"), {"token": "abcd1234"})
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("accounts:logout"))
    _sign_in(client, "lead@example.test")
    response = client.post(reverse("accounts:mfa_verify"), {"token": "abcd1234"})
    assert "govuk-error-summary" in response.content.decode()


@pytest.mark.django_db
def test_the_demo_and_tests_do_not_require_a_second_factor(settings):
    assert settings.MFA_REQUIRED is False


# --- Re-authentication ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_changing_someones_roles_needs_a_password_typed_in_the_last_15_minutes(client):
    bu = make_user(Role.BUSINESS_UNIT)
    person = make_user(Role.WORKING_GROUP)  # a person of the business unit's partnership
    with time_machine.travel("2026-11-26 09:00", tick=False):
        client.force_login(bu)
    with time_machine.travel("2026-11-26 09:14", tick=False):
        assert client.get(reverse("accounts:role_add", args=[person.public_id])).status_code == 200
    with time_machine.travel("2026-11-26 09:20", tick=False):
        with Writes() as writes:
            response = client.post(reverse("accounts:role_add", args=[person.public_id]),
                                   {"role": Role.PANEL_MEMBER, "starts_on": "2026-01-01"})
        assert response.status_code == 302 and writes.changed == []
        assert response["Location"].startswith(reverse("accounts:reauthenticate"))
        assert not RoleAssignment.objects.filter(user=person, role=Role.PANEL_MEMBER).exists()
        wrong = client.post(reverse("accounts:reauthenticate"), {"password": "not-my-password", "next": "/x/"})
        assert "govuk-error-summary" in wrong.content.decode()
        right = client.post(reverse("accounts:reauthenticate"),
                            {"password": PASSWORD, "next": reverse("accounts:role_add", args=[person.public_id])})
        assert right["Location"] == reverse("accounts:role_add", args=[person.public_id])
        client.post(reverse("accounts:role_add", args=[person.public_id]),
                    {"role": Role.PANEL_MEMBER, "starts_on": "2026-01-01"})
    assert RoleAssignment.objects.filter(user=person, role=Role.PANEL_MEMBER).exists()


@pytest.mark.django_db
def test_reauthentication_never_sends_you_to_another_site(client):
    client.force_login(make_user(Role.BUSINESS_UNIT))
    response = client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_recent_auth_required_is_the_guard_decisions_can_use(rf):
    from django.http import HttpResponse

    from rapidreview.accounts.decorators import recent_auth_required

    @recent_auth_required(minutes=15)
    def sign(request):
        return HttpResponse("signed")

    request = rf.post("/decisions/x/sign/")
    request.user = make_user(Role.EXECUTIVE)
    request.session = {AUTH_AT_SESSION_KEY: time.time() - 16 * 60}
    assert sign(request).status_code == 302
    request.session = {AUTH_AT_SESSION_KEY: time.time() - 60}
    assert sign(request).content == b"signed"


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["Sam Okafor 2026", "okafor.sam.2026", "SamOkafor2026!"])
def test_a_password_made_of_the_persons_own_name_is_refused_when_they_change_it(client, password):
    """Issue 21, finding 11: similarity is checked against the full name, not Django's absent first/last names."""
    user = make_user(Role.AGENCY_LEAD, full_name="Sam Okafor", email="s.o@example.test")
    client.force_login(user)
    response = page_form(client, reverse("accounts:password_change"), containing="old_password").fill(
        old_password=PASSWORD, new_password1=password, new_password2=password).submit()
    assert response.status_code == 200
    assert "too similar to the full name" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
