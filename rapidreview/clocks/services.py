"""Starting, meeting and moving clocks, and the reminder sweep. Later stages call these; nothing else sets a
clock's state."""

import datetime
import logging

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import Partnership
from rapidreview.datacache import model_changed
from rapidreview.db import DomainError
from rapidreview.workdays import add_working_days

from .ladders import first_reminder_on, ladder_for, recipients_for, step_date
from .models import Clock, ClockChange, ClockKind, ClockState

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
    except Exception:  # noqa: BLE001 - a subject without a page: the clock links nowhere
        return ""


@transaction.atomic
def clock_start(*, kind: str, subject, start: datetime.date, case_id=None, due: datetime.date | None = None,
                label: str = "", owner_agency=None, owner_user=None) -> Clock:
    """Start a clock on ``subject``. ``due`` defaults to the partnership's duration for ``kind``.

    Starting a kind that is already running on the subject returns the running clock unchanged. The owner (whose
    "My deadlines" list shows the clock) is ``owner_agency``/``owner_user``, else the subject's optional
    ``clock_owner_agency_id``/``clock_owner_user_id``, else the business unit.
    """
    running = Clock.objects.filter(**_subject_filter(subject, kind), state__in=ACTIVE_STATES).first()
    if running:
        return running
    due = due or due_date_for(kind, start)
    if due < start:
        raise DomainError("The due date must not be before the start date.")
    clock = Clock(
        kind=kind, subject=subject, case_id=case_id, label=label[:200], started_on=start, due_on=due,
        working_days=_counts_working_days(kind),
        reference=str(getattr(subject, "reminder_reference", "") or "")[:60],
        url=_subject_url(subject),
        owner_agency_id=owner_agency.pk if owner_agency else getattr(subject, "clock_owner_agency_id", None),
        owner_user_id=owner_user.pk if owner_user else getattr(subject, "clock_owner_user_id", None),
    )
    clock.next_reminder_on = first_reminder_on(clock)
    clock.save()
    return clock


def _cancel_pending_reminders(subject, clocks) -> int:
    from rapidreview.notifications.services import cancel_queued

    return sum(cancel_queued(related=subject, key_prefix=f"clock:{clock.pk}:") for clock in clocks)


def _stop(subject, kind, state: str, met_at=None) -> int:
    clocks = list(Clock.objects.select_for_update().filter(**_subject_filter(subject, kind), state__in=ACTIVE_STATES))
    for clock in clocks:
        clock.state = state
        clock.met_at = met_at
        clock.next_reminder_on = None
        clock.save(update_fields=["state", "met_at", "next_reminder_on", "updated_at"])
    if clocks:
        _cancel_pending_reminders(subject, clocks)
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


def _next_reminder(clock: Clock, after_step: int, today: datetime.date):
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
    locked.next_reminder_on = _next_reminder(locked, locked.next_step, today)
    locked._history_user = actor
    locked._change_reason = reason[:100]
    locked.save()
    ClockChange.objects.create(clock=locked, actor=actor, old_due_on=old, new_due_on=due_on, reason=reason)
    clock.due_on, clock.state, clock.next_reminder_on = locked.due_on, locked.state, locked.next_reminder_on
    return locked


def mark_overdue(today: datetime.date) -> int:
    """Running clocks whose due date has passed become overdue (one indexed UPDATE)."""
    count = Clock.objects.filter(state=ClockState.RUNNING, due_on__lt=today).update(
        state=ClockState.OVERDUE, updated_at=timezone.now())
    if count:
        model_changed(Clock)
    return count


def _reminder_key(clock: Clock, step, recipient) -> str:
    return f"clock:{clock.pk}:{step.name}:{recipient.pk}"


def send_due_reminders(*, clock_id, today: datetime.date) -> int:
    """Write the outbox rows for every ladder step of one clock that is due by ``today``, and advance the clock,
    in one transaction. Returns the number of rows written. A clock locked by another sweep is skipped."""
    from rapidreview.notifications.services import notify

    written = 0
    with transaction.atomic():
        clock = (Clock.objects.select_for_update(skip_locked=True)
                 .filter(pk=clock_id, state__in=ACTIVE_STATES, next_reminder_on__lte=today).first())
        if clock is None:
            return 0
        ladder = ladder_for(clock.kind)
        due_steps = []
        index = clock.next_step
        while index < len(ladder) and step_date(clock, ladder[index]) <= today:
            due_steps.append(ladder[index])
            index += 1
        for position, step in enumerate(due_steps):
            # A sweep that catches up on several steps sends only the latest one for each audience.
            if any(later.audience == step.audience for later in due_steps[position + 1:]):
                continue
            for recipient in recipients_for(clock, step):
                note = notify(
                    to=recipient, subject=reminder_subject(clock, step, today),
                    template="clocks/email/reminder",
                    context=reminder_context(clock, step, today), kind=f"clocks.{step.name}",
                    key=_reminder_key(clock, step, recipient), related=clock.subject,
                )
                written += note is not None
        if clock.due_on < today and clock.state == ClockState.RUNNING:
            clock.state = ClockState.OVERDUE
        clock.next_step = index
        clock.next_reminder_on = _next_reminder(clock, index, today)
        clock.save(update_fields=["state", "next_step", "next_reminder_on", "updated_at"])
    return written


def reminder_subject(clock: Clock, step, today: datetime.date) -> str:
    what = clock.get_kind_display()
    ref = f"{clock.reference}: " if clock.reference else ""
    if clock.due_on > today:
        return f"{ref}{what} due {clock.due_on:%-d %B %Y}"
    if clock.due_on == today:
        return f"{ref}{what} due today"
    prefix = "Escalation – " if step.audience in ("rr_chair", "exec_chair") else ""
    return f"{prefix}{ref}{what} overdue since {clock.due_on:%-d %B %Y}"


def reminder_context(clock: Clock, step, today: datetime.date) -> dict:
    from rapidreview.workdays import working_days_between

    days = working_days_between(today, clock.due_on) if clock.working_days else (clock.due_on - today).days
    return {
        "clock": clock, "step": step, "what": clock.get_kind_display(), "label": clock.label,
        "reference": clock.reference, "due_on": clock.due_on, "days_left": days, "days_over": -days,
        "escalation": step.audience in ("rr_chair", "exec_chair"), "audience": step.audience,
        "path": clock.url or "/deadlines/",
        "unit": "working day" if clock.working_days else "day",
    }


@transaction.atomic
def non_working_day_add(*, date: datetime.date, reason: str, actor):
    """Add a closure day. Running clocks keep their stored due dates; clocks started later count around it."""
    from .models import NonWorkingDay

    if NonWorkingDay.objects.filter(date=date).exists():
        raise DomainError("This date is already a non-working day.")
    day = NonWorkingDay(date=date, reason=reason.strip(), created_by=actor)
    day._history_user = actor
    day.save()
    return day


@transaction.atomic
def non_working_day_remove(*, day, actor) -> None:
    day._history_user = actor
    day.delete()
