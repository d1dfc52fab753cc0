"""A real Celery worker on Redis delivers a reminder the sweep wrote. Runs in CI (PostgreSQL and Redis), where a
missing Redis or PostgreSQL fails the test instead of skipping it (CI=true)."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rapidreview.clocks.tasks import run_sweep
from rapidreview.notifications.models import Notification, NotificationStatus
from rapidreview.workdays import add_working_days, is_working_day
from tests.clocks.factories import make_clock
from tests.factories import default_partnership
from tests.notifications.processes import database_url, require_postgres, require_redis_broker

# One xdist worker runs every test that starts Celery workers or Redis servers, one after another (Makefile).
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("services")]

ROOT = Path(__file__).resolve().parents[2]


def test_a_real_worker_delivers_the_reminder_a_sweep_wrote(transactional_db, people, settings):
    require_redis_broker()
    require_postgres()  # the worker must share the test database
    settings.CELERY_TASK_ALWAYS_EAGER = False
    env = {k: v for k, v in os.environ.items() if k not in {"EMAIL_BACKEND"}}
    env.update({
        "RAPIDREVIEW_ENV": "test", "DATABASE_URL": database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
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
        ours = default_partnership()
        day = today if is_working_day(today, partnership=ours) else add_working_days(today, 1, partnership=ours)
        make_clock(start=day, due=day)  # due that day: the "due" step is owed
        result = run_sweep(day)
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
