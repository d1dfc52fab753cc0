"""Exactly once, proven with real processes on PostgreSQL (docs/decisions/0006-outbox-delivery.md).

Two processes run the sweep and delivery at the same time over the same due clocks, sending over SMTP to a real
local SMTP server in this process, which counts what actually arrived. Also: SMTP failing twice then succeeding,
and a worker killed after the mail server got the message but before it was recorded as sent (the one duplicate
the design allows, retried once the lease expires).

Skipped without PostgreSQL on a developer's machine; failing, not skipped, in CI (CI=true).
"""

import collections
import datetime
import os
import random
import re
import signal
import time

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from rapidreview.accounts.models import Role, RoleAssignment
from rapidreview.clocks.models import Reminder
from rapidreview.notifications import tasks
from rapidreview.notifications.delivery import claim
from rapidreview.notifications.models import Notification, NotificationStatus
from rapidreview.notifications.services import notify
from tests.clocks.factories import make_clock
from tests.factories import default_partnership, make_user
from tests.notifications import processes
from tests.notifications.smtp_sink import SmtpSink

# One xdist worker runs every test that starts Celery workers or Redis servers, one after another (Makefile).
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("services")]
D = datetime.date
SWEEP_AT = "2026-03-17T09:00:00+00:00"  # a Tuesday


@pytest.fixture(autouse=True)
def _postgres(transactional_db):
    processes.require_postgres()


@pytest.fixture
def sink():
    with SmtpSink() as running:
        yield running


@pytest.fixture
def no_local_delivery(monkeypatch):
    """Rows written by this test process are delivered by the worker processes only."""
    monkeypatch.setattr(tasks.deliver_notification, "apply_async", lambda *a, **k: None)


def _text(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode().replace("\r\n", "\n")
    raise AssertionError("no text part")


def _raw_connection():
    db = connection.settings_dict
    return psycopg2.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None,
                            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432)


def _queue_one(key="only") -> Notification:
    return notify(to="lead@example.test", subject="RR-2026-001: Agency check form due",
                  template="clocks/email/reminders",
                  context={"items": [{"what": "Agency check form", "due_on": D(2026, 3, 12), "days_left": 2,
                                      "unit": "working day", "path": "/deadlines/"}]}, kind="test", key=key,
                  partnership=default_partnership())


def test_two_processes_sweeping_and_delivering_at_once_send_one_email_per_clock_step_and_person(people, sink):
    owners = [make_user(Role.AGENCY_LEAD, email=f"lead{n}@example.test") for n in range(10)]
    chairs = [people["rr_chair"], *(make_user(Role.RR_CHAIR, email=f"chair{n}@example.test") for n in range(2))]
    RoleAssignment.objects.update(starts_on=D(2020, 1, 1))
    starts = [D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 9)]  # late (overdue + escalation), overdue, "before" step
    clocks = [make_clock(start=start, owner_user=owner, label=f"Agency {n:02d}")
              for n, (owner, start) in enumerate((o, s) for o in owners for s in starts)]
    sink.on_data = lambda message: time.sleep(0.02)  # a mail server that takes a moment: the processes overlap

    go_at = time.time() + 4  # both start together once Django is loaded
    workers = [processes.start("sweep", smtp_port=sink.port, at=SWEEP_AT, go_at=go_at) for _ in range(2)]
    results = [processes.finish(worker) for worker in workers]

    reminders = list(Reminder.objects.select_related("clock", "recipient"))
    expected = collections.Counter((r.clock.label, r.recipient.email) for r in reminders)
    assert len(reminders) == len(clocks) + len(chairs) * len(owners)  # one step per clock + 3 chairs × 10 late
    assert len(expected) == len(reminders)
    delivered = collections.Counter()
    for message in sink.messages:
        for label in re.findall(r"^Agency check form – (Agency \d\d)$", _text(message), re.MULTILINE):
            delivered[(label, message["To"])] += 1
    assert delivered == expected, f"duplicates: {[k for k, n in delivered.items() if n > 1]}"
    rows = Notification.objects.all()
    assert sorted(sink.outbox_ids()) == sorted(row.pk for row in rows)  # each e-mail arrived exactly once
    assert {row.status for row in rows} == {NotificationStatus.SENT}
    assert sum(result["reminders"] for result in results) == len(reminders)
    chair_mail = [m for m in sink.messages if m["To"] in {c.email for c in chairs}]
    assert len(chair_mail) >= len(chairs) and all("Escalated" in m["Subject"] for m in chair_mail)


