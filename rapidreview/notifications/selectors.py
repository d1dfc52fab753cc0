"""Reads about the outbox. Only the business unit sees it (the views guard that)."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Notification, NotificationStatus

RETRYING = "retrying"
# The outbox's status filter: the stored states, plus "retrying" (queued after a failed try).
FILTERS = [(RETRYING, "Retrying"), *NotificationStatus.choices]

_retrying = Q(status=NotificationStatus.QUEUED, attempts__gt=0)


def outbox(status: str = "") -> QuerySet[Notification]:
    rows = Notification.objects.select_related("recipient").defer("body_text", "body_html")
    if status == RETRYING:
        rows = rows.filter(_retrying)
    elif status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-id")


def get_notification(notification_id) -> Notification:
    return get_object_or_404(Notification.objects.select_related("recipient"), pk=notification_id)


def undelivered() -> dict:
    """E-mails the mail server has not taken yet after trying: failed ones and ones waiting to be tried again."""
    counts = Notification.objects.aggregate(failed=Count("id", filter=Q(status=NotificationStatus.FAILED)),
                                            retrying=Count("id", filter=_retrying))
    rows = list(outbox().filter(Q(status=NotificationStatus.FAILED) | _retrying)
                .order_by("status", "created_at", "id")[:5]) if counts["failed"] or counts["retrying"] else []
    return {**counts, "rows": rows}


def sent_recently(*, to_email: str, kind: str, since: datetime.datetime) -> int:
    """How many e-mails of ``kind`` were written to ``to_email`` since ``since`` (for rate limits, such as password
    resets per address)."""
    return Notification.objects.filter(to_email__iexact=to_email, kind=kind, created_at__gte=since).count()
