from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "rapidreview.audit"
    label = "audit"
    verbose_name = "Audit and access log"

    def ready(self):
        from rapidreview.accounts.models import Role
        from rapidreview.registry import register_case_section, register_nav

        from .sections import case_audit_section

        register_nav("Audit", "audit:log", roles=(Role.BUSINESS_UNIT,), order=95)
        register_case_section("audit/case_section.html", case_audit_section, order=99)
