from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgencyCheckForm, GlossaryTerm, Pack


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(SimpleHistoryAdmin):
    list_display = ("term", "expansion", "allowed")
    search_fields = ("term", "expansion")


@admin.register(AgencyCheckForm)
class AgencyCheckFormAdmin(SimpleHistoryAdmin):
    """Read-only: forms change only through the services, which keep versions, clocks and the timeline right."""

    list_display = ("case", "agency", "status", "due_on")
    list_filter = ("status",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Pack)
class PackAdmin(SimpleHistoryAdmin):
    list_display = ("case", "distributed_by", "created_at")

    def has_change_permission(self, request, obj=None):
        return False
