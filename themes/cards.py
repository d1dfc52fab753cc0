"""The business unit's learning card and the case-page themes section."""

from django.utils import timezone

from rapidreview.accounts.models import Role

from .models import ThemeLog
from .selectors import learning_card_items, may_record_themes, recurrence_by_log


def learning_card(request):
    """The acting partnership's learning events coming up and follow-ups due."""
    return learning_card_items(partnership=request.partnership, today=timezone.localdate())


def case_section(request, case):
    """The case's themes in each log, with how often each recurred in the last 24 months."""
    by_log = recurrence_by_log(case=case, user=request.user)
    logs = [{"value": value, "label": label, "recurrence": by_log[value]} for value, label in ThemeLog.choices]
    if not any(block["recurrence"] for block in logs) and not request.user.has_role(Role.BUSINESS_UNIT,
                                                                                    Role.RR_CHAIR):
        return None
    return {"case": case, "logs": logs, "may_record": may_record_themes(request.user, case)}
