"""Reminder ladders: for each kind of clock, when to remind whom.

Offsets are working days relative to the due date (negative: before it). Audiences are resolved when a reminder
is sent, never stored: ``owner`` asks the finder the subject's app registered for its model
(``register_reminder_owners``; a subject without one falls back to the clock's owner, and nobody at all to the
business unit); ``business_unit``, ``rr_chair`` and ``exec_chair`` are found by role that day, in the clock's own
partnership (the case's leading partnership, ADR 0015). Dates count that partnership's working days.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from rapidreview.accounts.models import Role
from rapidreview.accounts.selectors import executive_chair, users_with_role
from rapidreview.workdays import add_working_days, is_working_day

from .models import ClockKind

AUDIENCES = {
    "owner": "Whoever the work is waiting for",
    "business_unit": "The business unit",
    "rr_chair": "The rapid review chair",
    "exec_chair": "The chair of the Executive",
}
ESCALATION_AUDIENCES = ("rr_chair", "exec_chair")


@dataclass(frozen=True)
class Step:
    name: str
    offset: int
    audience: str = "owner"

    @property
    def audience_label(self) -> str:
        return AUDIENCES[self.audience]


DEFAULT_LADDER = (
    Step("before", -2),
    Step("due", 0),
    Step("overdue", 1),
    Step("escalate_chair", 3, "rr_chair"),
    Step("escalate_executive", 5, "exec_chair"),
)

# Short statutory clocks that the business unit itself runs: the business unit is the owner, so the overdue
# step also tells the chair straight away.
_BUSINESS_UNIT_LADDER = (
    Step("before", -2),
    Step("due", 0),
    Step("overdue", 1),
    Step("escalate_chair", 2, "rr_chair"),
    Step("escalate_executive", 4, "exec_chair"),
)

# Months-long clocks: a first reminder a month ahead, then the usual ladder.
_LONG_LADDER = (
    Step("month_before", -20),
    Step("before", -5),
    Step("due", 0),
    Step("overdue", 1),
    Step("escalate_chair", 5, "rr_chair"),
    Step("escalate_executive", 10, "exec_chair"),
)

# Action plan items are followed by the business unit and the working group, not the Executive.
_ACTION_LADDER = (
    Step("before", -5),
    Step("due", 0),
    Step("overdue", 1),
    Step("overdue_business_unit", 5, "business_unit"),
    Step("escalate_chair", 10, "rr_chair"),
)

LADDERS: dict[str, tuple[Step, ...]] = {
    ClockKind.SIN_DECISION: _BUSINESS_UNIT_LADDER,
    ClockKind.PANEL_MEETING: _BUSINESS_UNIT_LADDER,
    ClockKind.NATIONAL_PANEL: _BUSINESS_UNIT_LADDER,
    ClockKind.CDOP_REFERRAL: DEFAULT_LADDER,
    ClockKind.AGENCY_FORM: DEFAULT_LADDER,
    ClockKind.ASSURANCE_REQUEST: DEFAULT_LADDER,
    ClockKind.PRE_PUBLICATION: DEFAULT_LADDER,
    ClockKind.CSPR_CHECKPOINT: _BUSINESS_UNIT_LADDER,
    ClockKind.REVIEWER_REQUEST: _BUSINESS_UNIT_LADDER,
    ClockKind.CSPR_REPORT: _LONG_LADDER,
    ClockKind.IMPLEMENTATION_REVIEW: _LONG_LADDER,
    ClockKind.ACTION: _ACTION_LADDER,
    ClockKind.LEARNING_EVENT: _ACTION_LADDER,
}


def ladder_for(kind: str) -> tuple[Step, ...]:
    return LADDERS.get(kind, DEFAULT_LADDER)


def step_date(clock, step: Step):
    """The working day a step is sent. Counting working days from the due date always lands on a working day,
    except for the "due" step of a deadline counted in calendar days that falls on a weekend or holiday: that
    reminder goes the working day before, while there is still time to act."""
    partnership = clock.partnership_id
    day = add_working_days(clock.due_on, step.offset, partnership=partnership)
    if step.offset == 0 and not is_working_day(day, partnership=partnership):
        day = add_working_days(day, -1, partnership=partnership)
    return day


def first_reminder_on(clock):
    ladder = ladder_for(clock.kind)
    return step_date(clock, ladder[0]) if ladder else None


def _unique_active(users) -> list:
    seen, out = set(), []
    for user in users:
        if user is not None and user.is_active and user.email and user.pk not in seen:
            seen.add(user.pk)
            out.append(user)
    return out


# Whom the "owner" steps remind, by the subject's model (``app_label.modelname``). Each app registers a selector
# from its ``AppConfig.ready()``, so that models never query people themselves.
_owner_finders: dict[str, Callable] = {}
_many_owner_finders: dict[str, Callable] = {}


def register_reminder_owners(model, finder: Callable, *, many: Callable | None = None) -> None:
    """``finder(subject, clock) -> list[User]``: whom the "owner" steps of clocks on ``model`` remind.

    ``many(pairs) -> list[list[User]]``, given [(subject, clock), ...], answers the same for every pair in a fixed
    number of queries: the sweep uses it, so that a thousand due deadlines do not cost a thousand lookups (issue 20).
    Its answers must equal ``finder``'s, pair by pair (each app's tests compare them)."""
    _owner_finders[model._meta.label_lower] = finder
    if many is not None:
        _many_owner_finders[model._meta.label_lower] = many
    else:
        _many_owner_finders.pop(model._meta.label_lower, None)


def reminder_owners(subject, clock) -> list | None:
    """The registered owners of ``subject``, or None when its model registered no finder."""
    finder = _owner_finders.get(subject._meta.label_lower) if subject is not None else None
    return None if finder is None else list(finder(subject, clock) or [])


def subject_model(clock):
    """The model of a clock's subject, from the cached content types (no query)."""
    return ContentType.objects.get_for_id(clock.subject_type_id).model_class()


