"""The Celery app. Periodic schedules are declared once, in settings.CELERY_BEAT_SCHEDULE."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapidreview.settings")

app = Celery("rapidreview")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def sweep_when_a_worker_starts(sender, **kwargs):
    """Sweep the clocks as soon as a worker is up, so reminders due while it was down go out at once.

    The sweep is idempotent (every reminder has a unique key), so an extra run never sends twice.
    """
    sender.app.send_task("rapidreview.clocks.tasks.sweep")
