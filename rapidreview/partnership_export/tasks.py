"""Preparing an export's archive, and deleting archives past their download period (daily, in
settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .building import export_build, export_expire


@shared_task(acks_late=True)
def build_export(export_id: str) -> str:
    """Prepare one confirmed export's archive. A failure is recorded on the export, so this is never retried."""
    return export_build(export_id=export_id).status


@shared_task
def expire_exports() -> int:
    return export_expire()
