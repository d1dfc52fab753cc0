"""The weekly retention review: a dry run that tells the business unit how many cases are past retention."""

from celery import shared_task
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.accounts.selectors import users_with_role
from rapidreview.notifications.services import notify

from .retention import cases_past_retention


@shared_task(bind=True, max_retries=3, default_retry_delay=600)
def retention_review(self) -> int:
    """Count the cases past retention and e-mail the business unit the number (never names). Changes nothing."""
    due = cases_past_retention()
    if not due:
        return 0
    week = timezone.localdate().isocalendar()
    for person in users_with_role(Role.BUSINESS_UNIT):
        notify(to=person, subject=f"{len(due)} case(s) past their retention period",
               template="audit/email/retention_review", context={"count": len(due)},
               kind="audit.retention_review", key=f"audit.retention_review:{week.year}-{week.week}:{person.pk}")
    return len(due)
