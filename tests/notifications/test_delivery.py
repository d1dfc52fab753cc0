"""Delivering the outbox: claimed with a lease, retried with backoff for three days, never sent twice by a re-run."""

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from rapidreview.db import DomainError
from rapidreview.notifications import delivery
from rapidreview.notifications.delivery import RETRY_FOR, Outcome, claim, deliver
from rapidreview.notifications.models import Notification, NotificationStatus, Priority
from rapidreview.notifications.services import notification_resend, notify, requeue_due
from tests.factories import default_partnership

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 9, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (delivery is queued after commit) as a real transaction would."""
    global _committing
    _committing = django_capture_on_commit_callbacks


def _queue(key="k-1", **kwargs):
    with _committing(execute=True):
        return _notify(key, **kwargs)


def _notify(key, to="someone@example.test", path="/deadlines/", **kwargs):
    kwargs.setdefault("partnership", default_partnership())
    return notify(to=to, subject="RR-2026-001: Agency check form due", template="clocks/email/reminders",
                  context={"items": [{"what": "Agency check form", "due_on": datetime.date(2026, 3, 12),
                                      "days_left": 2, "unit": "working day", "path": path,
                                      "reference": "RR-2026-001"}]},
                  kind="test", key=key, **kwargs)


def _sweep_outbox_at(moment: datetime.datetime) -> int:
    with time_machine.travel(moment, tick=False), _committing(execute=True):
        return requeue_due()


@pytest.fixture
def flaky_smtp(monkeypatch):
    """A mail server that refuses the first ``fail`` messages."""
    calls = {"fail": 2, "tries": 0}
    real = EmailBackend.send_messages

    def send_messages(self, messages):
        calls["tries"] += 1
        if calls["tries"] <= calls["fail"]:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    return calls


def test_smtp_failing_twice_then_succeeding_sends_exactly_one_email_with_backoff(flaky_smtp):
    with time_machine.travel(START, tick=False):
        note = _queue()
    note.refresh_from_db()
    assert (note.status, note.attempts) == (NotificationStatus.QUEUED, 1)
    assert note.next_attempt_at == START + datetime.timedelta(seconds=60)
    assert "Connection unexpectedly closed" in note.last_error

    _sweep_outbox_at(START + datetime.timedelta(seconds=30))  # backoff not over: not tried
    assert flaky_smtp["tries"] == 1
    _sweep_outbox_at(START + datetime.timedelta(seconds=61))
    note.refresh_from_db()
    assert note.attempts == 2
    assert note.next_attempt_at == START + datetime.timedelta(seconds=61 + 120)  # exponential backoff
    _sweep_outbox_at(START + datetime.timedelta(seconds=182))
    note.refresh_from_db()
    assert (note.status, note.attempts, note.last_error) == (NotificationStatus.SENT, 3, "")
    assert flaky_smtp["tries"] == 3
    assert len(mail.outbox) == 1
    _sweep_outbox_at(START + datetime.timedelta(days=1))
    assert len(mail.outbox) == 1


def test_delivery_keeps_trying_for_three_days_then_marks_failed_and_keeps_the_error(flaky_smtp):
    flaky_smtp["fail"] = 10_000
    with time_machine.travel(START, tick=False):
        _queue()
    moment = START
    while moment < START + RETRY_FOR - datetime.timedelta(hours=1):
        moment += datetime.timedelta(minutes=30)
        _sweep_outbox_at(moment)
    note = Notification.objects.get()
    assert note.status == NotificationStatus.QUEUED and note.retrying
    assert note.attempts > 60  # far beyond the 5 tries that used to lose reminders after 15 minutes
    while moment < START + RETRY_FOR + datetime.timedelta(hours=2):
        moment += datetime.timedelta(minutes=30)
        _sweep_outbox_at(moment)
    note.refresh_from_db()
    assert note.status == NotificationStatus.FAILED
    assert "Connection unexpectedly closed" in note.last_error
    assert mail.outbox == []


def test_the_same_key_never_writes_or_sends_a_second_email():
    assert _queue(key="same") is not None
    assert _queue(key="same") is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_failed_email_can_be_resent_and_is_sent_once(flaky_smtp):
    flaky_smtp["fail"] = 10_000
    note = _queue()
    Notification.objects.filter(pk=note.pk).update(status=NotificationStatus.FAILED)
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
    note.refresh_from_db()
    assert note.status == NotificationStatus.SENT
    assert len(mail.outbox) == 1


def test_delivering_a_row_twice_sends_it_once():
    note = _queue()
    assert deliver(note.pk) == (Outcome.SKIPPED, None)
    assert len(mail.outbox) == 1


def test_a_row_being_sent_is_not_claimed_again_until_its_lease_expires():
    with _committing(execute=False):
        note = _notify("k-lease")
    first = claim(note.pk)
    assert first is not None
    assert claim(note.pk) is None  # a second worker gets nothing while the lease runs
    note.refresh_from_db()
    assert note.status == NotificationStatus.SENDING and note.attempts == 1
    expired = note.leased_until + datetime.timedelta(seconds=1)
    second = claim(note.pk, now=expired)  # the first worker died: its row is taken over
    assert second is not None and second != first
    # The first worker, had it only been slow, cannot mark the row sent over the new owner's claim.
    delivery._mark_sent(note, first)
    note.refresh_from_db()
    assert (note.status, note.lease_token, note.attempts) == (NotificationStatus.SENDING, second, 2)


def test_a_row_whose_worker_died_while_sending_is_sent_by_a_later_sweep():
    with _committing(execute=False):
        note = _notify("k-dead")
    assert claim(note.pk) is not None  # ... and the worker is killed here
    lease_end = Notification.objects.get().leased_until
    assert _sweep_outbox_at(lease_end - datetime.timedelta(seconds=5)) == 0
    assert _sweep_outbox_at(lease_end + datetime.timedelta(seconds=5)) == 1
    note.refresh_from_db()
    assert (note.status, note.attempts) == (NotificationStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_a_mail_server_failing_on_quit_after_accepting_does_not_cause_a_retry(monkeypatch):
    def close_fails(self):
        raise smtplib.SMTPServerDisconnected("gone while closing")

    monkeypatch.setattr(EmailBackend, "close", close_fails, raising=False)
    note = _queue()
    note.refresh_from_db()
    assert (note.status, note.attempts) == (NotificationStatus.SENT, 1)
    assert len(mail.outbox) == 1


def test_a_row_written_while_the_broker_was_down_waits_a_few_minutes_before_the_sweep_sends_it(monkeypatch):
    from kombu.exceptions import OperationalError

    from rapidreview.notifications import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Redis is down")

    monkeypatch.setattr(tasks.deliver_notification, "apply_async", broker_down)
    with time_machine.travel(START, tick=False):
        note = _queue()
    assert Notification.objects.get().status == NotificationStatus.QUEUED
    monkeypatch.undo()
    assert _sweep_outbox_at(START + datetime.timedelta(minutes=1)) == 0  # may still be on its way
    assert _sweep_outbox_at(START + datetime.timedelta(minutes=6)) == 1
    note.refresh_from_db()
    assert note.status == NotificationStatus.SENT
    assert len(mail.outbox) == 1


def test_an_email_to_an_address_without_an_account_with_immediate_priority(monkeypatch):
    from rapidreview.notifications import tasks

    queued = []
    monkeypatch.setattr(tasks.deliver_notification, "apply_async",
                        lambda args, **kwargs: queued.append((args, kwargs.get("priority"))))
    note = _queue(to="no-account@example.test", priority=Priority.IMMEDIATE, sensitive=True)
    assert note.recipient is None
    assert queued == [((note.pk,), Priority.IMMEDIATE)]
    assert note.body_text.startswith("Hello,\n")


def test_a_sensitive_email_body_is_dropped_once_sent_and_never_shown_in_the_outbox(bu_client):
    from django.urls import reverse

    note = _queue(sensitive=True, path="/reset/abc/token-123/")
    note.refresh_from_db()
    assert note.status == NotificationStatus.SENT
    assert "/reset/abc/token-123/" in mail.outbox[0].body  # the person got the link...
    assert "token-123" not in note.body_text  # ... the database no longer holds it
    page = bu_client.get(reverse("notifications:detail", args=[note.pk])).content.decode()
    assert "is not shown" in page and "token-123" not in page


def test_the_email_comes_from_the_partnership_by_name_and_replies_reach_the_business_unit(settings):
    settings.DEFAULT_FROM_EMAIL = "Rapid Review <no-reply@rr.example.org>"
    partnership = default_partnership()
    partnership.name, partnership.contact_email = "Tower Hamlets Safeguarding Children Partnership", "thscp@example.org"
    partnership.save()
    note = _queue()
    sent = mail.outbox[0]
    assert sent.from_email == "Tower Hamlets Safeguarding Children Partnership <no-reply@rr.example.org>"
    assert sent.reply_to == ["thscp@example.org"]
    assert sent.extra_headers["Message-ID"].startswith(f"<outbox.{note.pk}.")


def test_an_installation_email_comes_from_the_installation_and_takes_no_replies(settings):
    settings.DEFAULT_FROM_EMAIL = "Rapid Review <no-reply@rr.example.org>"
    settings.INSTALLATION_NAME = "North East London Rapid Review"
    _queue(partnership=None)
    sent = mail.outbox[0]
    assert sent.from_email == "North East London Rapid Review <no-reply@rr.example.org>"
    assert not sent.reply_to
    assert sent.body.rstrip().endswith("North East London Rapid Review\nPlease do not reply to this e-mail.")


def test_a_broken_html_template_fails_loudly_instead_of_sending_text_only(tmp_path, settings):
    from django.template import TemplateSyntaxError

    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "mail.txt").write_text("Text part")
    (tmp_path / "broken" / "mail.html").write_text("<p>{% if %}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with pytest.raises(TemplateSyntaxError):
        notify(to="a@example.test", subject="s", template="broken/mail", context={}, kind="t", key="broken",
               partnership=None)
    assert not Notification.objects.exists()
    (tmp_path / "broken" / "mail.html").unlink()
    assert notify(to="a@example.test", subject="s", template="broken/mail", context={}, kind="t",
                  key="text-only", partnership=None).body_html == ""


def test_a_sweep_before_the_backoff_is_over_does_not_try_again(flaky_smtp):
    with time_machine.travel(START, tick=False):
        _queue()
    for seconds in (5, 20, 59):
        assert _sweep_outbox_at(START + datetime.timedelta(seconds=seconds)) == 0
    assert flaky_smtp["tries"] == 1
    assert timezone.now() > START  # time really moved back after travelling
