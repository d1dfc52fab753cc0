from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "rapidreview.notifications"
    label = "notifications"
    verbose_name = "E-mail outbox"
