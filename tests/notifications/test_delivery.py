import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification, NotificationStatus
from rapidreview.notifications.services import notification_resend, notify
from rapidreview.notifications.tasks import MAX_ATTEMPTS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (delivery is queued after commit) as a real transaction would."""
    global _committing
    _committing = django_capture_on_commit_callbacks


def _queue(key="k-1", **kwargs):
    with _committing(execute=True):
        return _notify(key, **kwargs)


def _notify(key, **kwargs):
    return notify(to="someone@example.test", subject="Agency check form due", template="clocks/email/reminder",
                  context={"what": "Agency check form", "due_on": None, "days_left": 2, "unit": "working day",
                           "path": "/deadlines/"}, kind="test", key=key, **kwargs)


@pytest.fixture
def flaky_smtp(monkeypatch, settings):
    """A mail server that refuses the first ``fail`` messages."""
    calls = {"fail": 2, "tries": 0}
    real = EmailBackend.send_messages

    def send_messages(self, messages):
        calls["tries"] += 1
        if calls["tries"] <= calls["fail"]:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    # Eager tasks that propagate errors raise Retry instead of retrying; a real worker retries, so do that.
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    return calls


def test_smtp_failing_twice_then_succeeding_sends_exactly_one_email(flaky_smtp, monkeypatch):
    from rapidreview.notifications import tasks

    countdowns = []
    real_retry = tasks.deliver_notification.retry
    monkeypatch.setattr(tasks.deliver_notification, "retry",
                        lambda *a, **k: countdowns.append(k.get("countdown")) or real_retry(*a, **k))
    note = _queue()
    note.refresh_from_db()
    assert note.status == NotificationStatus.SENT
    assert note.attempts == 3
    assert note.last_error == ""
    assert flaky_smtp["tries"] == 3
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["someone@example.test"]
    assert countdowns == [60, 120]  # exponential backoff


def test_delivery_gives_up_after_a_bounded_number_of_attempts_and_keeps_the_error(flaky_smtp):
    flaky_smtp["fail"] = 99
    _queue()
    note = Notification.objects.get()
    assert note.status == NotificationStatus.FAILED
    assert note.attempts == MAX_ATTEMPTS
    assert "Connection unexpectedly closed" in note.last_error
    assert mail.outbox == []


def test_the_same_key_never_writes_or_sends_a_second_email():
    assert _queue(key="same") is not None
    assert _queue(key="same") is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_failed_email_can_be_resent_and_is_sent_once(flaky_smtp):
    flaky_smtp["fail"] = 99
    _queue()
    note = Notification.objects.get()
    flaky_smtp["fail"] = 0
    with _committing(execute=True):
        notification_resend(notification=note)
    note.refresh_from_db()
    assert note.status == NotificationStatus.SENT
    assert len(mail.outbox) == 1


def test_an_email_that_was_sent_cannot_be_resent():
    note = _queue()
    note.refresh_from_db()
    with pytest.raises(DomainError):
        notification_resend(notification=note)
    assert len(mail.outbox) == 1


def test_delivering_a_row_twice_sends_it_once():
    from rapidreview.notifications.services import deliver

    note = _queue()
    assert deliver(note.pk) is False
    assert len(mail.outbox) == 1
