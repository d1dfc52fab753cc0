from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "rapidreview.audit"
    label = "audit"
    verbose_name = "Audit and access log"

    def ready(self):
        from rapidreview.accounts.models import Role
        from rapidreview.registry import register_case_annotation, register_case_section, register_nav

        from .sections import case_audit_section, legal_hold_reason

        register_nav("Audit", "audit:log", roles=(Role.BUSINESS_UNIT,), order=95)
        register_case_section("audit/case_section.html", case_audit_section, order=99)
        register_case_annotation("legal_hold_reason", legal_hold_reason)
        post_migrate.connect(_protect_after_migrate, dispatch_uid="audit-protect-tables")


def _protect_after_migrate(sender, using="default", **kwargs):
    """Signature and history tables created by any migration get their append-only trigger (PostgreSQL)."""
    from django.db import connections

    from .protection import protect_tables

    protect_tables(connections[using])
