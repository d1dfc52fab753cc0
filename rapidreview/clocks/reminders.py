"""The reminder sweep's two steps.

1. ``reminders_write``: for one clock, record each ladder step that is due as a ``Reminder`` row per person (unique
   per clock, step and person) and advance the clock, in one transaction. A re-run writes nothing new.
2. ``reminder_emails_send``: for each person with reminders not yet sent, one e-mail per partnership listing all of
   that partnership's, so that a chair with nine overdue deadlines gets one e-mail, not nine. Each reminder is put
   in exactly one e-mail. The e-mail comes from the clocks' partnership (its name in the subject, sender and
   sign-off) and its links open in that partnership, so that someone who works for two partnerships knows which
   one is asking and lands in the right one.

Reminders go out on working days only, each partnership's own (see ``tasks.run_sweep`` and ``ladders.step_date``).
"""

import datetime

from django.db import transaction

from rapidreview.notifications.models import Notification
from rapidreview.notifications.services import notify
from rapidreview.workdays import working_days_between

from .ladders import ESCALATION_AUDIENCES, ladder_for, recipients_for, step_date
from .models import Clock, ClockState, Reminder
from .services import ACTIVE_STATES, next_reminder_date


def reminders_write(*, clock_id, today: datetime.date) -> int:
    """Record the reminders of one clock that are due by ``today`` and advance the clock. Returns the number of
    reminders written. A clock locked by another sweep is skipped."""
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
                _, created = Reminder.objects.get_or_create(
                    clock=clock, step=step.name, recipient=recipient,
                    defaults={"written_on": today, "escalation": step.audience in ESCALATION_AUDIENCES})
                written += created
        if clock.due_on < today and clock.state == ClockState.RUNNING:
            clock.state = ClockState.OVERDUE
        clock.next_step = index
        clock.next_reminder_on = next_reminder_date(clock, index)
        clock.save(update_fields=["state", "next_step", "next_reminder_on", "updated_at"])
    return written


def reminder_emails_send(*, today: datetime.date, partnership_ids=None) -> int:
    """One e-mail to each person for each partnership whose reminders to them are not yet sent (only
    ``partnership_ids``' when given). Returns the number of e-mails written."""
    pending = Reminder.objects.filter(notification__isnull=True)
    if partnership_ids is not None:
        pending = pending.filter(clock__partnership_id__in=partnership_ids)
    pairs = (pending.order_by("recipient_id", "clock__partnership_id")
             .values_list("recipient_id", "clock__partnership_id").distinct())
    return sum(_email_one_person(person_id, partnership_id, today) for person_id, partnership_id in list(pairs))


def _email_one_person(person_id, partnership_id, today: datetime.date) -> int:
    with transaction.atomic():
        # Another sweep sending to the same person at the same moment takes the rows it locked; we take the rest.
        reminders = list(Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                         .filter(recipient_id=person_id, clock__partnership_id=partnership_id,
                                 notification__isnull=True)
                         .select_related("clock", "clock__partnership", "recipient"))
        if not reminders:
            return 0
        partnership = reminders[0].clock.partnership
        items = sorted((_item(reminder, today) for reminder in reminders),
                       key=lambda item: (not item["escalation"], item["due_on"], item["reference"]))
        key = f"reminders:{person_id}:{partnership_id}:{min(reminder.pk for reminder in reminders)}"
        single = reminders[0] if len(reminders) == 1 else None
        note = notify(
            to=reminders[0].recipient, subject=f"{partnership.short_name}: {reminders_subject(items, today)}",
            template="clocks/email/reminders", context={"items": items}, partnership=partnership,
            kind=f"clocks.{single.step}" if single else "clocks.reminders", key=key,
            related=single.clock.subject if single else None,
        ) or Notification.objects.get(idempotency_key=key)
        Reminder.objects.filter(pk__in=[reminder.pk for reminder in reminders]).update(notification=note)
    return 1


def _item(reminder: Reminder, today: datetime.date) -> dict:
    clock = reminder.clock
    days = (working_days_between(today, clock.due_on, partnership=clock.partnership_id) if clock.working_days
            else (clock.due_on - today).days)
    return {
        "what": clock.get_kind_display(), "label": clock.label, "reference": clock.reference,
        "due_on": clock.due_on, "days_left": days, "days_over": -days,
        "unit": "working day" if clock.working_days else "day", "escalation": reminder.escalation,
        "path": clock.url or "/deadlines/", "step": reminder.step,
        "subject": reminder_subject(clock, reminder.escalation, today),
    }


def reminder_subject(clock: Clock, escalation: bool, today: datetime.date) -> str:
    what = clock.get_kind_display()
    ref = f"{clock.reference}: " if clock.reference else ""
    if clock.due_on > today:
        return f"{ref}{what} due {clock.due_on:%-d %B %Y}"
    if clock.due_on == today:
        return f"{ref}{what} due today"
    prefix = "Escalated – " if escalation else ""
    return f"{prefix}{ref}{what} overdue since {clock.due_on:%-d %B %Y}"


def reminders_subject(items: list[dict], today: datetime.date) -> str:
    if len(items) == 1:
        return items[0]["subject"]
    escalated = sum(item["escalation"] for item in items)
    if escalated == len(items):
        return f"Escalated to you: {len(items)} overdue deadlines"
    overdue = sum(item["due_on"] < today for item in items)
    return f"{len(items)} deadlines need your attention" + (f", {overdue} overdue" if overdue else "")

