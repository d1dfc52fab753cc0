"""Running the sweep and delivery in real, separate processes against the test database (PostgreSQL only).

On a developer's machine without PostgreSQL these tests skip; in CI (``CI=true``) they fail instead, so that CI can
never pass without running them.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    if in_ci():
        pytest.fail(f"CI must run this test: {reason}", pytrace=False)
    pytest.skip(reason)


def require_postgres() -> None:
    if connection.settings_dict["ENGINE"] != "django.db.backends.postgresql":
        skip_or_fail("needs PostgreSQL (DATABASE_URL=postgres://...)")


def require_redis_broker() -> None:
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        skip_or_fail("needs CELERY_BROKER_URL=redis://...")


def database_url() -> str:
    """The URL of the test database this process uses, for the processes it starts."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(smtp_port: int, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"EMAIL_BACKEND", "EMAIL_URL"}}
    env.update({"RAPIDREVIEW_ENV": "test", "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE":
                "rapidreview.settings", "CELERY_TASK_ALWAYS_EAGER": "true",
                "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}", "PYTHONPATH": str(ROOT)})
    env.update({key: str(value) for key, value in extra.items()})
    return env


def start(command: str, *args, smtp_port: int, at: str = "", go_at: float = 0.0, **extra) -> subprocess.Popen:
    """Start ``python -m tests.notifications.worker command args`` (see worker.py)."""
    argv = [sys.executable, "-m", "tests.notifications.worker", command, *map(str, args)]
    if at:
        argv += ["--at", at]
    if go_at:
        argv += ["--go-at", str(go_at)]
    return subprocess.Popen(argv, cwd=ROOT, env=worker_env(smtp_port, **extra),  # noqa: S603 - our own script
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen, timeout: float = 120) -> dict:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()  # never leave a worker behind
        process.communicate()
        raise
    assert process.returncode == 0, err.decode()[-3000:]
    return json.loads(out.decode().strip().splitlines()[-1])


def run(command: str, *args, smtp_port: int, **kwargs) -> dict:
    return finish(start(command, *args, smtp_port=smtp_port, **kwargs))


def wait_for(predicate, timeout: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
