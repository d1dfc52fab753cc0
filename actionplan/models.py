"""The statutory review action plan: every action arising from a rapid review, a practice review or SIN learning."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from rapidreview.db import TimeStampedModel
from rapidreview.links import object_url


class ActionSource(models.TextChoices):
    RAPID_REVIEW = "rapid_review", "Rapid review"
    CSPR = "cspr", "Child safeguarding practice review"
    SIN = "sin", "Serious Incident Notification learning"
    LEARNING_ROUTE = "learning_route", "Local learning route"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    EMBEDDED = "embedded", "Embedded"


OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class Action(TimeStampedModel):
    """One action on the plan, owned by an agency, with a due date that is a clock.

    States and how one reaches each (``actionplan.services``):

    - ``not_started``: created (``action_create``, the import, or the decisions stage).
    - ``in_progress``: the owning agency's lead or the working group records progress (``action_set_status``).
    - ``completed``: the work is done. When an agency lead marks it completed the completion is *claimed*
      (``completed_on`` set, ``completion_confirmed_at`` empty, shown "Awaiting confirmation"); the Rapid Review
      Working Group then confirms it (``action_confirm_completion``) or sends it back to ``in_progress``
      (``action_reject_completion``). When a working group member marks it completed, it is confirmed at once.
      The due-date clock is met when completion is claimed (the agency's deadline is about doing the work); if the
      working group sends it back, a new clock runs to the same due date.
    - ``embedded``: the working group is satisfied the change has become normal practice
      (``action_set_status``; only from a confirmed completion, only by the working group).

    Overdue is derived, never stored: not started or in progress with the due date passed. The working group may
    reopen any action; once completion is confirmed an agency lead may add progress notes and evidence but not
    change the status.
    """

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="actions",
                                    help_text="The partnership whose plan this is (the case's leading partnership).")
    case = models.ForeignKey("referrals.Case", on_delete=models.PROTECT, related_name="actions", null=True, blank=True)
    historic_reference = models.CharField(
        "review held before Rapid Review", max_length=100, blank=True,
        help_text="For an imported action of a review held before Rapid Review, e.g. “CSPR Child F (2023)”.")
    source = models.CharField(max_length=20, choices=ActionSource.choices, db_index=True)
    learning = models.TextField("learning it addresses")
    description = models.TextField("action")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="owned_actions")
    due_on = models.DateField("due date", db_index=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED,
                              db_index=True)
    completed_on = models.DateField(null=True, blank=True)
    completion_confirmed_at = models.DateTimeField(null=True, blank=True)
    completion_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                                blank=True, related_name="+")
    embedded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [
            models.Index(fields=["agency", "status", "due_on"], name="action_agency_idx"),
            models.Index(fields=["status", "due_on"], name="action_status_due_idx"),
            models.Index(fields=["case", "due_on"], name="action_case_idx"),
            # Overdue and due-soon lists read one plan's open actions in due order; most actions are finished, so a
            # partial index keeps those lists from walking ten years of them, and leading with the partnership keeps
            # them from walking the other plans' (docs/performance.md).
            models.Index(fields=["partnership", "due_on"],
                         condition=models.Q(status__in=["not_started", "in_progress"]), name="action_open_due_idx"),
            models.Index(fields=["partnership", "completed_on"],
                         condition=models.Q(status="completed", completion_confirmed_at__isnull=True),
                         name="action_awaiting_idx"),
            # The plan page: one partnership's actions in the list's order, read a page at a time (ADR 0019).
            models.Index(fields=["partnership", "due_on", "created_at"], name="action_plan_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(case__isnull=False) | ~models.Q(historic_reference=""),
                                   name="action_case_or_historic_reference"),
        ]

    def __str__(self):
        return f"{self.review_reference}: {self.description[:60]}"

    @property
    def review_reference(self) -> str:
        """The case's reference, or the reference of a review held before Rapid Review."""
        return self.case.reference if self.case_id else self.historic_reference

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_STATUSES and self.due_on < timezone.localdate()

    @property
    def awaiting_confirmation(self) -> bool:
        return self.status == ActionStatus.COMPLETED and self.completion_confirmed_at is None

    @property
    def completed_on_time(self) -> bool:
        return bool(self.completed_on and self.completion_confirmed_at and self.completed_on <= self.due_on)

    @property
    def status_tag(self) -> tuple[str, str]:
        """(label, GOV.UK tag colour modifier) for the derived status shown to people."""
        if self.is_overdue:
            return "Overdue", "govuk-tag--red"
        if self.awaiting_confirmation:
            return "Awaiting confirmation", "govuk-tag--yellow"
        return {
            ActionStatus.NOT_STARTED: ("Not started", "govuk-tag--grey"),
            ActionStatus.IN_PROGRESS: ("In progress", "govuk-tag--blue"),
            ActionStatus.COMPLETED: ("Completed", "govuk-tag--green"),
            ActionStatus.EMBEDDED: ("Embedded", "govuk-tag--purple"),
        }[self.status]

    def get_absolute_url(self):
        return object_url("actionplan:detail", self.pk)

    @property
    def reminder_reference(self) -> str:
        return f"{self.review_reference} action for {self.agency.name}"

    @property
    def clock_owner_agency_id(self):
        return self.agency_id

    @property
    def clock_owner_user_id(self):
        return self.owner_id


class ActionUpdate(models.Model):
    """A dated progress note on an action, with its author; also records any status change made with it."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    # The action's plan, copied when the update is saved (an action never changes plan): the meeting pages read one
    # plan's updates of a period through (partnership, at), instead of probing every older action of the plan
    # (issue 20; docs/decisions/0033-an-update-knows-its-plan.md).
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+",
                                    editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    note = models.TextField(blank=True)
    from_status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["action", "-at"], name="actionupdate_action_idx"),
                   models.Index(fields=["partnership", "-at"], name="actionupdate_plan_idx")]

    def __str__(self):
        return f"{self.action_id} {self.at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.partnership_id is None:
            self.partnership_id = self.action.partnership_id
        super().save(*args, **kwargs)

    @property
    def status_changed(self) -> bool:
        return bool(self.to_status) and self.to_status != self.from_status


def evidence_path(instance, filename):
    # Stored under a random name: the original name is kept on the row and only sent back on download.
    return f"action-evidence/{instance.action_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ActionEvidence(models.Model):
    """Evidence that an action was done: text, and optionally a file kept outside the web root."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    text = models.TextField(blank=True)
    file = models.FileField(upload_to=evidence_path, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at", "-id"]
        indexes = [models.Index(fields=["action", "-added_at"], name="evidence_action_idx")]

    def __str__(self):
        return self.original_name or f"Evidence {self.pk}"


class WorkingGroupMeeting(TimeStampedModel):
    """A meeting of the Rapid Review Working Group; the next meeting reviews what changed since this one."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-held_on"]
        constraints = [models.UniqueConstraint(fields=["partnership", "held_on"], name="one_wg_meeting_a_day")]

    def __str__(self):
        return f"Working group meeting {self.held_on:%d %B %Y}"

    def get_absolute_url(self):
        return object_url("actionplan:meeting", self.pk)


class ImportColumnMapping(models.Model):
    """What a partnership's own spreadsheet heading means, remembered from the last import that mapped it."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.CASCADE, related_name="+")
    heading = models.CharField(max_length=200, help_text="The heading, folded to lower case.")
    field = models.CharField(max_length=30, help_text="The import field it maps to, or “ignore”.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "heading"], name="one_mapping_per_heading")]

    def __str__(self):
        return f"{self.heading} → {self.field}"
