"""The demo's web server and Celery worker share one SQLite file: both must be able to write at the same time."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each writer does what a request or a task does: read, then write, in one transaction, many times over.
WRITER = """
import sys, time
import django
django.setup()
from django.db import connection, transaction
errors = 0
for n in range(40):
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM outbox")
                time.sleep(0.01)
                cursor.execute("INSERT INTO outbox (who, n) VALUES (%s, %s)", [sys.argv[1], n])
    except Exception as exc:
        errors += 1
        print(type(exc).__name__, exc, file=sys.stderr)
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0])
sys.exit(1 if errors else 0)
"""


def test_two_processes_writing_to_the_demo_database_do_not_fail_with_database_is_locked(tmp_path):
    path = tmp_path / "demo.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE outbox (id INTEGER PRIMARY KEY, who TEXT, n INTEGER)")
    env = {**os.environ, "RAPIDREVIEW_ENV": "demo", "DATABASE_URL": f"sqlite:///{path}",
           "DJANGO_SETTINGS_MODULE": "rapidreview.settings"}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, who],  # noqa: S603 - our own fixed script
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for who in ("web", "worker")]
    results = [w.communicate(timeout=110) for w in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == "wal"
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT who, count(*) FROM outbox GROUP BY who ORDER BY who").fetchall() == [
            ("web", 40), ("worker", 40)]
