"""The delivery task. Thin: it delivers one row and, when the mail server failed, asks the broker to try again when
the row's backoff has passed. The sweep re-queues anything the broker lost, so a lost message only delays."""

import logging

from celery import shared_task
from kombu.exceptions import KombuError

from .delivery import Outcome, deliver
from .models import Priority

logger = logging.getLogger(__name__)


def enqueue(notification_id: int, priority: int = Priority.NORMAL, countdown: int | None = None) -> None:
    """Hand a row to the broker. A broker that is down only delays: the sweep queues due rows again."""
    try:
        deliver_notification.apply_async((notification_id,), priority=priority, countdown=countdown)
    except (KombuError, OSError):  # the broker is unreachable: the row is safe in the database
        logger.warning("Could not queue notification %s; the next sweep will deliver it.", notification_id)


@shared_task(acks_late=True)
def deliver_notification(notification_id: int) -> str:
    """Deliver one outbox row if it is due; a row that is not due, sent or claimed elsewhere is left alone."""
    outcome, retry_in = deliver(notification_id)
    if outcome is Outcome.RETRY:
        enqueue(notification_id, countdown=retry_in)
    return outcome.value
