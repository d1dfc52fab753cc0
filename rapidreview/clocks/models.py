"""Statutory clocks. Each clock stores its due date (indexed) and the next reminder date, never recomputed on read.

A clock is about one subject (a case, an agency check form, an action...) held by a generic relation; ``case_id``
is kept beside it so that a case page lists every clock of the case in one indexed query. ``reference`` (the case
reference, never a child's name), ``url`` and the owner columns are copied from the subject when the clock starts,
so that lists of clocks never load their subjects (docs/decisions/0002-clock-ownership.md).
"""

import time

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from simple_history.models import HistoricalRecords

from rapidreview.db import TimeStampedModel


class ClockKind(models.TextChoices):
    SIN_DECISION = "sin_decision", "Serious Incident Notification decision"
    CDOP_REFERRAL = "cdop_referral", "Referral after CDOP or JAR discussion"
    PANEL_MEETING = "panel_meeting", "Rapid review panel meeting"
    AGENCY_FORM = "agency_form", "Agency check form"
    NATIONAL_PANEL = "national_panel", "Decision sent to the National Panel"
    ASSURANCE_REQUEST = "assurance_request", "Assurance requested from an agency"
    CSPR_REPORT = "cspr_report", "Practice review final report"
    PRE_PUBLICATION = "pre_publication", "Report to the National Panel before publication"
    IMPLEMENTATION_REVIEW = "implementation_review", "One-year implementation review"
    CSPR_CHECKPOINT = "cspr_checkpoint", "Practice review time and quality check"
    REVIEWER_REQUEST = "reviewer_request", "Reply to a written request to the reviewer"
    ACTION = "action", "Action plan item"
    LEARNING_EVENT = "learning_event", "Learning event follow-up"


class ClockState(models.TextChoices):
    RUNNING = "running", "Running"
    MET = "met", "Met"
    OVERDUE = "overdue", "Overdue"
    CANCELLED = "cancelled", "Cancelled"


