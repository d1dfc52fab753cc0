from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "rapidreview.notifications"
    label = "notifications"
    verbose_name = "E-mail outbox"

    def ready(self):
        from celery.signals import worker_process_init

        from rapidreview.accounts.models import Role
        from rapidreview.registry import register_card, register_nav
        from rapidreview.warmup import warm_celery_worker

        from . import cards

        # The Celery worker's processes send the outbox: each warms up as it starts (issue 20).
        worker_process_init.connect(warm_celery_worker, dispatch_uid="rapidreview-warm-worker")

        register_nav("Outbox", "notifications:outbox", roles=(Role.BUSINESS_UNIT,), order=85)
        register_card("notifications/card_undelivered.html", cards.undelivered_card, roles=(Role.BUSINESS_UNIT,),
                      order=16)
