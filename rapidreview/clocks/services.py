"""Starting, meeting and moving clocks, and the reminder sweep. Later stages call these; nothing else sets a
clock's state."""

import datetime
import logging

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import NoReverseMatch
from django.utils import timezone

from rapidreview.accounts.models import Partnership
from rapidreview.datacache import model_changed
from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification, NotificationStatus
from rapidreview.notifications.services import cancel_queued
from rapidreview.workdays import add_working_days

from .ladders import first_reminder_on, ladder_for, step_date
from .models import Clock, ClockChange, ClockKind, ClockState, NonWorkingDay, Reminder

logger = logging.getLogger(__name__)

ACTIVE_STATES = (ClockState.RUNNING, ClockState.OVERDUE)

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
# Kinds counted in calendar days on "Day N of M" although they have no partnership duration.
CALENDAR_KINDS = {ClockKind.ACTION, ClockKind.LEARNING_EVENT}


def due_date_for(kind: str, start: datetime.date, *, partnership: Partnership) -> datetime.date:
    """The due date of a ``kind`` clock started on ``start``, by ``partnership``'s durations and calendar."""
    if kind not in DURATIONS:
        raise DomainError("This kind of deadline needs a due date.")
    field, unit = DURATIONS[kind]
    amount = getattr(partnership, field)
    if unit == "working_days":
        return add_working_days(start, amount, partnership=partnership)
    if unit == "months":
        return start + relativedelta(months=amount)
    return start + datetime.timedelta(days=amount)


def _counts_working_days(kind: str) -> bool:
    if kind in DURATIONS:
        return DURATIONS[kind][1] == "working_days"
    return kind not in CALENDAR_KINDS


def _subject_filter(subject, kind=None):
    filters = {"subject_type": ContentType.objects.get_for_model(subject), "subject_id": subject.pk}
    if kind:
        filters["kind"] = kind
    return filters


def _subject_url(subject) -> str:
    try:
        return subject.get_absolute_url()[:300]
    except (AttributeError, NoReverseMatch):  # a subject without a page: the clock links nowhere
        return ""


@transaction.atomic
def clock_start(*, kind: str, subject, start: datetime.date, partnership: Partnership, case_id=None,
                due: datetime.date | None = None, label: str = "", owner_agency=None, owner_user=None) -> Clock:
    """Start a clock on ``subject`` for ``partnership`` (a case's leading partnership). ``due`` defaults to that
    partnership's duration for ``kind``; its calendar, reminders and dashboards follow the partnership.

    Starting a kind that is already running on the subject returns the running clock unchanged. The owner (whose
    "My deadlines" list shows the clock) is ``owner_agency``/``owner_user``, else the subject's optional
    ``clock_owner_agency_id``/``clock_owner_user_id``, else the business unit.
    """
    running = Clock.objects.filter(**_subject_filter(subject, kind), state__in=ACTIVE_STATES).first()
    if running:
        return running
    due = due or due_date_for(kind, start, partnership=partnership)
    if due < start:
        raise DomainError("The due date must not be before the start date.")
    clock = Clock(
        partnership=partnership, kind=kind, subject=subject, case_id=case_id, label=label[:200], started_on=start,
        due_on=due,
        working_days=_counts_working_days(kind),
        reference=str(getattr(subject, "reminder_reference", "") or "")[:60],
        url=_subject_url(subject),
        owner_agency_id=owner_agency.pk if owner_agency else getattr(subject, "clock_owner_agency_id", None),
        owner_user_id=owner_user.pk if owner_user else getattr(subject, "clock_owner_user_id", None),
    )
    clock.next_reminder_on = first_reminder_on(clock)
    clock.save()
    return clock


def _cancel_pending_reminders(clocks) -> int:
    """Reminders of stopped clocks not yet in an e-mail are dropped; an e-mail not yet sent whose reminders are all
    about stopped clocks is cancelled. Returns the number of e-mails cancelled."""
    ids = [clock.pk for clock in clocks]
    Reminder.objects.filter(clock_id__in=ids, notification__isnull=True).delete()
    waiting = set(Reminder.objects.filter(clock_id__in=ids, notification__status=NotificationStatus.QUEUED)
                  .values_list("notification_id", flat=True))
    if not waiting:
        return 0
    return cancel_queued(Notification.objects.filter(pk__in=waiting)
                         .exclude(reminders__clock__state__in=ACTIVE_STATES))


