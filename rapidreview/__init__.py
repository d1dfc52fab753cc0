"""Rapid Review: the Django project and the core every stage app shares."""

from .celery import app as celery_app

__all__ = ["celery_app"]
