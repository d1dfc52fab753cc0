"""The Celery app. Periodic schedules are declared once, in settings.CELERY_BEAT_SCHEDULE."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapidreview.settings")

app = Celery("rapidreview")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