def test_smtp_failing_twice_then_succeeding_sends_once_from_separate_processes(sink, no_local_delivery):
    sink.refuse_first = 2
    note = _queue_one()

    def after_the_backoff() -> str:
        note.refresh_from_db()
        return (note.next_attempt_at + datetime.timedelta(seconds=1)).isoformat()

    assert processes.run("deliver", note.pk, smtp_port=sink.port) == {str(note.pk): "retry"}
    assert processes.run("deliver", note.pk, smtp_port=sink.port) == {str(note.pk): "skipped"}  # backoff
    assert processes.run("deliver", note.pk, smtp_port=sink.port, at=after_the_backoff()) == {str(note.pk): "retry"}
    assert processes.run("sweep", smtp_port=sink.port, at=after_the_backoff())["requeued"] == 1
    note.refresh_from_db()
    assert (note.status, note.attempts, note.last_error) == (NotificationStatus.SENT, 3, "")
    assert sink.outbox_ids() == [note.pk]


def test_a_worker_killed_after_the_mail_server_took_the_message_sends_it_again_after_the_lease(
        sink, no_local_delivery):
    """The duplicate ADR 0006 accepts: the message left, the worker died before recording it. It is sent again
    (once) when the lease expires; never lost. No row lock is held while the mail server has the message."""
    note = _queue_one()
    seen = {}

    def kill_the_worker_once_the_server_has_it(message):
        if "pid" not in seen:
            return
        with _raw_connection() as conn, conn.cursor() as cursor:
            # Delivery holds no lock while the mail server talks: this would fail at once if it did.
            cursor.execute("SELECT status FROM notifications_notification WHERE id = %s FOR UPDATE NOWAIT",
                           [note.pk])
            seen["status_during_smtp"] = cursor.fetchone()[0]
            conn.rollback()
        os.kill(seen.pop("pid"), signal.SIGKILL)

    sink.on_data = kill_the_worker_once_the_server_has_it
    worker = processes.start("deliver", note.pk, smtp_port=sink.port, OUTBOX_LEASE_SECONDS=8)
    seen["pid"] = worker.pid
    worker.communicate(timeout=60)
    assert worker.returncode == -signal.SIGKILL
    assert seen["status_during_smtp"] == NotificationStatus.SENDING
    note.refresh_from_db()
    assert (note.status, note.attempts) == (NotificationStatus.SENDING, 1)
    assert len(sink.messages) == 1

    # While the lease runs nobody else may take the row (this process is another database session).
    assert claim(note.pk) is None
    processes.wait_for(lambda: timezone.now() > note.leased_until, timeout=20, what="the lease to expire")
    assert processes.run("sweep", smtp_port=sink.port)["requeued"] == 1
    note.refresh_from_db()
    assert (note.status, note.attempts) == (NotificationStatus.SENT, 2)
    assert sink.outbox_ids() == [note.pk, note.pk]  # the documented duplicate: same Message-ID, twice


def test_killing_workers_at_random_during_a_slow_smtp_close_measures_the_duplicates(sink, no_local_delivery,
                                                                                   capsys):
    """Issue 21 point 14 measured 1 duplicate in 224 sends with a worker killed during a slow SMTP close. The message
    is now recorded as sent before QUIT, so a kill during the close costs nothing; only a kill in the moment
    between the server's 250 and the commit can duplicate. Each kill can cause at most one duplicate."""
    count = int(os.environ.get("OUTBOX_KILL_MEASURE_COUNT", "40"))  # 224 for the figure in docs/security.md
    for n in range(count):
        _queue_one(key=f"measure-{n}")
    sink.quit_delay = 0.3
    kills, rng = 0, random.Random(21)
    deadline = time.monotonic() + 60 + count * 6
    while Notification.objects.exclude(status=NotificationStatus.SENT).exists():
        assert time.monotonic() < deadline, "the queue did not drain"
        before = len(sink.messages)
        worker = processes.start("drain", smtp_port=sink.port, OUTBOX_LEASE_SECONDS=1)
        try:
            processes.wait_for(lambda b=before, w=worker: len(sink.messages) > b or w.poll() is not None, timeout=60,
                               what="the worker to send")
            time.sleep(rng.uniform(0, 2.0))  # a few sends, then killed at a random moment
        finally:
            if worker.poll() is None:
                worker.kill()
                kills += 1
            worker.communicate(timeout=30)
        time.sleep(1.1)  # leases of killed workers expire
    ids = sink.outbox_ids()
    duplicates = len(ids) - len(set(ids))
    with capsys.disabled():
        print(f"\n[outbox kill measurement] {count} e-mails, {kills} workers killed, {len(ids)} delivered, "
              f"{duplicates} duplicates")
    assert set(ids) == set(Notification.objects.values_list("pk", flat=True))  # nothing lost
    assert duplicates <= kills
