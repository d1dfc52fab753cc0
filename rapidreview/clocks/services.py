"""Starting, meeting and moving clocks. Later stages call these; nothing else sets a clock's state."""

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import Partnership
from rapidreview.db import DomainError
from rapidreview.workdays import add_working_days

from .ladders import first_reminder_on
from .models import Clock, ClockKind, ClockState

# How each kind's due date follows from its start, read from the partnership settings when the clock starts.
# (settings field, unit) where unit is "working_days", "days" or "months".
DURATIONS = {
    ClockKind.SIN_DECISION: ("sin_decision_working_days", "working_days"),
    ClockKind.CDOP_REFERRAL: ("cdop_referral_days", "days"),
    ClockKind.PANEL_MEETING: ("panel_meeting_working_days", "working_days"),
    ClockKind.AGENCY_FORM: ("agency_form_working_days", "working_days"),
    ClockKind.NATIONAL_PANEL: ("national_panel_working_days", "working_days"),
    ClockKind.CSPR_REPORT: ("cspr_months", "months"),
    ClockKind.IMPLEMENTATION_REVIEW: ("implementation_review_months", "months"),
}


def due_date_for(kind: str, start: datetime.date) -> datetime.date:
    if kind not in DURATIONS:
        raise DomainError("This kind of deadline needs a due date.")
    field, unit = DURATIONS[kind]
    amount = getattr(Partnership.load(), field)
    if unit == "working_days":
        return add_working_days(start, amount)
    if unit == "months":
        return start + relativedelta(months=amount)
    return start + datetime.timedelta(days=amount)


def _subject_filter(subject, kind=None):
    filters = {"subject_type": ContentType.objects.get_for_model(subject), "subject_id": subject.pk}
    if kind:
        filters["kind"] = kind
    return filters


@transaction.atomic
def clock_start(*, kind: str, subject, start: datetime.date, case_id=None, due: datetime.date | None = None,
                label: str = "") -> Clock:
    """Start a clock on ``subject``. ``due`` defaults to the partnership's duration for ``kind``.

    Starting a kind that is already running on the subject returns the running clock unchanged.
    """
    running = Clock.objects.filter(**_subject_filter(subject, kind), state__in=[ClockState.RUNNING,
                                                                                 ClockState.OVERDUE]).first()
    if running:
        return running
    due = due or due_date_for(kind, start)
    unit = DURATIONS.get(kind, (None, "working_days"))[1]
    clock = Clock(kind=kind, subject=subject, case_id=case_id, label=label, started_on=start, due_on=due,
                  working_days=unit == "working_days")
    clock.next_reminder_on = first_reminder_on(clock)
    clock.save()
    return clock


@transaction.atomic
def clock_meet(*, subject, kind: str | None = None, met_at: datetime.datetime | None = None) -> int:
    """The awaited event happened: mark running clocks of ``subject`` met and stop their reminders."""
    return Clock.objects.filter(**_subject_filter(subject, kind),
                                state__in=[ClockState.RUNNING, ClockState.OVERDUE]).update(
        state=ClockState.MET, met_at=met_at or timezone.now(), next_reminder_on=None, updated_at=timezone.now())


@transaction.atomic
def clock_cancel(*, subject, kind: str | None = None) -> int:
    """The clock no longer applies (for example the case closed): stop it and its reminders."""
    return Clock.objects.filter(**_subject_filter(subject, kind),
                                state__in=[ClockState.RUNNING, ClockState.OVERDUE]).update(
        state=ClockState.CANCELLED, next_reminder_on=None, updated_at=timezone.now())
