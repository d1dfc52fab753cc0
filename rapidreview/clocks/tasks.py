"""The periodic reminder sweep (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from rapidreview.accounts.models import Partnership
from rapidreview.notifications.services import requeue_due
from rapidreview.workdays import is_working_day

from .reminders import BATCH, reminder_emails_send, reminders_write
from .services import mark_overdue

logger = logging.getLogger(__name__)


def run_sweep(today: datetime.date | None = None) -> dict:
    """Mark overdue clocks, write the reminders that are due and e-mail them (one e-mail per person), and queue
    again the e-mails that are due for a retry or that the broker never got.

    Reminders wait for a working day of the clock's partnership: a sweep on a weekend, a bank holiday or one of
    that partnership's closures writes none of its reminders, and the first sweep of its next working day sends what
    is due (the latest step for each audience). Another partnership working that day gets its reminders as usual.
    E-mails already written are still retried. Every query is indexed and bounded by what is due, and their number
    does not grow with it: a batch of up to ``BATCH`` clocks is locked, its reminders written in one INSERT and its
    clocks advanced in one UPDATE; the e-mails are written in one INSERT (ADR 0021).
    """
    today = today or timezone.localdate()
    overdue = mark_overdue(today)
    clocks = written = emails = 0
    working = [pk for pk in Partnership.objects.order_by("pk").values_list("pk", flat=True)
               if is_working_day(today, partnership=pk)]
    if working:
        while True:
            advanced, count = reminders_write(today=today, partnership_ids=working)
            clocks += advanced
            written += count
            # A short batch was the last; an empty one means the rest is locked by another sweep.
            if advanced < BATCH:
                break
        emails = reminder_emails_send(today=today, partnership_ids=working)
    requeued = requeue_due()
    result = {"overdue": overdue, "clocks": clocks, "reminders": written, "emails": emails, "requeued": requeued}
    logger.info("Reminder sweep: %s", result)
    return result


@shared_task(name="rapidreview.clocks.tasks.sweep", acks_late=True)
def sweep() -> dict:
    return run_sweep()
