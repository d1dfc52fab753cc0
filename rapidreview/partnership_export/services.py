"""Writes: asking for, confirming, withdrawing, building and expiring an export; checking and running an import.

The second-person rule follows the retention proposals (rapidreview.audit.retention): one member of the business
unit asks, a different member confirms, and either may withdraw while it waits.
"""

import uuid

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import Partnership, Role
from rapidreview.accounts.selectors import users_with_role
from rapidreview.db import DomainError
from rapidreview.notifications.services import notify

from .building import lock, save, sha256_of
from .loading import Loader
from .models import ExportStatus, ImportStatus, PartnershipExport, PartnershipImport
from .reading import ArchiveInvalid, check_archive, open_archive
from .selectors import is_installation_admin
from .tasks import build_export

IMPORT_FOLDER = "partnership-imports"
OPEN = (ExportStatus.REQUESTED, ExportStatus.CONFIRMED)


def _require_business_unit(actor, partnership) -> None:
    if not actor.has_role_in(partnership, Role.BUSINESS_UNIT):
        raise DomainError("Only the partnership's business unit can export its data.")




@transaction.atomic
def export_request(*, partnership: Partnership, actor, reason: str) -> PartnershipExport:
    """First step: a member of the business unit asks to export everything the partnership holds."""
    _require_business_unit(actor, partnership)
    Partnership.objects.select_for_update().get(pk=partnership.pk)  # one request at a time
    if PartnershipExport.objects.filter(partnership=partnership, status__in=OPEN).exists():
        raise DomainError("An export of the partnership's data is already waiting or being prepared.")
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter why the partnership's data is being exported.")
    export = save(PartnershipExport(partnership=partnership, reason=reason, requested_by=actor), actor)
    for person in users_with_role(Role.BUSINESS_UNIT, partnership=partnership):
        notify(to=person, subject="An export of the partnership's data was requested",
               template="partnership_export/email/requested", context={"export": export},
               kind="partnership_export.requested", key=f"partnership_export.requested:{export.pk}:{person.pk}",
               partnership=partnership, related=export)
    return export


@transaction.atomic
def export_confirm(*, export: PartnershipExport, actor) -> PartnershipExport:
    """Second step, by a different member of the business unit: the archive is then prepared by a task."""
    export = lock(export)
    _require_business_unit(actor, export.partnership)
    if export.status != ExportStatus.REQUESTED:
        raise DomainError("This export has already been confirmed or withdrawn.")
    if export.requested_by_id == actor.pk:
        raise DomainError("A different member of the business unit must confirm: you asked for this export.")
    export.status, export.confirmed_by, export.confirmed_at = ExportStatus.CONFIRMED, actor, timezone.now()
    save(export, actor)
    export_id = str(export.pk)
    transaction.on_commit(lambda: build_export.delay(export_id))
    return export


@transaction.atomic
def export_withdraw(*, export: PartnershipExport, actor) -> PartnershipExport:
    """Withdraw a request that has not been confirmed; nothing is exported."""
    export = lock(export)
    _require_business_unit(actor, export.partnership)
    if export.status != ExportStatus.REQUESTED:
        raise DomainError("Only an export waiting for confirmation can be withdrawn.")
    export.status, export.withdrawn_by, export.withdrawn_at = ExportStatus.WITHDRAWN, actor, timezone.now()
    return save(export, actor)


# -- import ------------------------------------------------------------------------------------------------


def _require_admin(actor) -> None:
    if not is_installation_admin(actor):
        raise DomainError("Only the installation's administrator can import a partnership.")


@transaction.atomic
def import_check(*, upload, actor) -> PartnershipImport:
    """Check an uploaded archive (manifest, format, checksums) and keep it for the administrator to confirm."""
    _require_admin(actor)
    try:
        manifest = check_archive(upload)
    except ArchiveInvalid as error:
        error.field = "archive"
        raise
    sha256 = sha256_of(upload)
    name = default_storage.save(f"{IMPORT_FOLDER}/{uuid.uuid4()}.zip", upload)
    record = PartnershipImport(uploaded_by=actor, archive=name, archive_sha256=sha256, manifest=manifest)
    record._history_user = actor
    record.save()
    return record


def _open_stored(record: PartnershipImport):
    file = default_storage.open(record.archive.name, "rb")
    if sha256_of(file) != record.archive_sha256:
        file.close()
        raise ArchiveInvalid("The uploaded archive has changed since it was checked: upload it again.")
    return file


def import_run(*, record: PartnershipImport, name: str, slug: str, short_name: str, prefix: str,
               actor) -> Partnership:
    """Import the checked archive as a new partnership, all or nothing. A refusal is kept on the record."""
    _require_admin(actor)
    try:
        with transaction.atomic():
            record = PartnershipImport.objects.select_for_update().get(pk=record.pk)
            if record.status != ImportStatus.CHECKED:
                raise DomainError("This archive has already been imported or cancelled.")
            with _open_stored(record) as file, open_archive(file) as archive:
                loader = Loader(archive, record.manifest, name=name, slug=slug, short_name=short_name,
                                prefix=prefix, actor=actor)
                partnership = loader.run()
            record.status, record.partnership = ImportStatus.IMPORTED, partnership
            record.imported_by, record.imported_at = actor, timezone.now()
            record.summary, record.failure = loader.summary.as_dict(), ""
            record._history_user = actor
            record.save()
    except DomainError as error:
        PartnershipImport.objects.filter(pk=record.pk, status=ImportStatus.CHECKED).update(failure=str(error))
        raise
    default_storage.delete(record.archive.name)
    return partnership


@transaction.atomic
def import_cancel(*, record: PartnershipImport, actor) -> PartnershipImport:
    _require_admin(actor)
    record = PartnershipImport.objects.select_for_update().get(pk=record.pk)
    if record.status != ImportStatus.CHECKED:
        raise DomainError("This archive has already been imported or cancelled.")
    default_storage.delete(record.archive.name)
    record.status = ImportStatus.CANCELLED
    record._history_user = actor
    record.save()
    return record
