"""Issue 21, finding 3: Redis really stops, and the site keeps answering from the database.

The test starts its own redis-server on port 6391 (never the shared one), points the cache and the Celery broker
at it, and kills it. Signing in, the public referral form and a case page must still answer 200; an e-mail
written meanwhile waits in the outbox, and is delivered by a real worker once Redis is back.

In CI (``CI=true``) a missing redis-server fails the test rather than skipping it.
"""

import os
import runpy
import shutil
import socket
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import rapidreview
from rapidreview.accounts.models import Role
from rapidreview.celery import app as celery_app
from rapidreview.notifications.models import Notification, NotificationStatus
from rapidreview.notifications.services import requeue_due
from referrals.models import Case
from tests.factories import default_partnership, make_user
from tests.forms_as_rendered import page_form

from .test_public_referral import ANSWERS

# One xdist worker runs every test that starts Celery workers or Redis servers, one after another (Makefile).
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("services")]

PORT = 6391
REDIS_URL = f"redis://127.0.0.1:{PORT}/0"
PASSWORD = "correct horse battery staple"


def _redis_server() -> str:
    path = shutil.which("redis-server")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed: CI must run the Redis outage test")
        pytest.skip("redis-server is not installed")
    return path


def _answering() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", PORT), timeout=0.2):
            return True
    except OSError:
        return False


class OwnRedis:
    """A redis-server of this test's own, on its own port, that it can really stop."""

    def __init__(self, binary):
        self.binary, self.process = binary, None

    def start(self):
        assert not _answering(), f"something else is listening on port {PORT}"
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own server
            [self.binary, "--port", str(PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not _answering():
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)
        assert not _answering()


def _production_like_settings() -> dict:
    """The cache and session settings ``rapidreview/settings.py`` makes for a Redis CACHE_URL."""
    env = {"CACHE_URL": f"rediscache://127.0.0.1:{PORT}/0", "CELERY_BROKER_URL": REDIS_URL}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        made = runpy.run_path(str(Path(rapidreview.__file__).with_name("settings.py")))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return {"CACHES": made["CACHES"], "SESSION_ENGINE": made["SESSION_ENGINE"]}


@pytest.fixture
def own_redis(settings):
    server = OwnRedis(_redis_server())
    server.start()
    for name, value in _production_like_settings().items():
        setattr(settings, name, value)
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    old_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = REDIS_URL
    celery_app.conf.broker_transport_options = {}
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield server
    if server.process.poll() is None:
        server.kill()
    celery_app.conf.broker_url = old_broker
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _sign_in(email) -> Client:
    client = Client()
    response = page_form(client, reverse("accounts:login"), containing="username").fill(
        username=email, password=PASSWORD).submit()
    assert response.status_code == 302, response.content[:500]
    return client


def _refer(client) -> None:
    assert client.get(reverse("referrals:public_start")).status_code == 200
    assert page_form(client, reverse("referrals:public_referral")).fill(**ANSWERS).submit().status_code == 302
    check = client.get(reverse("referrals:public_check"))
    assert check.status_code == 200
    done = page_form(client, reverse("referrals:public_check"), action="").submit(follow=True)
    assert done.status_code == 200 and b"govuk-panel--confirmation" in done.content


def test_with_redis_stopped_sign_in_the_public_form_and_a_case_page_answer_and_mail_waits(transactional_db, own_redis,
                                                                                         settings):
    settings.MFA_REQUIRED = False
    bu = make_user(Role.BUSINESS_UNIT, full_name="Outage Unit", email="outage@example.test")
    bu.set_password(PASSWORD)
    bu.save()
    case = Case.objects.create(partnership=default_partnership(), reference="RO-0001", source="professional",
                               child_first_name="Perpetua", child_last_name="Outage")

    # Redis up: the cache really is Redis.
    client = _sign_in(bu.email)
    assert client.get(reverse("referrals:case_detail", args=[case.pk])).status_code == 200
    cache.set("outage-probe", "up")
    assert cache.get("outage-probe") == "up"

    own_redis.kill()

    # Redis down: every page answers from the database.
    client = _sign_in(bu.email)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("referrals:case_detail", args=[case.pk])).status_code == 200
    public = Client()
    _refer(public)
    acknowledgement = Notification.objects.get(to_email=ANSWERS["referrer_email"])
    assert acknowledgement.status == NotificationStatus.QUEUED
    assert not [m for m in mail.outbox if ANSWERS["referrer_email"] in m.to]

    own_redis.start()

    # Redis back: the cache forgets what it held before, and a real worker delivers the waiting e-mail.
    assert cache.get("outage-probe") is None
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert requeue_due(now=timezone.now() + timedelta(minutes=10)) >= 1
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            acknowledgement.refresh_from_db()
            if acknowledgement.status == NotificationStatus.SENT:
                break
            time.sleep(0.2)
    assert acknowledgement.status == NotificationStatus.SENT
    assert [m for m in mail.outbox if ANSWERS["referrer_email"] in m.to]
