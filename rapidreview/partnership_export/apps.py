from django.apps import AppConfig


class PartnershipExportConfig(AppConfig):
    name = "rapidreview.partnership_export"
    label = "partnership_export"
    verbose_name = "Partnership export and import"

    def ready(self):
        from rapidreview.accounts.models import Role
        from rapidreview.registry import register_nav

        register_nav("Export data", "partnership_export:exports", roles=(Role.BUSINESS_UNIT,), order=96)
