"""The periodic reminder sweep (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from rapidreview.notifications.services import requeue_stale

from .models import Clock
from .services import ACTIVE_STATES, mark_overdue, send_due_reminders

logger = logging.getLogger(__name__)

BATCH = 1000


def run_sweep(today: datetime.date | None = None) -> dict:
    """Mark overdue clocks, write the reminders that are due, and re-queue e-mails the broker never got.

    Every query is indexed and bounded by what is due: clocks that are not due cost nothing.
    """
    today = today or timezone.localdate()
    overdue = mark_overdue(today)
    clocks = written = 0
    last_batch = None
    while True:
        ids = list(Clock.objects.filter(state__in=ACTIVE_STATES, next_reminder_on__lte=today)
                   .order_by("next_reminder_on", "id").values_list("id", flat=True)[:BATCH])
        # A batch identical to the last one means every clock in it is locked by another sweep: stop.
        if not ids or ids == last_batch:
            break
        last_batch = ids
        for clock_id in ids:
            written += send_due_reminders(clock_id=clock_id, today=today)
            clocks += 1
        if len(ids) < BATCH:
            break
    requeued = requeue_stale()
    result = {"overdue": overdue, "clocks": clocks, "reminders": written, "requeued": requeued}
    logger.info("Reminder sweep: %s", result)
    return result


@shared_task(name="rapidreview.clocks.tasks.sweep", acks_late=True)
def sweep() -> dict:
    return run_sweep()