def has_owner_finder(model) -> bool:
    return model is not None and model._meta.label_lower in _owner_finders


class Audiences:
    """Whom the steps of many clocks go to, reading each partnership's people by role once (one sweep). The
    registered owner finders still run per subject; the subjects must be loaded beforehand to spare a query each."""

    def __init__(self):
        self._by_role: dict[tuple, list] = {}
        self._owners: dict = {}  # clock pk -> owners, from the batch finders

    def prepare(self, clocks) -> None:
        """Find the owners of ``clocks`` (their subjects loaded) with each model's batch finder, where one is
        registered: a few queries for them all instead of a few for each."""
        by_model: dict[str, list] = {}
        for clock in clocks:
            model = subject_model(clock)
            label = model._meta.label_lower if model is not None else None
            if label in _many_owner_finders and clock.subject is not None:  # loaded beforehand: no query
                by_model.setdefault(label, []).append(clock)
        for label, group in by_model.items():
            answers = _many_owner_finders[label]([(clock.subject, clock) for clock in group])
            for clock, owners in zip(group, answers, strict=True):
                self._owners[clock.pk] = list(owners or [])

    def _role(self, audience: str, partnership) -> list:
        key = (audience, partnership.pk)
        if key not in self._by_role:
            if audience == "exec_chair":
                self._by_role[key] = [executive_chair(partnership=partnership)]
            else:
                role = Role.RR_CHAIR if audience == "rr_chair" else Role.BUSINESS_UNIT
                self._by_role[key] = list(users_with_role(role, partnership=partnership))
        return self._by_role[key]

    def recipients(self, clock, step: Step) -> list:
        """The people a step goes to, resolved by role today in the clock's partnership. Nobody is never the
        answer: that partnership's business unit is."""
        partnership = clock.partnership
        people: list = []
        if step.audience == "owner":
            owners = self._owners.get(clock.pk)
            if owners is None and has_owner_finder(subject_model(clock)):
                owners = reminder_owners(clock.subject, clock)
            if owners is not None:
                people = owners
            elif clock.owner_user_id:
                people = [clock.owner_user]
        elif step.audience in ("rr_chair", "exec_chair"):
            people = self._role(step.audience, partnership)
        people = _unique_active(people)
        if not people:
            people = _unique_active(self._role("business_unit", partnership))
        return people


def recipients_for(clock, step: Step) -> list:
    """The people one step of one clock goes to (see ``Audiences.recipients``)."""
    return Audiences().recipients(clock, step)
