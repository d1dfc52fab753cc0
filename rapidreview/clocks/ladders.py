"""Reminder ladders: for each kind of clock, when to remind whom.

Offsets are working days relative to the due date (negative: before it). Audiences are resolved when a reminder
is sent: ``owner`` asks the clock's subject (``subject.reminder_recipients(clock)``); ``rr_chair`` and
``exec_chair`` are found by role.
"""

from dataclasses import dataclass

from rapidreview.workdays import add_working_days


@dataclass(frozen=True)
class Step:
    name: str
    offset: int
    audience: str = "owner"


DEFAULT_LADDER = (
    Step("before", -2),
    Step("due", 0),
    Step("overdue", 1),
    Step("escalate_chair", 3, "rr_chair"),
    Step("escalate_executive", 5, "exec_chair"),
)

LADDERS: dict[str, tuple[Step, ...]] = {}


def ladder_for(kind: str) -> tuple[Step, ...]:
    return LADDERS.get(kind, DEFAULT_LADDER)


def step_date(clock, step: Step):
    return add_working_days(clock.due_on, step.offset)


def first_reminder_on(clock):
    ladder = ladder_for(clock.kind)
    return step_date(clock, ladder[0]) if ladder else None