class Clock(TimeStampedModel):
    """One statutory deadline on one subject.

    States:

    - ``running``: started by ``clock_start``; reminders follow the kind's ladder.
    - ``overdue``: the sweep found the due date passed; reminders and escalations go on.
    - ``met``: ``clock_meet`` recorded the awaited event (``met_at``); pending reminders are cancelled.
    - ``cancelled``: ``clock_cancel``, the clock no longer applies; pending reminders are cancelled.
    """

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+",
                                    help_text="Whose deadline: its durations, non-working days and reminders.")
    kind = models.CharField(max_length=30, choices=ClockKind.choices)
    # No index of their own on foreign keys that begin one of Meta's indexes: the sweep updates a thousand clocks at
    # once, and every index is written for every row (issue 20).
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", db_index=False)
    subject_id = models.UUIDField()
    subject = GenericForeignKey("subject_type", "subject_id")
    case_id = models.UUIDField(null=True, blank=True)
    label = models.CharField(max_length=200, blank=True, help_text="Shown on timelines, e.g. the agency's name.")
    started_on = models.DateField()
    due_on = models.DateField()
    working_days = models.BooleanField(default=True, help_text="Whether 'Day N of M' counts working days.")
    state = models.CharField(max_length=20, choices=ClockState.choices, default=ClockState.RUNNING)
    met_at = models.DateTimeField(null=True, blank=True)
    next_step = models.PositiveSmallIntegerField(default=0, help_text="Index of the next reminder ladder step.")
    next_reminder_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=60, blank=True, help_text="The case reference; never a child's name.")
    url = models.CharField(max_length=300, blank=True, help_text="Where the awaited work is done.")
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.SET_NULL, null=True, blank=True,
                                     db_index=False, related_name="+",
                                     help_text="Whose deadline it is; empty: the business unit.")
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   db_index=False, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at", "next_step", "next_reminder_on"])

    class Meta:
        ordering = ["due_on"]
        # No index names ``next_step``, ``next_reminder_on`` or ``updated_at``, the columns the sweep advances, so
        # that PostgreSQL updates a thousand clocks in place (a HOT update) instead of writing an entry into each of
        # these indexes for each clock. The sweep finds its due clocks among the running and overdue ones through
        # ``clock_due_idx`` (ADR 0036).
        indexes = [
            models.Index(fields=["case_id", "due_on"], name="clock_case_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="clock_subject_idx"),
            models.Index(fields=["state", "due_on"], name="clock_due_idx"),
            models.Index(fields=["owner_agency", "state", "due_on"], name="clock_owner_agency_idx"),
            models.Index(fields=["owner_user", "state", "due_on"], name="clock_owner_user_idx"),
            models.Index(fields=["kind", "state", "due_on"], name="clock_kind_idx"),
            # Running and overdue clocks of one kind, soonest first (the dashboards' "decisions due" cards).
            models.Index(fields=["kind", "due_on"], condition=models.Q(state__in=["running", "overdue"]),
                         name="clock_active_kind_idx"),
            # Lists of running and overdue clocks, soonest first (dashboards, deadlines): a partial index, because
            # almost every clock of ten years is met and an index over all of them misleads the planner.
            models.Index(fields=["due_on", "created_at"], condition=models.Q(state__in=["running", "overdue"]),
                         name="clock_active_due_idx"),
            # Counting overdue clocks (dashboards) from the index alone: 8 ms -> 1 ms over 300,000 clocks.
            models.Index(fields=["state", "due_on"], condition=models.Q(state__in=["running", "overdue"]),
                         name="clock_active_state_idx"),
            # Each open case's next deadline and whether one is overdue ("cases by stage"), from the index alone.
            models.Index(fields=["case_id", "due_on", "state"], condition=models.Q(state__in=["running", "overdue"]),
                         name="clock_active_case_idx"),
            # "All deadlines": one partnership's running and overdue clocks, soonest first (ADR 0019).
            models.Index(fields=["partnership", "due_on", "created_at"],
                         condition=models.Q(state__in=["running", "overdue"]), name="clock_partnership_due_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} due {self.due_on:%d %b %Y}"


class ClockChange(models.Model):
    """The business unit moved a running clock's due date, and why."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    old_due_on = models.DateField()
    new_due_on = models.DateField()
    reason = models.TextField()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["clock", "-at"], name="clock_change_idx")]

    def __str__(self):
        return f"{self.clock_id}: {self.old_due_on} to {self.new_due_on}"


class NonWorkingDay(models.Model):
    """A day the partnership does not count as a working day, beyond weekends and bank holidays."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.CASCADE, related_name="non_working_days")
    date = models.DateField()
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    history = HistoricalRecords()

    CACHE_KEY = "non-working-days-by-partnership"
    # Working-day arithmetic asks for the closures many times a request; a shared-cache read each time costs more
    # than the page's queries. Each process keeps them for a few seconds: a closure entered in one process reaches
    # the others within LOCAL_SECONDS (and this one at once).
    LOCAL_SECONDS = 10
    _local: tuple[float, dict] | None = None

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["partnership", "date"], name="one_closure_a_day")]

    def __str__(self):
        return f"{self.date:%d %B %Y}: {self.reason}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.forget_cached()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.forget_cached()
        return result

    @classmethod
    def forget_cached(cls) -> None:
        cache.delete(cls.CACHE_KEY)
        cls._local = None

    @classmethod
    def cached_dates(cls, partnership_id: int | None) -> frozenset:
        """The closures of one partnership (None: no partnership, England's calendar alone)."""
        if partnership_id is None:
            return frozenset()
        now = time.monotonic()
        if cls._local is not None and cls._local[0] > now:
            by_partnership = cls._local[1]
        else:
            by_partnership = cache.get(cls.CACHE_KEY)
            if by_partnership is None:
                by_partnership = {}
                for pid, date in cls.objects.values_list("partnership_id", "date"):
                    by_partnership.setdefault(pid, set()).add(date)
                by_partnership = {pid: frozenset(dates) for pid, dates in by_partnership.items()}
                cache.set(cls.CACHE_KEY, by_partnership, 300)
            cls._local = (now + cls.LOCAL_SECONDS, by_partnership)
        return by_partnership.get(partnership_id, frozenset())


class Reminder(models.Model):
    """One step of one clock's reminder ladder for one person: written once (the unique key), in the same
    transaction that advances the clock, then put into exactly one e-mail, which may list several reminders for
    the same person (one e-mail per person per sweep)."""

    # No index of its own: ``reminder_once`` begins with the clock (ADR 0030).
    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="reminders", db_index=False)
    step = models.CharField(max_length=40)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    escalation = models.BooleanField(default=False)
    written_on = models.DateField(help_text="The working day the sweep wrote it.")
    created_at = models.DateTimeField(auto_now_add=True)
    # Deleting the e-mail deletes the record that the step went out: the clock has moved on, so nothing resends.
    notification = models.ForeignKey("notifications.Notification", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="reminders")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["clock", "step", "recipient"], name="reminder_once")]
        indexes = [models.Index(fields=["recipient", "created_at"], condition=models.Q(notification__isnull=True),
                                name="reminder_pending_idx")]

    def __str__(self):
        return f"{self.clock_id} {self.step} to {self.recipient_id}"
