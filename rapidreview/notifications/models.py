"""The outbox: every e-mail is a row first, delivered by a Celery task that is safe to run again.

Delivery never holds a database lock while it talks to the mail server: it claims a row with one short UPDATE
(``queued`` -> ``sending`` with a lease), sends, then marks it ``sent`` in a second short UPDATE that only the
holder of the lease can make. See docs/decisions/0006-outbox-delivery.md.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Priority(models.IntegerChoices):
    """Lower goes first (Redis transport order). Immediate: someone is waiting for it, such as a password reset."""

    IMMEDIATE = 0, "Immediate"
    NORMAL = 6, "Normal"


class Notification(models.Model):
    """One e-mail. States:

    - ``queued``: written by ``notify``, or waiting for its next try after the mail server failed
      (``next_attempt_at``; ``attempts`` > 0 and ``last_error`` say it is retrying).
    - ``sending``: claimed by one worker until ``leased_until``. A worker that dies here leaves the row to be
      claimed again once the lease has expired.
    - ``sent``: the mail server accepted it (``sent_at``).
    - ``failed``: the mail server kept refusing it for the whole retry window (``RETRY_FOR``, three days); shown on
      the business unit's dashboard until someone sends it again.
    - ``cancelled``: its clock was met before it was sent.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="notifications")
    to_email = models.EmailField()
    # Foreign keys and the key below have no index of their own where one of Meta's starts with them: each index is
    # written on every insert, and the sweep inserts hundreds of rows at once (issue 20).
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False,
        help_text="The partnership the e-mail comes from; empty for the installation's own (a sign-in link).")
    subject = models.CharField(max_length=250)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    # A digest of the reminder sweep is written with its template and context and composed when it is delivered
    # (``composing``, ADR 0028); both are emptied once it is. Neither names a child: e-mails never do.
    template = models.CharField(max_length=100, blank=True, help_text="Until composed: the e-mail's template.")
    context = models.JSONField(null=True, blank=True, help_text="Until composed: what the template is given.")
    kind = models.CharField(max_length=50)
    related_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     db_index=False)
    related_id = models.UUIDField(null=True, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    idempotency_key = models.CharField(max_length=250)  # unique: Meta.constraints
    status = models.CharField(max_length=20, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    sensitive = models.BooleanField(default=False, help_text="Holds a secret (a sign-in link): the body is not "
                                    "shown in the outbox and is removed once sent.")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="When a queued row may be tried.")
    leased_until = models.DateTimeField(null=True, blank=True, help_text="While sending: when the claim expires.")
    lease_token = models.UUIDField(null=True, blank=True, help_text="Which claim may mark the row sent.")
    failing_since = models.DateTimeField(null=True, blank=True, help_text="First failed try of the current run.")
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbox_status_idx"),
            models.Index(fields=["related_type", "related_id", "status"], name="outbox_related_idx"),
            # The sweep's "what is due for a (re)try": queued rows whose time has come, expired leases.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx",
                         condition=models.Q(status="queued")),
            models.Index(fields=["status", "leased_until"], name="outbox_lease_idx",
                         condition=models.Q(status="sending")),
            # The outbox page: one partnership's e-mails, newest first (ADR 0019).
            models.Index(fields=["partnership", "-created_at", "-id"], name="outbox_partnership_idx"),
            # How many e-mails of one kind went to an address lately (the sign-in link's rate limit).
            models.Index(fields=["kind", "created_at"], name="outbox_kind_idx"),
        ]
        constraints = [
            # A constraint rather than ``unique=True``, which also adds a second, pattern-matching index that no
            # query uses (nobody searches keys with LIKE).
            models.UniqueConstraint(fields=["idempotency_key"], name="outbox_idempotency_key_uniq"),
        ]

    def __str__(self):
        return f"{self.kind} to {self.to_email} ({self.status})"

    @property
    def retrying(self) -> bool:
        return self.status == NotificationStatus.QUEUED and self.attempts > 0


class Attachment(models.Model):
    """A file sent with a notification, such as a calendar invitation. Never child details."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    mimetype = models.CharField(max_length=100)
    content = models.BinaryField()

    def __str__(self):
        return self.filename
