from django.contrib import admin

from .models import PartnershipExport, PartnershipImport


class _ReadOnly(admin.ModelAdmin):
    """Records of what happened: seen here, changed only through the pages and their services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PartnershipExport)
class PartnershipExportAdmin(_ReadOnly):
    list_display = ["partnership", "status", "requested_by", "confirmed_by", "created_at", "expires_at"]
    list_filter = ["status"]
    exclude = ["reason"]


@admin.register(PartnershipImport)
class PartnershipImportAdmin(_ReadOnly):
    list_display = ["__str__", "status", "uploaded_by", "partnership", "created_at"]
    list_filter = ["status"]
