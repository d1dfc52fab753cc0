from celery import shared_task

from .services import deliver

MAX_ATTEMPTS = 5


@shared_task(bind=True, max_retries=MAX_ATTEMPTS - 1, acks_late=True)
def deliver_notification(self, notification_id: int) -> bool:
    """Deliver one outbox row, retrying with exponential backoff when the mail server fails."""
    try:
        return deliver(notification_id)
    except Exception as exc:  # noqa: BLE001
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc
