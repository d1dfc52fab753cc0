"""The business unit's learning card and the case-page themes section."""

import datetime

from django.utils import timezone

from rapidreview.accounts.models import Role

from .models import LearningItem, LearningKind, ThemeLog
from .selectors import recurrence_by_log


def learning_card(request):
    today = timezone.localdate()
    events = (LearningItem.objects.exclude(kind=LearningKind.BULLETIN)
              .filter(date__gte=today, date__lte=today + datetime.timedelta(days=90)).order_by("date")[:5])
    follow_ups = LearningItem.objects.filter(follow_up_done_on__isnull=True,
                                             follow_up_on__lte=today + datetime.timedelta(days=14)).count()
    return {"events": list(events), "follow_ups": follow_ups}


def case_section(request, case):
    """The case's themes in each log, with how often each recurred in the last 24 months."""
    by_log = recurrence_by_log(case=case, user=request.user)
    logs = [{"value": value, "label": label, "recurrence": by_log[value]} for value, label in ThemeLog.choices]
    if not any(block["recurrence"] for block in logs) and not request.user.has_role(Role.BUSINESS_UNIT,
                                                                                    Role.RR_CHAIR):
        return None
    return {"case": case, "logs": logs, "may_record": request.user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR)}
