from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "rapidreview.notifications"
    label = "notifications"
    verbose_name = "E-mail outbox"

    def ready(self):
        from rapidreview.accounts.models import Role
        from rapidreview.registry import register_nav

        register_nav("Outbox", "notifications:outbox", roles=(Role.BUSINESS_UNIT,), order=85)
