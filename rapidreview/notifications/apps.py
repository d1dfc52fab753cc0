from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "rapidreview.notifications"
    label = "notifications"
    verbose_name = "E-mail outbox"

    def ready(self):
        from rapidreview.accounts.models import Role
        from rapidreview.registry import register_card, register_nav

        from . import cards

        register_nav("Outbox", "notifications:outbox", roles=(Role.BUSINESS_UNIT,), order=85)
        register_card("notifications/card_undelivered.html", cards.undelivered_card, roles=(Role.BUSINESS_UNIT,),
                      order=16)
