"""The periodic reminder sweep (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from rapidreview.accounts.models import Partnership
from rapidreview.notifications.services import requeue_due
from rapidreview.workdays import is_working_day

from .models import Clock
from .reminders import reminder_emails_send, reminders_write
from .services import ACTIVE_STATES, mark_overdue

logger = logging.getLogger(__name__)

BATCH = 1000


def run_sweep(today: datetime.date | None = None) -> dict:
    """Mark overdue clocks, write the reminders that are due and e-mail them (one e-mail per person), and queue
    again the e-mails that are due for a retry or that the broker never got.

    Reminders wait for a working day of the clock's partnership: a sweep on a weekend, a bank holiday or one of
    that partnership's closures writes none of its reminders, and the first sweep of its next working day sends what
    is due (the latest step for each audience). Another partnership working that day gets its reminders as usual.
    E-mails already written are still retried. Every query is indexed and bounded by what is due: clocks that are
    not due cost nothing.
    """
    today = today or timezone.localdate()
    overdue = mark_overdue(today)
    clocks = written = emails = 0
    working = [pk for pk in Partnership.objects.order_by("pk").values_list("pk", flat=True)
               if is_working_day(today, partnership=pk)]
    if working:
        last_batch = None
        while True:
            ids = list(Clock.objects.filter(state__in=ACTIVE_STATES, next_reminder_on__lte=today,
                                            partnership_id__in=working)
                       .order_by("next_reminder_on", "id").values_list("id", flat=True)[:BATCH])
            # A batch identical to the last one means every clock in it is locked by another sweep: stop.
            if not ids or ids == last_batch:
                break
            last_batch = ids
            for clock_id in ids:
                written += reminders_write(clock_id=clock_id, today=today)
                clocks += 1
            if len(ids) < BATCH:
                break
        emails = reminder_emails_send(today=today, partnership_ids=working)
    requeued = requeue_due()
    result = {"overdue": overdue, "clocks": clocks, "reminders": written, "emails": emails, "requeued": requeued}
    logger.info("Reminder sweep: %s", result)
    return result


@shared_task(name="rapidreview.clocks.tasks.sweep", acks_late=True)
def sweep() -> dict:
    return run_sweep()
