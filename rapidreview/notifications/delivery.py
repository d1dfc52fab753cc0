"""Delivering one outbox row: claim it, send it, record what happened. No database lock is held while the mail
server is talking (docs/decisions/0006-outbox-delivery.md).

1. Claim: one UPDATE moves the row from ``queued`` (due) or ``sending`` (lease expired) to ``sending`` with a new
   lease and a token. Two workers racing for a row: the database lets one UPDATE match, the other matches nothing.
2. Send, outside any transaction. The connection is opened by us, so the message is recorded as sent *before* the
   polite QUIT: a mail server that is slow to close cannot make us send twice.
3. Record: ``sent`` (or back to ``queued`` with a later ``next_attempt_at``, or ``failed`` after ``RETRY_FOR``),
   only where the token still matches, so a worker whose lease was taken over cannot overwrite the new owner.
"""

import datetime
import enum
import logging
import smtplib
import uuid
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q
from django.utils import timezone

from .composing import bodies
from .models import Notification, NotificationStatus

logger = logging.getLogger(__name__)

# Retries go on with backoff (1, 2, 4 ... minutes, then hourly) for at least this long before a row is "failed".
RETRY_FOR = datetime.timedelta(days=3)
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 3600
# Longer than any send can take (EMAIL_TIMEOUT per SMTP command): a live worker never loses its lease. After a
# worker dies, its row is retried when the lease runs out.
DEFAULT_LEASE_SECONDS = 600


class DeliveryError(Exception):
    """A mail service refused or could not take a message (raised by our own backends)."""


# What a mail server or a network can do to us. Anything else is a bug: it is raised, and the lease brings the row
# back later.
DELIVERY_ERRORS = (smtplib.SMTPException, OSError, DeliveryError)


class Outcome(enum.Enum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"  # not due, already sent, or claimed by another worker


def lease_seconds() -> int:
    return int(getattr(settings, "OUTBOX_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def backoff_seconds(attempts: int) -> int:
    return min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS)


def due_q(now: datetime.datetime) -> Q:
    """Rows a worker may claim now."""
    return (Q(status=NotificationStatus.QUEUED, next_attempt_at__lte=now)
            | Q(status=NotificationStatus.QUEUED, next_attempt_at__isnull=True)
            | Q(status=NotificationStatus.SENDING, leased_until__lte=now))


def claim(notification_id: int, now: datetime.datetime | None = None) -> uuid.UUID | None:
    """Take the row for one send, in one short UPDATE. Returns the lease token, or None if it is not ours."""
    now = now or timezone.now()
    token = uuid.uuid4()
    claimed = Notification.objects.filter(due_q(now), pk=notification_id).update(
        status=NotificationStatus.SENDING, leased_until=now + datetime.timedelta(seconds=lease_seconds()),
        lease_token=token, attempts=F("attempts") + 1)
    return token if claimed else None


def deliver(notification_id: int) -> tuple[Outcome, int | None]:
    """Send one row if it is due. Returns the outcome and, for a retry, the seconds until the next try."""
    token = claim(notification_id)
    if token is None:
        return Outcome.SKIPPED, None
    note = Notification.objects.select_related("partnership", "recipient").prefetch_related("attachments").get(
        pk=notification_id)
    if note.template:
        _compose(note, token)
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
        if connection.send_messages([message_for(note)]) != 1:
            raise DeliveryError("The mail server did not accept the message.")
    except DELIVERY_ERRORS as exc:
        _close(connection)
        return _mark_failed(note, token, exc)
    _mark_sent(note, token)
    _close(connection)
    return Outcome.SENT, None


def _compose(note: Notification, token: uuid.UUID) -> None:
    """Render a digest written with its template (ADR 0028) and keep its bodies, so that the outbox shows what was
    sent. Written under our lease: a worker whose lease was taken over writes nothing."""
    note.body_text, note.body_html = bodies(note)
    Notification.objects.filter(pk=note.pk, lease_token=token).update(
        body_text=note.body_text, body_html=note.body_html, template="", context=None)


def _close(connection) -> None:
    try:
        connection.close()
    except DELIVERY_ERRORS as exc:  # the message was accepted (or refused) already: a failed QUIT changes nothing
        logger.info("Mail connection did not close cleanly: %s", exc)


def _mark_sent(note: Notification, token: uuid.UUID) -> None:
    changes = {"status": NotificationStatus.SENT, "sent_at": timezone.now(), "last_error": "", "leased_until": None,
               "lease_token": None, "failing_since": None, "next_attempt_at": None}  # nosec B105 - a lease, no secret
    if note.sensitive:
        changes.update(body_text="(Not kept: this e-mail held a sign-in link.)", body_html="")
    if not Notification.objects.filter(pk=note.pk, lease_token=token).update(**changes):
        # Our lease ran out and another worker took the row over while we were sending: the case ADR 0006 names.
        logger.warning("Notification %s was sent after its lease expired; it may be delivered twice.", note.pk)


def _mark_failed(note: Notification, token: uuid.UUID, exc: Exception) -> tuple[Outcome, int | None]:
    now = timezone.now()
    failing_since = note.failing_since or now
    error = f"{type(exc).__name__}: {exc}"[:2000]
    common = {"last_error": error, "leased_until": None, "lease_token": None,  # nosec B105 - a lease, no secret
              "failing_since": failing_since}
    if now - failing_since >= RETRY_FOR:
        Notification.objects.filter(pk=note.pk, lease_token=token).update(
            status=NotificationStatus.FAILED, next_attempt_at=None, **common)
        logger.error("Notification %s to %s failed for %s and is given up: %s", note.pk, note.to_email,
                     RETRY_FOR, error)
        return Outcome.FAILED, None
    delay = backoff_seconds(note.attempts)
    Notification.objects.filter(pk=note.pk, lease_token=token).update(
        status=NotificationStatus.QUEUED, next_attempt_at=now + datetime.timedelta(seconds=delay), **common)
    logger.warning("Notification %s not delivered (try %s), next try in %s s: %s", note.pk, note.attempts, delay,
                   error)
    return Outcome.RETRY, delay


def message_for(note: Notification) -> EmailMultiAlternatives:
    """The e-mail as it leaves: from the partnership by name, replies to its business unit, and a Message-ID fixed
    per row, so that a mail system that sees the same row twice can tell it is the same message."""
    partnership = note.partnership
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = address.rpartition("@")[2] or "rapidreview.local"
    sender = partnership.name if partnership else settings.INSTALLATION_NAME
    message = EmailMultiAlternatives(
        note.subject, note.body_text, formataddr((sender, address)), [note.to_email],
        reply_to=[partnership.contact_email] if partnership and partnership.contact_email else None,
        headers={"Message-ID": f"<outbox.{note.pk}.{note.created_at:%Y%m%d%H%M%S}@{domain}>"},
    )
    if note.body_html:
        message.attach_alternative(note.body_html, "text/html")
    for attachment in note.attachments.all():
        if attachment.mimetype.startswith("text/calendar"):
            # A meeting request is one more way of showing the same message (an alternative part), not a file:
            # that is what makes Outlook offer Accept and Decline instead of importing it.
            message.attach_alternative(bytes(attachment.content).decode(), attachment.mimetype)
        else:
            message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return message
