"""The Django admin for people, agencies and partnerships, and the rule that keeps case content out of it.

The installation's administrator is staff without a role in any partnership (ADR 0015): they may see people,
agencies and partnerships here, never a case or anything that hangs off one. ``limit_case_content_to_superusers``
(run from ``AccountsConfig.ready`` once every app has registered its admin) makes every model of the apps that hold
case content (cases, forms, decisions, actions, themes, clocks, e-mails, the access log) answer "no permission" to
anyone but a superuser, whatever permissions a staff account was given. Superusers are the technical operators,
who can read the database anyway.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, Partnership, RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "agency", "is_active"]
    search_fields = ["full_name", "email"]
    list_filter = ["is_active", "agency"]
    inlines = [RoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "agency", "job_title", "phone"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "password1", "password2"]})]


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "type", "statutory_partner", "is_active"]
    search_fields = ["name"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "slug", "is_active"]
    filter_horizontal = ["agencies"]

    def has_add_permission(self, request):
        # Added on the installation's page (accounts:partnership_new), which gives it a business unit and sends
        # partnership_created so that its themes list is set up.
        return False


# App labels whose models are, or hang off, case content.
CASE_CONTENT_APPS = frozenset({
    "referrals", "panels", "agencychecks", "decisions", "actionplan", "themes", "clocks", "notifications", "audit",
})
PERMISSION_METHODS = ("has_module_permission", "has_view_permission", "has_add_permission",
                      "has_change_permission", "has_delete_permission")


def _superuser_only(method):
    def check(request, *args, **kwargs):
        return bool(request.user.is_active and request.user.is_superuser) and method(request, *args, **kwargs)

    return check


def limit_case_content_to_superusers(site=admin.site) -> list[str]:
    """Make the admin of every case-content model refuse everyone but superusers. Returns the models limited."""
    limited = []
    for model, model_admin in site._registry.items():
        if model._meta.app_label not in CASE_CONTENT_APPS or getattr(model_admin, "_superuser_only", False):
            continue
        for name in PERMISSION_METHODS:
            setattr(model_admin, name, _superuser_only(getattr(model_admin, name)))
        model_admin._superuser_only = True
        limited.append(model._meta.label)
    return limited
