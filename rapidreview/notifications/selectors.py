"""Reads about the outbox. Only the business unit sees it (the views guard that)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Notification


def outbox(status: str = "") -> QuerySet[Notification]:
    rows = Notification.objects.select_related("recipient").defer("body_text", "body_html")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-id")


def get_notification(notification_id) -> Notification:
    return get_object_or_404(Notification.objects.select_related("recipient"), pk=notification_id)