def _stop(subject, kind, state: str, met_at=None) -> int:
    clocks = list(Clock.objects.select_for_update().filter(**_subject_filter(subject, kind), state__in=ACTIVE_STATES))
    for clock in clocks:
        clock.state = state
        clock.met_at = met_at
        clock.next_reminder_on = None
        clock.save(update_fields=["state", "met_at", "next_reminder_on", "updated_at"])
    if clocks:
        _cancel_pending_reminders(clocks)
    return len(clocks)


@transaction.atomic
def clock_meet(*, subject, kind: str | None = None, met_at: datetime.datetime | None = None) -> int:
    """The awaited event happened: mark running clocks of ``subject`` met and cancel their pending reminders."""
    return _stop(subject, kind, ClockState.MET, met_at or timezone.now())


@transaction.atomic
def clock_correct_met(*, subject, kind: str, met_at: datetime.datetime) -> int:
    """A recorded event's date was corrected: met clocks of ``subject`` read the corrected date from now on."""
    clocks = list(Clock.objects.select_for_update().filter(**_subject_filter(subject, kind), state=ClockState.MET))
    for clock in clocks:
        clock.met_at = met_at
        clock.save(update_fields=["met_at", "updated_at"])
    return len(clocks)


@transaction.atomic
def clock_cancel(*, subject, kind: str | None = None) -> int:
    """The clock no longer applies (for example the case closed): stop it and cancel its pending reminders."""
    return _stop(subject, kind, ClockState.CANCELLED)


def next_reminder_date(clock: Clock, after_step: int):
    """The date of the ladder step at ``after_step``, or None when the ladder is done."""
    ladder = ladder_for(clock.kind)
    if after_step >= len(ladder):
        return None
    return step_date(clock, ladder[after_step])


@transaction.atomic
def clock_recalculate(*, clock: Clock, due_on: datetime.date, reason: str, actor) -> Clock:
    """Move a running clock's due date, with a recorded reason. Reminders follow the new date; steps already sent
    are not sent again."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Enter the reason for changing the due date.")
    locked = Clock.objects.select_for_update().get(pk=clock.pk)
    if locked.state not in ACTIVE_STATES:
        raise DomainError(f"This deadline is {locked.get_state_display().lower()}; only a running deadline can be "
                          "changed.")
    if due_on < locked.started_on:
        raise DomainError("The new due date must not be before the deadline started.")
    if due_on == locked.due_on:
        raise DomainError("The new due date is the same as the current one.")
    old = locked.due_on
    today = timezone.localdate()
    locked.due_on = due_on
    # A later due date can bring an overdue clock back on track; reminders resume from the first step not yet
    # sent whose date is still ahead, so moving the date never replays the ladder.
    locked.state = ClockState.OVERDUE if due_on < today else ClockState.RUNNING
    locked.next_reminder_on = next_reminder_date(locked, locked.next_step)
    locked._history_user = actor
    locked._change_reason = reason[:100]
    locked.save()
    ClockChange.objects.create(clock=locked, actor=actor, old_due_on=old, new_due_on=due_on, reason=reason)
    clock.due_on, clock.state, clock.next_reminder_on = locked.due_on, locked.state, locked.next_reminder_on
    return locked


@transaction.atomic
def clocks_change_partnership(*, case_id, partnership: Partnership) -> int:
    """Move every clock of a case to ``partnership`` when it takes over the lead (its due dates stay as they were
    set; their reminders go to the new partnership's people). Each clock's history records the change."""
    changed = 0
    for clock in Clock.objects.select_for_update().filter(case_id=case_id).exclude(partnership=partnership):
        clock.partnership = partnership
        clock.save(update_fields=["partnership", "updated_at"])
        changed += 1
    if changed:
        model_changed(Clock)
    return changed


def mark_overdue(today: datetime.date) -> int:
    """Running clocks whose due date has passed become overdue (one indexed UPDATE)."""
    count = Clock.objects.filter(state=ClockState.RUNNING, due_on__lt=today).update(
        state=ClockState.OVERDUE, updated_at=timezone.now())
    if count:
        model_changed(Clock)
    return count


@transaction.atomic
def non_working_day_add(*, partnership: Partnership, date: datetime.date, reason: str, actor):
    """Add a closure day to ``partnership``'s calendar. Its running clocks keep their stored due dates; its clocks
    started later count around it. Other partnerships' clocks never do."""
    if NonWorkingDay.objects.filter(partnership=partnership, date=date).exists():
        raise DomainError("This date is already a non-working day.")
    day = NonWorkingDay(partnership=partnership, date=date, reason=reason.strip(), created_by=actor)
    day._history_user = actor
    day.save()
    return day


@transaction.atomic
def non_working_day_remove(*, day, actor) -> None:
    day._history_user = actor
    day.delete()
