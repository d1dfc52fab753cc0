"""The PostgreSQL and Redis tests skip on a developer's machine but fail in CI, so CI cannot pass without them."""

import pytest
from django.db import connection

from tests.notifications import processes


def test_without_postgresql_the_concurrency_tests_fail_in_ci_and_skip_elsewhere(monkeypatch):
    if connection.settings_dict["ENGINE"] == "django.db.backends.postgresql":
        monkeypatch.setenv("CI", "true")
        assert processes.require_postgres() is None  # on PostgreSQL they run, CI or not
        return
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run this test"):
        processes.require_postgres()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        processes.require_postgres()


def test_without_a_redis_broker_the_worker_test_fails_in_ci(monkeypatch, settings):
    settings.CELERY_BROKER_URL = "filesystem://"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run this test"):
        processes.require_redis_broker()
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        processes.require_redis_broker()
