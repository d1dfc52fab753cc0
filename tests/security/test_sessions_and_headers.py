"""Sessions (idle, absolute, rotation, logout), cookie flags in production, and the security headers."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from rapidreview.accounts.models import Role
from tests.factories import PASSWORD, UserFactory, make_user

ROOT = Path(__file__).resolve().parents[2]


def _production_settings(**extra) -> dict:
    """Import the settings module as production would, in a separate interpreter, and return the flags."""
    code = (
        "import json; from rapidreview import settings as s; print(json.dumps({k: getattr(s, k) for k in ["
        "'SESSION_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY','SESSION_COOKIE_SAMESITE','CSRF_COOKIE_SECURE',"
        "'CSRF_COOKIE_HTTPONLY','SECURE_SSL_REDIRECT','SECURE_HSTS_SECONDS','MFA_REQUIRED','DEBUG',"
        "'SESSION_SAVE_EVERY_REQUEST','SESSION_COOKIE_AGE','SESSION_IDLE_SECONDS']}))"
    )
    env = {**os.environ, "RAPIDREVIEW_ENV": "production", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "rr.example.org",
           "DATABASE_URL": "sqlite:////tmp/never-used.sqlite3", "CELERY_BROKER_URL": "redis://127.0.0.1:1/0", **extra}
    env.pop("MFA_REQUIRED", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT,  # noqa: S603 - our own fixed code
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_httponly_and_samesite_and_mfa_is_required():
    flags = _production_settings()
    assert flags["SESSION_COOKIE_SECURE"] and flags["CSRF_COOKIE_SECURE"]
    assert flags["SESSION_COOKIE_HTTPONLY"] and flags["CSRF_COOKIE_HTTPONLY"]
    assert flags["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert flags["SECURE_SSL_REDIRECT"] and flags["SECURE_HSTS_SECONDS"] >= 31536000
    assert flags["MFA_REQUIRED"] is True and flags["DEBUG"] is False
    assert flags["SESSION_SAVE_EVERY_REQUEST"] is False
    assert flags["SESSION_COOKIE_AGE"] == 12 * 3600 and flags["SESSION_IDLE_SECONDS"] == 30 * 60


def test_the_deployment_checklist_passes_with_production_settings():
    env = {**os.environ, "RAPIDREVIEW_ENV": "production", "SECRET_KEY": "k" * 30 + "Q9!z" * 10,
           "ALLOWED_HOSTS": "rr.example.org", "DATABASE_URL": "sqlite:////tmp/never-used.sqlite3",
           "CELERY_BROKER_URL": "redis://127.0.0.1:1/0", "DEBUG": "false"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests set it for their own process only
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_signing_in_gives_a_new_session_id(client):
    UserFactory(email="lead@example.test")
    client.get(reverse("accounts:login"))
    client.session["planted"] = "by an attacker"
    session = client.session
    session["planted"] = "x"
    session.save()
    before = client.cookies["sessionid"].value
    client.post(reverse("accounts:login"), {"username": "lead@example.test", "password": PASSWORD})
    assert client.cookies["sessionid"].value != before
    assert not Session.objects.filter(session_key=before).exists()


@pytest.mark.django_db
def test_signing_out_ends_the_session_on_the_server(client):
    UserFactory(email="lead@example.test")
    client.post(reverse("accounts:login"), {"username": "lead@example.test", "password": PASSWORD})
    old = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=old).exists()
    client.cookies["sessionid"] = old  # replaying the old cookie does not sign anyone in
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_signing_out_needs_a_post(client):
    client.force_login(make_user(Role.AGENCY_LEAD))
    assert client.get(reverse("accounts:logout")).status_code == 405


@pytest.mark.django_db
def test_a_session_ends_twelve_hours_after_sign_in_however_busy(client):
    user = make_user(Role.BUSINESS_UNIT)
    with time_machine.travel("2026-11-26 07:00", tick=False) as traveller:
        client.force_login(user)
        for _ in range(47):  # a request every 15 minutes: never idle
            traveller.shift(15 * 60)
            assert client.get(reverse("home")).status_code == 200
        traveller.shift(16 * 60)  # 12 hours and 1 minute after sign-in
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "expired=1" in response["Location"]


@pytest.mark.django_db
def test_a_session_idle_for_29_minutes_carries_on(client):
    user = make_user(Role.BUSINESS_UNIT)
    with time_machine.travel("2026-11-26 09:00", tick=False) as traveller:
        client.force_login(user)
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client):
    for response in (client.get(reverse("accounts:login")), client.get("/healthz")):
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_no_page_template_has_inline_script_or_style():
    """Templates rendered only into PDFs (``*_pdf.html``) or e-mails (``*/email/*.html``), never served to a browser
    under our Content Security Policy, may style themselves inline: mail programs ignore style sheets."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if path.name.endswith("_pdf.html") or path.parent.name == "email":
            continue
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=", text) or "<style" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
