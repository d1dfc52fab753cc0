"""The shell: deny by default, health check, role rules, error pages."""

import json
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rapidreview import views
from rapidreview.accounts.models import Role
from tests.factories import default_partnership, make_user

# Pages anyone may open without signing in. Anything else must send an anonymous visitor to sign in.
PUBLIC_URL_NAMES = {
    "healthz", "accessibility", "privacy",
    "accounts:login", "accounts:password_reset", "accounts:password_reset_done",
    "accounts:password_reset_confirm", "accounts:password_reset_complete",
    "referrals:public_start", "referrals:public_referral", "referrals:public_check", "referrals:public_done",
    "referrals:public_partnership",  # a partnership's own start page for the public, by its slug
}


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}" if entry.name else None


def _example_path(pattern: str, slug: str = "x") -> str:
    import re

    path = re.sub(r"<uuid:[^>]+>", "00000000-0000-4000-8000-000000000000", pattern)
    path = re.sub(r"<int:[^>]+>", "1", path)
    path = re.sub(r"<(str|slug):?[^>]*>", slug, path)
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
def test_every_page_on_the_public_list_opens_for_an_anonymous_visitor(client):
    """The other half: the public list holds no page that would send the public to sign in (or is gone)."""
    slug = default_partnership().slug  # a public page per partnership names a real one
    seen = set()
    for pattern, name in _walk(get_resolver()):
        if name not in PUBLIC_URL_NAMES:
            continue
        path = _example_path(pattern, slug=slug)
        response = client.get(path)
        assert response.status_code in (200, 302), f"GET {path} ({name}) answered {response.status_code}"
        assert not response.get("Location", "").startswith(reverse("accounts:login")), f"{path} ({name})"
        seen.add(name)
    assert seen == PUBLIC_URL_NAMES


def _closed_port() -> int:
    """A local TCP port nothing listens on: bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthz(tmp_path, **env) -> tuple[int, dict]:
    """/healthz as answered by a fresh process of the application configured with ``env``: real connections, no
    mocked check."""
    script = ("import json, django; django.setup(); from django.test.utils import setup_test_environment; "
              "setup_test_environment(); from django.test import Client; r = Client().get('/healthz'); "
              "print(json.dumps([r.status_code, r.json()]))")
    environment = {**os.environ, "RAPIDREVIEW_ENV": "test", "DJANGO_SETTINGS_MODULE": "rapidreview.settings",
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'health.sqlite3'}", "CELERY_BROKER_URL": "filesystem://",
                   **env}
    done = subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=120,
        cwd=settings.BASE_DIR, check=True)
    status, body = json.loads(done.stdout.strip().splitlines()[-1])
    return status, body


def test_health_check_answers_200_when_database_and_broker_are_reachable(tmp_path):
    assert _healthz(tmp_path) == (200, {"status": "ok", "database": "ok", "broker": "ok"})


def test_health_check_answers_503_when_the_broker_refuses_connections(tmp_path):
    status, body = _healthz(tmp_path, CELERY_BROKER_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    assert (status, body) == (503, {"status": "unavailable", "database": "ok", "broker": "down"})


def test_health_check_answers_503_when_the_database_refuses_connections(tmp_path):
    status, body = _healthz(tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{_closed_port()}/rapidreview")
    assert (status, body) == (503, {"status": "unavailable", "database": "down", "broker": "ok"})


@pytest.mark.django_db
def test_health_check_asks_the_broker_at_most_once_per_interval(client, monkeypatch):
    """A load balancer probes every few seconds per worker: the broker's answer is kept for a few seconds, so the
    probe costs one database round trip, and an outage still shows once the interval has passed."""
    answers = []
    monkeypatch.setattr(views, "_broker_checked", {})
    monkeypatch.setattr(views, "_connect_to_broker", lambda url: answers.append(url) or len(answers) == 1)
    clock = [1000.0]
    monkeypatch.setattr(views.time, "monotonic", lambda: clock[0])
    assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5
    assert len(answers) == 1
    clock[0] += views.BROKER_CHECK_SECONDS + 0.1
    assert client.get("/healthz").json()["broker"] == "down"
    assert len(answers) == 2


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
