"""Reads: which exports a person may see (only their acting partnership's, and only its business unit), what they
may do with one, and the installation administrator's imports. Access is decided here and nowhere else."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rapidreview.accounts.decorators import is_installation_admin
from rapidreview.accounts.models import Role

from .models import ExportStatus, ImportStatus, PartnershipExport, PartnershipImport


def exports_for(user) -> QuerySet[PartnershipExport]:
    """The exports of the partnership ``user`` is acting in, if they are in its business unit."""
    partnership = user.partnership if user.is_authenticated else None
    if partnership is None or not user.has_role(Role.BUSINESS_UNIT):
        return PartnershipExport.objects.none()
    return (PartnershipExport.objects.filter(partnership=partnership)
            .select_related("partnership", "requested_by", "confirmed_by", "withdrawn_by"))


def get_export(user, export_id) -> PartnershipExport:
    """One export of the acting partnership; 404 for anyone else's (or for someone outside its business unit)."""
    return get_object_or_404(exports_for(user), pk=export_id)


def open_export(user) -> PartnershipExport | None:
    return exports_for(user).filter(status__in=(ExportStatus.REQUESTED, ExportStatus.CONFIRMED)).first()


def can_download(export: PartnershipExport, now=None) -> bool:
    now = now or timezone.now()
    return export.status == ExportStatus.READY and export.expires_at is not None and export.expires_at > now


def export_actions(export: PartnershipExport, user) -> list[str]:
    """The buttons ``user`` gets on an export's page: confirm (not the requester), withdraw, download."""
    actions = []
    if export.status == ExportStatus.REQUESTED:
        if export.requested_by_id != user.pk:
            actions.append("confirm")
        actions.append("withdraw")
    if can_download(export):
        actions.append("download")
    return actions


def imports_for(user) -> QuerySet[PartnershipImport]:
    if not is_installation_admin(user):
        return PartnershipImport.objects.none()
    return PartnershipImport.objects.select_related("uploaded_by", "imported_by", "partnership")


def get_import(user, import_id, *, waiting: bool = False) -> PartnershipImport:
    rows = imports_for(user)
    if waiting:
        rows = rows.filter(status=ImportStatus.CHECKED)
    return get_object_or_404(rows, pk=import_id)
