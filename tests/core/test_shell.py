"""The shell: deny by default, health check, role rules, error pages."""

from unittest import mock

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rapidreview.accounts.models import Role
from tests.factories import make_user

# Pages anyone may open without signing in. Anything else must send an anonymous visitor to sign in.
PUBLIC_URL_NAMES = {
    "healthz", "accessibility", "privacy",
    "accounts:login", "accounts:password_reset", "accounts:password_reset_done",
    "accounts:password_reset_confirm", "accounts:password_reset_complete",
    "referrals:public_start", "referrals:public_referral", "referrals:public_check", "referrals:public_done",
}


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}" if entry.name else None


def _example_path(pattern: str) -> str:
    import re

    path = re.sub(r"<uuid:[^>]+>", "00000000-0000-4000-8000-000000000000", pattern)
    path = re.sub(r"<int:[^>]+>", "1", path)
    path = re.sub(r"<(str|slug):?[^>]*>", "x", path)
    path = re.sub(r"<[^>]+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$").replace("\\Z", "")


@pytest.mark.django_db
def test_every_page_not_on_the_public_list_sends_an_anonymous_visitor_to_sign_in(client):
    checked = 0
    for pattern, name in _walk(get_resolver()):
        if pattern.startswith("django-admin/") or name in PUBLIC_URL_NAMES:
            continue
        path = _example_path(pattern)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code == 302, f"{method.upper()} {path} ({name}) answered {response.status_code}"
            assert response["Location"].startswith(reverse("accounts:login")), f"{path} ({name})"
        checked += 1
    assert checked > 5


@pytest.mark.django_db
def test_health_check_answers_200_when_database_and_broker_are_reachable(client):
    with mock.patch("rapidreview.views._broker_ok", return_value=True):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_health_check_answers_503_when_the_broker_is_down(client, settings):
    with mock.patch("rapidreview.views._broker_ok", return_value=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


@pytest.mark.django_db
def test_health_check_answers_503_when_the_database_is_down(client):
    with mock.patch("rapidreview.views._database_ok", return_value=False), \
            mock.patch("rapidreview.views._broker_ok", return_value=True):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.mark.django_db
def test_health_check_reports_a_broker_that_refuses_connections():
    from rapidreview.views import _broker_ok

    assert _broker_ok("redis://127.0.0.1:1/0") is False


@pytest.mark.django_db
def test_signed_in_pages_are_never_cached(client, business_unit):
    client.force_login(business_unit)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_unknown_page_shows_the_govuk_not_found_page(client, business_unit):
    client.force_login(business_unit)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.django_db
def test_navigation_follows_the_users_roles(client):
    bu = make_user(Role.BUSINESS_UNIT)
    lead = make_user(Role.AGENCY_LEAD)
    client.force_login(bu)
    assert reverse("accounts:people") in client.get("/").content.decode()
    client.force_login(lead)
    assert reverse("accounts:people") not in client.get("/").content.decode()


@pytest.mark.django_db
def test_idle_session_ends_after_thirty_minutes(client, business_unit):
    import time_machine

    with time_machine.travel("2026-11-26 09:00", tick=False):
        client.force_login(business_unit)
        assert client.get("/").status_code == 200
    with time_machine.travel("2026-11-26 09:31", tick=False):
        response = client.get("/")
    assert response.status_code == 302
    assert "timeout=1" in response["Location"]
