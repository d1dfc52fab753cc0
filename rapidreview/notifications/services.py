"""Writing to the outbox and delivering from it.

``notify`` writes a row with a unique idempotency key in the caller's transaction and queues delivery after
commit. Writing the same key twice does nothing, so a re-run never sends a second copy.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from rapidreview.db import DomainError

from .models import Attachment, Notification, NotificationStatus

# A row still queued this long after it was written was probably never handed to the broker (Redis was down).
STALE_AFTER = datetime.timedelta(minutes=5)
REQUEUE_BATCH = 500

logger = logging.getLogger(__name__)


def notify(*, to, subject: str, template: str, context: dict, kind: str, key: str, related=None,
           attachments=()) -> Notification | None:
    """Queue one e-mail to ``to`` (a User or an address). Returns None when ``key`` was used already.

    ``template`` names ``<template>.txt`` and ``<template>.html``; both get ``context`` plus ``site_url`` and
    ``partnership``. Keep e-mails free of child-identifying detail: the case reference and a link only.
    """
    from rapidreview.accounts.models import Partnership

    user = to if hasattr(to, "email") else None
    email = user.email if user else str(to)
    full = {"site_url": settings.SITE_URL, "partnership": Partnership.load(), "recipient": user, **context}
    text = render_to_string(f"{template}.txt", full)
    try:
        html = render_to_string(f"{template}.html", full)
    except Exception:  # noqa: BLE001 - an HTML version is optional
        html = ""
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                recipient=user, to_email=email, subject=subject[:250], body_text=text, body_html=html, kind=kind,
                related_type=ContentType.objects.get_for_model(related) if related is not None else None,
                related_id=related.pk if related is not None else None,
                idempotency_key=key[:250],
            )
            for filename, content, mimetype in attachments:
                Attachment.objects.create(notification=note, filename=filename, mimetype=mimetype,
                                          content=content.encode() if isinstance(content, str) else content)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _enqueue(note.pk))
    return note


def _enqueue(notification_id: int) -> None:
    from .tasks import deliver_notification

    try:
        deliver_notification.delay(notification_id)
    except Exception:  # noqa: BLE001 - broker down: the sweep picks queued rows up later
        logger.warning("Could not queue notification %s; the next sweep will deliver it.", notification_id)


def deliver(notification_id: int) -> bool:
    """Send one queued notification. Returns True when sent; raises on a delivery failure so the task retries.

    The row is locked while sending, so two workers never send the same row.
    """
    failure = None
    with transaction.atomic():
        note = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if note is None or note.status not in (NotificationStatus.QUEUED, NotificationStatus.FAILED):
            return False
        note.attempts += 1
        try:
            _message(note).send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - recorded on the row, then raised for the task to retry
            failure = exc
            note.status = NotificationStatus.FAILED
            note.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            note.save(update_fields=["status", "attempts", "last_error"])
        else:
            note.status = NotificationStatus.SENT
            note.sent_at = timezone.now()
            note.last_error = ""
            note.save(update_fields=["status", "attempts", "last_error", "sent_at"])
    # Raised after the commit, so that the failure and the attempt count are kept.
    if failure is not None:
        raise failure
    return True


def _message(note: Notification) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(note.subject, note.body_text, settings.DEFAULT_FROM_EMAIL, [note.to_email])
    if note.body_html:
        message.attach_alternative(note.body_html, "text/html")
    for attachment in note.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return message


def cancel_queued(*, related, key_prefix: str = "") -> int:
    """Cancel the queued (not yet sent) e-mails about ``related`` whose key starts with ``key_prefix``, for
    example a clock's reminders when the clock is met."""
    rows = Notification.objects.filter(related_type=ContentType.objects.get_for_model(related),
                                       related_id=related.pk, status=NotificationStatus.QUEUED)
    if key_prefix:
        rows = rows.filter(idempotency_key__startswith=key_prefix)
    return rows.update(status=NotificationStatus.CANCELLED)


def requeue_stale(*, now: datetime.datetime | None = None, limit: int = REQUEUE_BATCH) -> int:
    """Hand the broker again every row still queued a few minutes after it was written. Delivery locks the row
    and skips rows already sent, so a row queued twice is still sent once."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    ids = list(Notification.objects.filter(status=NotificationStatus.QUEUED, created_at__lte=cutoff)
               .order_by("created_at").values_list("pk", flat=True)[:limit])
    for pk in ids:
        _enqueue(pk)
    return len(ids)


@transaction.atomic
def notification_resend(*, notification: Notification, actor=None) -> Notification:
    """Try a failed e-mail again: back to the queue, delivered after commit."""
    locked = Notification.objects.select_for_update().get(pk=notification.pk)
    if locked.status != NotificationStatus.FAILED:
        raise DomainError("Only an e-mail that failed can be sent again.")
    locked.status = NotificationStatus.QUEUED
    locked.save(update_fields=["status"])
    logger.info("Notification %s queued again by %s", locked.pk, getattr(actor, "pk", None))
    transaction.on_commit(lambda: _enqueue(locked.pk))
    notification.status = locked.status
    return locked
