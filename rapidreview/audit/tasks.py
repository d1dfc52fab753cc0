"""The weekly retention review: a dry run that tells each partnership's business unit how many of the cases it leads
are past its retention periods."""

from celery import shared_task
from django.utils import timezone

from rapidreview.accounts.models import Partnership, Role
from rapidreview.accounts.selectors import users_with_role
from rapidreview.notifications.services import notify

from .retention import cases_past_retention


@shared_task(bind=True, max_retries=3, default_retry_delay=600)
def retention_review(self) -> int:
    """Count each partnership's cases past retention and e-mail its business unit the number (never names).
    Changes nothing. Returns the number of cases past retention on the installation."""
    week = timezone.localdate().isocalendar()
    total = 0
    for partnership in Partnership.objects.filter(is_active=True).order_by("pk"):
        due = cases_past_retention(partnership=partnership)
        total += len(due)
        if not due:
            continue
        for person in users_with_role(Role.BUSINESS_UNIT, partnership=partnership):
            notify(to=person, subject=f"{partnership.short_name}: {len(due)} case(s) past their retention period",
                   template="audit/email/retention_review", context={"count": len(due)}, partnership=partnership,
                   kind="audit.retention_review",
                   key=f"audit.retention_review:{week.year}-{week.week}:{partnership.pk}:{person.pk}")
    return total
