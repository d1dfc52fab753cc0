"""The outbox: every e-mail is a row first, delivered by a Celery task that is safe to run again."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Notification(models.Model):
    """One e-mail. States: ``queued`` (written by ``notify``), ``sent`` (delivered), ``failed`` (the last attempt
    failed; retried with backoff, or resent by the business unit), ``cancelled`` (its clock was met first)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="notifications")
    to_email = models.EmailField()
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    kind = models.CharField(max_length=50, db_index=True)
    related_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    related_id = models.UUIDField(null=True, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    idempotency_key = models.CharField(max_length=250, unique=True)
    status = models.CharField(max_length=20, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbox_status_idx"),
            models.Index(fields=["related_type", "related_id", "status"], name="outbox_related_idx"),
        ]

    def __str__(self):
        return f"{self.kind} to {self.to_email} ({self.status})"


class Attachment(models.Model):
    """A file sent with a notification, such as a calendar invitation. Never child details."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    mimetype = models.CharField(max_length=100)
    content = models.BinaryField()

    def __str__(self):
        return self.filename
