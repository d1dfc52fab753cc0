from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "rapidreview.audit"
    label = "audit"
    verbose_name = "Audit and access log"
