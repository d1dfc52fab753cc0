"""Writing to the outbox.

``notify`` writes a row with a unique idempotency key in the caller's transaction and queues delivery after
commit. Writing the same key twice does nothing, so a re-run never sends a second copy. Every e-mail has the same
greeting and sign-off (``notifications/email/layout.txt``), so templates hold only what the e-mail is about.
"""

import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from rapidreview.db import DomainError

from .composing import render_email
from .delivery import due_q
from .models import Attachment, Notification, NotificationStatus, Priority
from .tasks import enqueue

# A row still queued this long after it was written was probably never handed to the broker (Redis was down).
STALE_AFTER = datetime.timedelta(minutes=5)
REQUEUE_BATCH = 500
# Subjects are read in a list of e-mails: short, and never cut in the middle of a word.
SUBJECT_MAX = 80

logger = logging.getLogger(__name__)


def subject_line(text: str) -> str:
    """One line of at most ``SUBJECT_MAX`` characters, shortened at a word boundary."""
    text = " ".join(str(text).split())
    if len(text) <= SUBJECT_MAX:
        return text
    cut = text[:SUBJECT_MAX]
    if text[SUBJECT_MAX] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–-") + "…"


def notify(*, to, subject: str, template: str, context: dict, kind: str, key: str, partnership, related=None,
           attachments=(), priority: int = Priority.NORMAL, sensitive: bool = False) -> Notification | None:
    """Queue one e-mail to ``to`` (a User, or an address for someone without an account). Returns None when ``key``
    was used already.

    ``partnership`` is the partnership the e-mail comes from (a case's leading partnership): it signs the e-mail,
    is its sender's name and takes replies. ``None`` only for the installation's own e-mails (a sign-in link).

    ``template`` names ``<template>.txt`` and an optional ``<template>.html``; both get ``context`` plus
    ``site_url``, ``partnership`` and ``recipient``. Keep e-mails free of child-identifying detail: the case
    reference and a link only. ``priority=Priority.IMMEDIATE`` for e-mails someone is waiting for (a password
    reset); ``sensitive=True`` for e-mails holding a secret: the outbox hides the body and drops it once sent.
    """
    note = _row(to=to, subject=subject, template=template, context=context, kind=kind, key=key,
                partnership=partnership, priority=priority, sensitive=sensitive,
                related_type_id=ContentType.objects.get_for_model(related).pk if related is not None else None,
                related_id=related.pk if related is not None else None)
    try:
        with transaction.atomic():
            note.save(force_insert=True)
            for filename, content, mimetype in attachments:
                Attachment.objects.create(notification=note, filename=filename, mimetype=mimetype,
                                          content=content.encode() if isinstance(content, str) else content)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _enqueue(note.pk, priority))
    return note


def notify_many(emails: list[dict]) -> dict[str, int]:
    """Queue many e-mails in one INSERT (a sweep's digests): each dict holds ``notify``'s arguments, but
    ``related_type_id``/``related_id`` (a content type's id and a key) instead of ``related``, no attachments, and a
    ``context`` that JSON can hold (text, numbers, true or false, lists and dicts of them). ``to`` may be an
    address with the person's id beside it as ``recipient_id``, so that a sweep need not build each person. Each
    row keeps its template and context and is composed when it is delivered (``composing``; ADR 0028).

    A key used already writes nothing (``ON CONFLICT DO NOTHING`` on the unique idempotency key). Returns
    {key: outbox row id} for every key, written now or before; each is handed to the broker after commit (delivery
    claims a row once, so handing an older row again sends nothing twice)."""
    if not emails:
        return {}
    rows = [_row(**email, compose_later=True) for email in emails]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    keys = [row.idempotency_key for row in rows]
    found = dict(Notification.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", "pk"))
    queue = [(found[row.idempotency_key], row.priority) for row in rows]
    transaction.on_commit(lambda: [_enqueue(pk, priority) for pk, priority in queue])
    return found


def _row(*, to, subject: str, template: str, context: dict, kind: str, key: str, partnership, related_type_id=None,
         related_id=None, priority: int = Priority.NORMAL, sensitive: bool = False,
         compose_later: bool = False, recipient_id=None) -> Notification:
    """An unsaved outbox row, its bodies rendered (or, ``compose_later``, its template and context kept for
    delivery to render). ``to`` is a User, or an address (of the User ``recipient_id``, if given)."""
    user = to if hasattr(to, "email") else None
    email = user.email if user else str(to)
    person = {"recipient": user} if user else {"recipient_id": recipient_id}
    if compose_later:
        text, html, later = "", "", {"template": template, "context": context}
    else:
        text, html = render_email(template=template, context=context, partnership=partnership, recipient=user)
        later = {}
    return Notification(
        **person, to_email=email, partnership=partnership, subject=subject_line(subject), **later,
        body_text=text, body_html=html, kind=kind, related_type_id=related_type_id, related_id=related_id,
        idempotency_key=key[:250], priority=priority, sensitive=sensitive, next_attempt_at=timezone.now(),
    )


def _enqueue(notification_id: int, priority: int = Priority.NORMAL) -> None:
    enqueue(notification_id, priority=priority)


def cancel_queued(rows) -> int:
    """Cancel the rows of ``rows`` (a queryset) not yet claimed for sending, for example the reminders of a clock
    that was met. A row already being sent is left to finish."""
    return rows.filter(status=NotificationStatus.QUEUED).update(status=NotificationStatus.CANCELLED,
                                                                next_attempt_at=None)


def requeue_due(*, now: datetime.datetime | None = None, limit: int = REQUEUE_BATCH) -> int:
    """Hand the broker again every row that should be tried now: a retry whose backoff has passed, a row whose
    worker died (lease expired), or a row still untried minutes after it was written (the broker was down).
    Delivery claims each row in one UPDATE, so a row queued twice is still sent once."""
    now = now or timezone.now()
    fresh = Q(status=NotificationStatus.QUEUED, attempts=0, created_at__gt=now - STALE_AFTER)
    rows = list(Notification.objects.filter(due_q(now)).exclude(fresh)
                .order_by("priority", "next_attempt_at", "pk").values_list("pk", "priority")[:limit])
    for pk, priority in rows:
        _enqueue(pk, priority)
    return len(rows)


@transaction.atomic
def notification_resend(*, notification: Notification, actor=None) -> Notification:
    """Try a failed e-mail again: back to the queue with a fresh retry window, delivered after commit."""
    locked = Notification.objects.select_for_update().get(pk=notification.pk)
    if locked.status != NotificationStatus.FAILED:
        raise DomainError("Only an e-mail that failed can be sent again.")
    locked.status = NotificationStatus.QUEUED
    locked.next_attempt_at = timezone.now()
    locked.failing_since = None
    locked.save(update_fields=["status", "next_attempt_at", "failing_since"])
    logger.info("Notification %s queued again by %s", locked.pk, getattr(actor, "pk", None))
    transaction.on_commit(lambda: _enqueue(locked.pk, locked.priority))
    notification.status = locked.status
    return locked
