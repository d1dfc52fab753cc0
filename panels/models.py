"""Rapid review panels: one panel per case, its invitations and attendance, conflicts of interest, and the record
of liaison with the National Panel when several notifications arrive close together.

Panel membership itself is not stored here: it is ``rapidreview.accounts.models.RoleAssignment`` with
``role=panel_member`` (seat, voting, core, chair, substitute, dates). An invitation copies the seat and voting
status at the time it is made, so later changes to the register do not rewrite what happened at a meeting.
"""

import datetime

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from rapidreview.accounts.models import Agency, Partnership, StatutoryPartner
from rapidreview.db import TimeStampedModel
from rapidreview.links import object_url
from referrals.models import Case


class PanelState(models.TextChoices):
    SETTING_UP = "setting_up", "Being set up"
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


# States in which a panel occupies its meeting day (the same-day rule applies to these).
DAY_TAKEN_STATES = (PanelState.SCHEDULED, PanelState.HELD)


class Panel(TimeStampedModel):
    """The rapid review panel meeting for one case.

    States:

    - ``setting_up``: ``panels.services.panel_set_up`` created it and invited the core members and the chosen
      case-by-case invitees; it has no date yet.
    - ``scheduled``: ``panel_schedule`` gave it a date, time and venue or link (rescheduling keeps it here).
    - ``held``: ``panel_record_held`` recorded that the quorate meeting took place; the panel-meeting clock is met.
    - ``cancelled``: ``panel_cancel`` called the meeting off; ``panel_schedule`` can give it a new date.

    ``meeting_date`` is the meeting's day in Europe/London, kept beside ``meeting_at`` so that a unique constraint
    can refuse two panels of one partnership on the same day even when two people schedule at the same moment.
    ``partnership`` is the case's leading partnership, copied here (on save) only so that the constraint can name
    it: two partnerships may meet on the same day (ADR 0015).
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="panel")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+", editable=False,
                                    help_text="The case's leading partnership, whose one-panel-a-day rule applies.")
    state = models.CharField(max_length=20, choices=PanelState.choices, default=PanelState.SETTING_UP, db_index=True)
    meeting_at = models.DateTimeField(null=True, blank=True, db_index=True)
    meeting_date = models.DateField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=120)
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(max_length=500, blank=True)
    deadline_override_reason = models.TextField(
        blank=True, help_text="Why the meeting is after the working-day limit, when it is.")
    agenda = models.TextField(blank=True)
    agenda_version = models.PositiveIntegerField(default=0)
    agenda_sent_version = models.PositiveIntegerField(default=0)
    agenda_sent_at = models.DateTimeField(null=True, blank=True)
    ics_uid = models.CharField(max_length=200, unique=True)
    sequence = models.PositiveIntegerField(default=0, help_text="The calendar SEQUENCE of the latest version.")
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    held_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+")
    notes = models.TextField(blank=True, help_text="Short notes on the meeting; the decision sheet holds the rest.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["meeting_at"]
        indexes = [models.Index(fields=["state", "meeting_date"], name="panel_state_day_idx")]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "meeting_date"],
                                    condition=models.Q(state__in=DAY_TAKEN_STATES),
                                    name="one_panel_per_partnership_day"),
        ]

    def __str__(self):
        return f"Panel for {self.case.reference}"

    def save(self, *args, **kwargs):
        # The panel is the leading partnership's, whoever writes it: copied from the case, never chosen.
        if self.partnership_id is None and self.case_id is not None:
            self.partnership_id = self.case.partnership_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return object_url("panels:panel", self.case_id)

    @property
    def is_scheduled(self) -> bool:
        return self.state == PanelState.SCHEDULED

    @property
    def meeting_end(self):
        if self.meeting_at is None:
            return None
        return self.meeting_at + datetime.timedelta(minutes=self.duration_minutes)


class Attendance(models.TextChoices):
    NOT_RECORDED = "", "Not recorded"
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    SUBSTITUTE = "substitute", "Represented by a substitute"


class InvitationResponse(models.TextChoices):
    """What an invitee says before the meeting (attendance is recorded by the business unit at the meeting)."""

    ATTENDING = "attending", "Will attend"
    NOT_ATTENDING = "not_attending", "Cannot attend"


class PanelInvitation(TimeStampedModel):
    """One person invited to a panel, with the seat they sit in and whether they came.

    ``sent_sequence`` is the calendar SEQUENCE last e-mailed to them (None before the first invitation), so a
    change is sent only to people holding an older version.

    ``substitute_for`` is set on the seat of a substitute agreed for a member with a conflict of interest
    (``conflict_agree_substitute``): the substitute sits in that member's seat for this case, with its voting status
    and statutory partner, and the record reads "substitute for member".
    """

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_invitations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    seat = models.CharField(max_length=200, blank=True)
    statutory_partner = models.CharField(max_length=30, choices=StatutoryPartner.choices, blank=True)
    voting = models.BooleanField(default=False)
    core = models.BooleanField(default=True)
    is_chair = models.BooleanField(default=False)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True, default="")
    substitute_name = models.CharField(max_length=200, blank=True)
    sent_sequence = models.PositiveIntegerField(null=True, blank=True)
    substitute_for = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", help_text="The conflicted member whose seat this is.")
    sent_details = models.JSONField(default=dict, blank=True,
                                    help_text="When, where and how long, as last sent: an update says what changed.")
    response = models.CharField("reply to the invitation", max_length=20, choices=InvitationResponse.choices,
                                blank=True, default="")
    response_note = models.CharField(max_length=500, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-is_chair", "-core", "seat"]
        indexes = [models.Index(fields=["user", "panel"], name="invitation_user_idx")]
        constraints = [models.UniqueConstraint(fields=["panel", "user"], name="one_invitation_per_person")]

    def __str__(self):
        return f"{self.user} invited to {self.panel}"

    @property
    def attended(self) -> bool:
        return self.attendance in (Attendance.PRESENT, Attendance.SUBSTITUTE)

    @property
    def name_in_record(self) -> str:
        """"Sam Sub for Mo Member" on a substitute's seat, otherwise the person's name."""
        if self.substitute_for_id:
            return f"{self.user.full_name} for {self.substitute_for.full_name}"
        return self.user.full_name


class ConflictOfInterest(TimeStampedModel):
    """A member's declared conflict of interest on a case.

    States: ``declared`` (``conflict_declare``; the member loses access to the case and cannot vote at once),
    ``handled`` (``conflict_record_handling``: the business unit recorded how it is managed). When a practice
    review is commissioned, ``conflict_require_substitutes`` sets ``substitute_required_at`` and the business unit
    records the agreed substitute with ``conflict_agree_substitute``.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts")
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nature = models.TextField("nature of the conflict")
    implications = models.TextField()
    handling = models.TextField(blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    substitute_required_at = models.DateTimeField(null=True, blank=True)
    substitute = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    substitute_agreed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "case"], name="conflict_user_case_idx")]
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="one_conflict_per_member_case")]

    def __str__(self):
        return f"{self.user} conflicted on {self.case.reference}"

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None

    @property
    def needs_substitute(self) -> bool:
        return self.substitute_required_at is not None and self.substitute_id is None


class NationalPanelLiaison(TimeStampedModel):
    """The business unit's record of liaising with the National Panel about timelines for clustered notifications."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    cases = models.ManyToManyField(Case, related_name="national_panel_liaisons")
    liaised_on = models.DateField()
    contact = models.CharField("who", max_length=300, help_text="Who liaised, and with whom at the National Panel.")
    timelines_agreed = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[cases])

    class Meta:
        ordering = ["-liaised_on"]

    def __str__(self):
        return f"Liaison on {self.liaised_on:%d %B %Y}"
