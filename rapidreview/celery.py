"""The Celery app. Periodic schedules are declared once, in settings.CELERY_BEAT_SCHEDULE."""

import logging
import os

from celery import Celery
from celery.signals import worker_process_init, worker_ready

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


@worker_process_init.connect
def warm_up_the_worker(**kwargs):
    """Each worker process loads its views, templates and calendar and renders a small PDF as it starts, so the
    first pack it prepares is as fast as the next (issue 20). A failure is logged, not raised: the worker still
    sends e-mails and sweeps the clocks."""
    # Imported here: this module is loaded with Django's settings, before the models that rapidreview.warmup reads.
    from rapidreview.warmup import warm_worker

    try:
        logging.getLogger(__name__).info("Worker warmed up (seconds): %s", warm_worker())
    except Exception:  # noqa: BLE001 - logged with its traceback; a document request will show the same error
        logging.getLogger(__name__).exception("Worker warm-up failed")
