"""A partnership's data leaving the installation (an export, asked for by one member of its business unit and
confirmed by another) and arriving on another (an import, by the installation's administrator).

The format of the archive is described in docs/partnership-export.md.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from rapidreview.db import TimeStampedModel


class ExportStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for a second person to confirm"
    CONFIRMED = "confirmed", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Could not be prepared"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


class PartnershipExport(TimeStampedModel):
    """One export of everything a partnership holds, as a ZIP archive.

    Stages: requested (by a member of the business unit, with a reason) -> confirmed (by a different member; the
    archive is built by a Celery task) -> ready (downloadable by the business unit until ``expires_at``) or
    failed; requested -> withdrawn (by either of them); ready -> expired (the archive file is deleted, the row is
    kept). Every step is a service in ``services.py`` and is written to the access log and this row's history.
    """

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ExportStatus.choices, default=ExportStatus.REQUESTED,
                              db_index=True)
    reason = models.TextField(help_text="Why the partnership's data is leaving, for example a move to another "
                                        "installation.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    archive = models.FileField(blank=True, max_length=200)
    archive_sha256 = models.CharField(max_length=64, blank=True)
    archive_bytes = models.BigIntegerField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True, help_text="Rows per model in the archive.")
    failure = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(
            fields=["partnership"], condition=models.Q(status__in=["requested", "confirmed"]),
            name="one_open_export_per_partnership")]

    def __str__(self):
        return f"Export of {self.partnership} requested {self.created_at:%d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.status == ExportStatus.REQUESTED


class ImportStatus(models.TextChoices):
    CHECKED = "checked", "Checked, waiting for confirmation"
    IMPORTED = "imported", "Imported"
    CANCELLED = "cancelled", "Cancelled"


class PartnershipImport(TimeStampedModel):
    """An archive uploaded by the installation's administrator, checked, then imported as a new partnership.

    Stages: checked (the archive's manifest, checksums and format were accepted; ``manifest`` holds what it
    contains) -> imported (in one transaction; ``partnership`` is the new one) or cancelled. A failed import
    changes nothing and leaves the row checked, with ``failure`` saying why.
    """

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECKED)
    archive = models.FileField(max_length=200)
    archive_sha256 = models.CharField(max_length=64)
    manifest = models.JSONField(default=dict)
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", help_text="The partnership the archive became.")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    imported_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True, help_text="What the import did: rows, people, agencies.")
    failure = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Import of {self.manifest.get('partnership', {}).get('name', 'an archive')}"
