"""Preparing a confirmed export's archive (run by the ``build_export`` task) and deleting it when it expires."""

import contextlib
import hashlib
import logging
import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from rapidreview.notifications.services import notify

from .archive import ExportError, counts_of, expiry_from, write_archive
from .models import ExportStatus, PartnershipExport

logger = logging.getLogger(__name__)

EXPORT_FOLDER = "partnership-exports"


def save(export: PartnershipExport, actor=None) -> PartnershipExport:
    export._history_user = actor
    export.save()
    return export


def lock(export: PartnershipExport) -> PartnershipExport:
    return PartnershipExport.objects.select_for_update().select_related("partnership").get(pk=export.pk)


def sha256_of(file) -> str:
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


@contextlib.contextmanager
def _snapshot():
    """One consistent view of the database for the whole archive (PostgreSQL: repeatable read, read only), so
    that a case added while the archive is written cannot appear in one file and be missing from another."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


@transaction.atomic
def _fail(export: PartnershipExport, message: str) -> PartnershipExport:
    export = lock(export)
    export.status, export.failure = ExportStatus.FAILED, message
    return save(export)


def export_build(*, export_id) -> PartnershipExport:
    """Prepare the archive of a confirmed export; a re-run of a finished one does nothing."""
    export = PartnershipExport.objects.select_related("partnership", "requested_by", "confirmed_by").get(pk=export_id)
    if export.status != ExportStatus.CONFIRMED:
        return export
    with tempfile.TemporaryFile(suffix=".zip") as target:
        try:
            with _snapshot():
                manifest = write_archive(target, partnership=export.partnership, requested_by=export.requested_by,
                                         confirmed_by=export.confirmed_by, reason=export.reason,
                                         export_id=str(export.pk))
        except ExportError as error:
            return _fail(export, str(error))
        except Exception:  # noqa: BLE001 - any failure is recorded on the export; the business unit asks again
            logger.exception("Partnership export %s failed", export_id)
            return _fail(export, "The archive could not be prepared. Ask for the export again, or tell the "
                                 "installation's administrator if it fails again.")
        sha256 = sha256_of(target)
        size = target.seek(0, 2)
        target.seek(0)
        name = default_storage.save(f"{EXPORT_FOLDER}/{export.pk}.zip", File(target))
    with transaction.atomic():
        export = lock(export)
        ready_at = timezone.now()
        export.status, export.ready_at, export.expires_at = ExportStatus.READY, ready_at, expiry_from(ready_at)
        export.archive.name, export.archive_sha256, export.archive_bytes = name, sha256, size
        export.counts = counts_of(manifest)
        save(export)
        for person in {export.requested_by, export.confirmed_by}:
            notify(to=person, subject="The partnership's data export is ready to download",
                   template="partnership_export/email/ready", context={"export": export},
                   kind="partnership_export.ready", key=f"partnership_export.ready:{export.pk}:{person.pk}",
                   partnership=export.partnership, related=export)
    return export


@transaction.atomic
def export_expire(*, now=None) -> int:
    """Delete the archives past their download period; the rows are kept. Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    for export in PartnershipExport.objects.select_for_update().filter(status=ExportStatus.READY,
                                                                        expires_at__lte=now):
        if export.archive.name:
            default_storage.delete(export.archive.name)
        export.status, export.archive.name = ExportStatus.EXPIRED, ""
        save(export)
        expired += 1
    return expired
