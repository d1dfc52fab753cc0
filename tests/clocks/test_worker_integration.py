"""A real Celery worker on Redis delivers a reminder the sweep wrote. Runs in CI (PostgreSQL and Redis)."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from rapidreview.clocks.tasks import run_sweep
from rapidreview.notifications.models import Notification, NotificationStatus
from tests.clocks.factories import make_clock

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not django_settings.CELERY_BROKER_URL.startswith("redis://"),
                       reason="needs CELERY_BROKER_URL=redis://..."),
]

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker must share the test database: needs PostgreSQL")
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_a_real_worker_delivers_the_reminder_a_sweep_wrote(transactional_db, people, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    env = {k: v for k, v in os.environ.items() if k not in {"EMAIL_BACKEND"}}
    env.update({
        "RAPIDREVIEW_ENV": "test", "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false", "EMAIL_URL": "consolemail://", "DJANGO_SETTINGS_MODULE":
        "rapidreview.settings",
    })
    celery = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
        [str(celery), "-A", "rapidreview", "worker", "--pool=solo", "--concurrency=1", "--loglevel=INFO",
         "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        today = datetime.date.today()
        make_clock(start=today, due=today)  # due today: the "due" step is owed now
        result = run_sweep(today)
        assert result["reminders"] == 1
        row = Notification.objects.get()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            row.refresh_from_db()
            if row.status == NotificationStatus.SENT:
                break
            time.sleep(0.5)
        assert row.status == NotificationStatus.SENT, f"still {row.status} after 30 s"
        assert row.attempts == 1
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert b"deliver_notification" in output
