"""Reads about the outbox. Only the business unit sees it (the views guard that), and only the e-mails its own
partnership sent: another partnership's, and the installation's own (sign-in links, which name no partnership),
are never listed (ADR 0015)."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Notification, NotificationStatus

RETRYING = "retrying"
# The outbox's status filter: the stored states, plus "retrying" (queued after a failed try).
FILTERS = [(RETRYING, "Retrying"), *NotificationStatus.choices]

_retrying = Q(status=NotificationStatus.QUEUED, attempts__gt=0)


def outbox(user, status: str = "") -> QuerySet[Notification]:
    """The e-mails of the partnership ``user`` acts in, newest first."""
    rows = (Notification.objects.filter(partnership=user.partnership).select_related("recipient")
            .defer("body_text", "body_html"))
    if status == RETRYING:
        rows = rows.filter(_retrying)
    elif status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-id")


def get_notification(user, notification_id) -> Notification:
    """One e-mail of ``user``'s acting partnership; another partnership's is a 404."""
    return get_object_or_404(Notification.objects.filter(partnership=user.partnership).select_related("recipient"),
                             pk=notification_id)


def undelivered(user) -> dict:
    """E-mails of ``user``'s acting partnership the mail server has not taken yet after trying: failed ones and ones
    waiting to be tried again."""
    counts = Notification.objects.filter(partnership=user.partnership).aggregate(
        failed=Count("id", filter=Q(status=NotificationStatus.FAILED)), retrying=Count("id", filter=_retrying))
    rows = list(outbox(user).filter(Q(status=NotificationStatus.FAILED) | _retrying)
                .order_by("status", "created_at", "id")[:5]) if counts["failed"] or counts["retrying"] else []
    return {**counts, "rows": rows}


def sent_recently(*, to_email: str, kind: str, since: datetime.datetime) -> int:
    """How many e-mails of ``kind`` were written to ``to_email`` since ``since`` (for rate limits, such as password
    resets per address)."""
    return Notification.objects.filter(to_email__iexact=to_email, kind=kind, created_at__gte=since).count()
