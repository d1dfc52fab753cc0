"""A mail server that refuses every connection for two days (far longer than the 5 tries in about 15 minutes that
used to leave reminders failed for good), then comes back: every reminder is delivered once."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from rapidreview.clocks.models import Reminder
from rapidreview.clocks.tasks import run_sweep
from rapidreview.notifications.models import Notification, NotificationStatus
from tests.clocks.factories import make_clock

pytestmark = pytest.mark.django_db
D = datetime.date


def _sweep(django_capture_on_commit_callbacks, moment: datetime.datetime) -> None:
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        run_sweep()


def test_every_reminder_is_delivered_once_after_a_two_day_smtp_outage(people, smtp_sink, client,
                                                                     django_capture_on_commit_callbacks):
    client.force_login(people["business_unit"])
    for start in (D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4)):  # agency forms due 12, 13 and 16 March
        make_clock(start=start)
    smtp_sink.refusing = True
    moment = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)  # Tuesday
    outage_ends = moment + datetime.timedelta(days=2)
    while moment < outage_ends:
        _sweep(django_capture_on_commit_callbacks, moment)
        moment += datetime.timedelta(minutes=15)
    assert smtp_sink.connections > 20 and smtp_sink.messages == []
    waiting = Notification.objects.all()
    assert waiting.count() >= 3
    assert all(row.status == NotificationStatus.QUEUED and row.attempts > 5 for row in waiting)
    with time_machine.travel(moment, tick=False):
        card = client.get(reverse("home")).content.decode()
    assert "E-mails not delivered" in card and f"{waiting.count()} retrying" in card

    smtp_sink.refusing = False
    end = moment + datetime.timedelta(hours=3)
    while moment < end:
        _sweep(django_capture_on_commit_callbacks, moment)
        moment += datetime.timedelta(minutes=15)

    rows = Notification.objects.all()
    assert {row.status for row in rows} == {NotificationStatus.SENT}
    assert sorted(smtp_sink.outbox_ids()) == sorted(row.pk for row in rows)  # each e-mail exactly once
    assert not Reminder.objects.filter(notification__isnull=True).exists()  # every reminder is in one of them
    with time_machine.travel(moment, tick=False):
        assert "E-mails not delivered" not in client.get(reverse("home")).content.decode()
