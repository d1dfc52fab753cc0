"""Helpers the panel services share."""

import datetime
from zoneinfo import ZoneInfo

from rapidreview.db import DomainError
from referrals.models import Case, Stage

from ..models import Panel

LONDON = ZoneInfo("Europe/London")
SETUP_STAGES = (Stage.RAPID_REVIEW,)


def long_date(day: datetime.date) -> str:
    """'12 March 2026'."""
    return f"{day.day} {day:%B %Y}"


def require_stage(case: Case, stages=SETUP_STAGES) -> None:
    if case.stage not in stages:
        raise DomainError(f"This cannot be done while the case is at “{case.get_stage_display()}”.")


def lock(panel: Panel) -> Panel:
    return Panel.objects.select_for_update(of=("self",)).select_related("case").get(pk=panel.pk)
