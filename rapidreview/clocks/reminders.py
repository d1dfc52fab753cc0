"""The reminder sweep's two steps, each a few queries for a whole batch (ADR 0021).

1. ``reminders_write``: for a batch of due clocks, record each ladder step that is due as a ``Reminder`` row per
   person (unique per clock, step and person) and advance the clocks, in one transaction. A re-run writes nothing
   new.
2. ``reminder_emails_send``: for each person with reminders not yet sent, one e-mail per partnership listing all of
   that partnership's, so that a chair with nine overdue deadlines gets one e-mail, not nine. Each reminder is put
   in exactly one e-mail. The e-mail comes from the clocks' partnership (its name in the subject, sender and
   sign-off) and its links open in that partnership, so that someone who works for two partnerships knows which
   one is asking and lands in the right one.

Reminders go out on working days only, each partnership's own (see ``tasks.run_sweep`` and ``ladders.step_date``).
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from rapidreview.accounts.models import Partnership
from rapidreview.datacache import model_changed
from rapidreview.db import choice_label, history_copy, update_each
from rapidreview.notifications.services import notify_many
from rapidreview.workdays import working_days_between

from .ladders import ESCALATION_AUDIENCES, Audiences, has_owner_finder, ladder_for, step_date, subject_model
from .models import Clock, ClockState, Reminder
from .services import ACTIVE_STATES, next_reminder_date

# Clocks locked and advanced in one transaction, and reminders put into e-mails in one.
BATCH = 1000


def reminders_write(*, today: datetime.date, partnership_ids, batch: int = BATCH) -> tuple[int, int]:
    """Record the reminders due by ``today`` of up to ``batch`` clocks of ``partnership_ids`` and advance those
    clocks, in one transaction. Returns (clocks advanced, reminders written). Clocks locked by another sweep are
    skipped (``SKIP LOCKED``); the unique key (clock, step, person) makes a reminder exactly-once all the same."""
    with transaction.atomic():
        clocks = list(Clock.objects.select_for_update(skip_locked=True, of=("self",))
                      .filter(state__in=ACTIVE_STATES, next_reminder_on__lte=today, partnership_id__in=partnership_ids)
                      .select_related("owner_user").order_by("next_reminder_on", "id")[:batch])
        if not clocks:
            return 0, 0
        _share_partnerships(clocks)
        due = {clock.pk: _due_steps(clock, today) for clock in clocks}
        # The registered owner finders read their subjects: one query per kind of subject, not one per clock.
        prefetch_related_objects([clock for clock in clocks if has_owner_finder(subject_model(clock))
                                  and any(step.audience == "owner" for step in due[clock.pk])], "subject")
        audiences = Audiences()
        audiences.prepare([clock for clock in clocks if any(step.audience == "owner" for step in due[clock.pk])])
        now = timezone.now()
        rows = {}
        for clock in clocks:
            steps = due[clock.pk]
            for position, step in enumerate(steps):
                # A sweep that catches up on several steps sends only the latest one for each audience.
                if any(later.audience == step.audience for later in steps[position + 1:]):
                    continue
                for recipient in audiences.recipients(clock, step):
                    rows.setdefault((clock.pk, step.name, recipient.pk), Reminder(
                        clock=clock, step=step.name, recipient=recipient, written_on=today,
                        escalation=step.audience in ESCALATION_AUDIENCES))
            index = clock.next_step + len(steps)
            if clock.due_on < today and clock.state == ClockState.RUNNING:
                clock.state = ClockState.OVERDUE
            clock.next_step = index
            clock.next_reminder_on = next_reminder_date(clock, index)
            clock.updated_at = now
        # A step recorded before (a clock whose ladder was replayed) is not written again: the unique key decides.
        recorded = set(Reminder.objects.filter(clock_id__in=due).values_list("clock_id", "step", "recipient_id"))
        new = [row for key, row in rows.items() if key not in recorded]
        Reminder.objects.bulk_create(new, ignore_conflicts=True)
        update_each(Clock, {clock.pk: {"state": clock.state, "next_step": clock.next_step,
                                       "next_reminder_on": clock.next_reminder_on, "updated_at": now}
                            for clock in clocks})
        history_copy(Clock, [clock.pk for clock in clocks], date=now)  # as each clock's save() did
        model_changed(Clock)
        model_changed(Reminder)
    return len(clocks), len(new)


def _share_partnerships(clocks: list[Clock]) -> None:
    """Give ``clocks`` their partnerships, each read once: a sweep's thousand clocks belong to a few dozen
    partnerships, and joining the partnership built a copy of it for every clock (issue 20)."""
    partnerships = Partnership.objects.in_bulk({clock.partnership_id for clock in clocks})
    for clock in clocks:
        clock.partnership = partnerships[clock.partnership_id]


def _due_steps(clock: Clock, today: datetime.date) -> list:
    ladder = ladder_for(clock.kind)
    steps = []
    index = clock.next_step
    while index < len(ladder) and step_date(clock, ladder[index]) <= today:
        steps.append(ladder[index])
        index += 1
    return steps


# What the digests are made of (``_email``, ``_item``), and nothing else, as plain rows: a sweep reads a thousand
# reminders with their clocks and people, and building a model instance of each of the three cost more than the
# e-mails (issue 20, ADR 0036).
_KIND = Clock._meta.get_field("kind")
_DIGEST_READS = ("id", "step", "escalation", "recipient_id", "recipient__email",
                 *(f"clock__{name}" for name in ("partnership_id", "kind", "label", "reference", "due_on",
                                                  "working_days", "url", "subject_type_id", "subject_id")))


def reminder_emails_send(*, today: datetime.date, partnership_ids=None) -> int:
    """One e-mail to each person for each partnership whose reminders to them are not yet sent (only
    ``partnership_ids``' when given), all written in one INSERT. Returns the number of e-mails written.

    The reminders are locked (``SKIP LOCKED``) until their e-mails are written and linked, so a sweep running at
    the same moment takes only the rows this one did not lock: no reminder is ever in two e-mails."""
    with transaction.atomic():
        pending = (Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                   .filter(notification__isnull=True).order_by("pk"))
        if partnership_ids is not None:
            pending = pending.filter(clock__partnership_id__in=partnership_ids)
        rows = list(pending.values(*_DIGEST_READS))
        partnerships = Partnership.objects.in_bulk({row["clock__partnership_id"] for row in rows})
        groups = defaultdict(list)
        for row in rows:
            groups[(row["recipient_id"], row["clock__partnership_id"])].append(row)
        emails = [_email(group, partnerships[partnership_id], today)
                  for (_, partnership_id), group in groups.items()]
        notes = notify_many(emails)
        if update_each(Reminder, {row["id"]: {"notification_id": notes[email["key"]]}
                                  for email, group in zip(emails, groups.values(), strict=True)
                                  for row in group}):
            model_changed(Reminder)
    return len(emails)


def _email(rows: list[dict], partnership: Partnership, today: datetime.date) -> dict:
    """The digest of one person's reminders (``_DIGEST_READS`` rows) in one partnership, as ``notify_many`` takes
    it."""
    first = rows[0]
    items = sorted((_item(row, today) for row in rows),
                   key=lambda item: (not item["escalation"], item["due_on"], item["reference"]))
    single = first if len(rows) == 1 else None
    return {
        "to": first["recipient__email"], "recipient_id": first["recipient_id"],
        "subject": f"{partnership.short_name}: {reminders_subject(items, today)}",
        "template": "clocks/email/reminders", "context": {"items": items}, "partnership": partnership,
        "kind": f"clocks.{single['step']}" if single else "clocks.reminders",
        "key": f"reminders:{first['recipient_id']}:{partnership.pk}:{min(row['id'] for row in rows)}",
        "related_type_id": single["clock__subject_type_id"] if single else None,
        "related_id": single["clock__subject_id"] if single else None,
    }


def _item(row: dict, today: datetime.date) -> dict:
    """One deadline of a digest, in what JSON holds: the digest is composed when it is delivered (ADR 0028)."""
    due_on = row["clock__due_on"]
    days = (working_days_between(today, due_on, partnership=row["clock__partnership_id"])
            if row["clock__working_days"] else (due_on - today).days)
    what = choice_label(_KIND, row["clock__kind"])
    return {
        "what": what, "label": row["clock__label"], "reference": row["clock__reference"],
        "due_on": due_on.isoformat(), "due_text": f"{due_on:%-d %B %Y}", "days_left": days,
        "days_over": -days, "unit": "working day" if row["clock__working_days"] else "day",
        "escalation": row["escalation"], "path": row["clock__url"] or "/deadlines/", "step": row["step"],
        "subject": reminder_subject(what=what, reference=row["clock__reference"], due_on=due_on,
                                    escalation=row["escalation"], today=today),
    }


def reminder_subject(*, what: str, reference: str, due_on: datetime.date, escalation: bool,
                     today: datetime.date) -> str:
    ref = f"{reference}: " if reference else ""
    if due_on > today:
        return f"{ref}{what} due {due_on:%-d %B %Y}"
    if due_on == today:
        return f"{ref}{what} due today"
    prefix = "Escalated – " if escalation else ""
    return f"{prefix}{ref}{what} overdue since {due_on:%-d %B %Y}"


def reminders_subject(items: list[dict], today: datetime.date) -> str:
    if len(items) == 1:
        return items[0]["subject"]
    escalated = sum(item["escalation"] for item in items)
    if escalated == len(items):
        return f"Escalated to you: {len(items)} overdue deadlines"
    overdue = sum(item["due_on"] < today.isoformat() for item in items)  # ISO dates order as the dates do
    return f"{len(items)} deadlines need your attention" + (f", {overdue} overdue" if overdue else "")

