"""Practice themes, the two themes logs, and learning dissemination.

A ``Theme`` is one entry of the partnership's list (maintained by the business unit; deactivated, never deleted,
so old logs keep their meaning). A ``CaseTheme`` records that a theme arose in a case, in one of two logs:
rapid reviews and practice reviews (``ThemeLog.RAPID_REVIEW``), or cases considered at Serious Incident
Notification stage (``ThemeLog.SIN``).

A ``LearningItem`` is one piece of learning dissemination: a bulletin, an agency visit or presentation, the annual
November conference, a practice review learning workshop or a one-year implementation review.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from rapidreview.db import TimeStampedModel
from rapidreview.links import object_url


class Theme(TimeStampedModel):
    """One practice theme. States: active (offered when logging themes) or inactive (kept for old logs)."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="themes")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="one_theme_name_per_partnership"),
            models.UniqueConstraint(fields=["partnership", "slug"], name="one_theme_slug_per_partnership"),
        ]

    def __str__(self):
        return self.name


class ThemeLog(models.TextChoices):
    RAPID_REVIEW = "rapid_review", "Rapid reviews and practice reviews"
    SIN = "sin", "Cases considered at Serious Incident Notification stage"


class CaseTheme(models.Model):
    """A theme that arose in a case, in one log. One row per case, theme and log."""

    case = models.ForeignKey("referrals.Case", on_delete=models.CASCADE, related_name="case_themes")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="case_themes")
    log = models.CharField(max_length=20, choices=ThemeLog.choices, db_index=True)
    source = models.CharField(max_length=200, blank=True, help_text="Where it was recorded, e.g. the panel meeting.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [models.UniqueConstraint(fields=["case", "theme", "log"], name="one_theme_per_case_log")]
        indexes = [
            models.Index(fields=["theme", "recorded_at"], name="casetheme_recurrence_idx"),
            models.Index(fields=["log", "-recorded_at"], name="casetheme_log_idx"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.theme_id} ({self.log})"


class LearningKind(models.TextChoices):
    BULLETIN = "bulletin", "Bulletin"
    AGENCY_VISIT = "agency_visit", "Agency visit or presentation"
    CONFERENCE = "conference", "Annual November conference"
    CSPR_WORKSHOP = "cspr_workshop", "Practice review learning workshop"
    IMPLEMENTATION_REVIEW = "implementation_review", "One-year implementation review"
    LOCAL_REVIEW = "local_review", "Local learning review"
    PRACTITIONER_EVENT = "practitioner_event", "Practitioner learning event"
    SEVEN_MINUTE_BRIEFING = "seven_minute_briefing", "7-minute briefing"


# Learning routes: what a partnership does with a case that has learning but no practice review (a threshold not
# met, or a death notified without a rapid review). Local practice: nothing national prescribes their form
# (docs/national-templates.md, "Learning routes").
LEARNING_ROUTES = (LearningKind.LOCAL_REVIEW, LearningKind.PRACTITIONER_EVENT, LearningKind.SEVEN_MINUTE_BRIEFING)


class LearningItem(TimeStampedModel):
    """One piece of learning dissemination.

    Events (visits, conference, workshops, reviews) are planned, then held (``held_on`` and attendance recorded);
    a follow-up date starts a learning-event clock, met when the follow-up is recorded as done.

    Bulletins: ``draft`` (``sent_at`` empty; editable) → ``sent`` (``learning_bulletin_send`` e-mails the active
    agencies' distribution addresses once each and sets ``sent_at``; a sent bulletin is archived, never edited).
    """

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="learning_items")
    kind = models.CharField(max_length=30, choices=LearningKind.choices, db_index=True)
    title = models.CharField(max_length=200)
    date = models.DateField(db_index=True, help_text="When it happens or happened; for a bulletin, its issue date.")
    audience = models.CharField(max_length=300, blank=True)
    attendance = models.PositiveIntegerField(null=True, blank=True, help_text="How many people attended.")
    materials_url = models.URLField("link to materials", blank=True)
    follow_up = models.TextField(blank=True)
    follow_up_on = models.DateField("follow-up due", null=True, blank=True, db_index=True)
    follow_up_done_on = models.DateField(null=True, blank=True)
    body = models.TextField(blank=True, help_text="A bulletin's text.")
    publication_override = models.TextField(
        blank=True, help_text="Why the business unit published it although the publication guard matched a detail.")
    case = models.ForeignKey("referrals.Case", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="learning_items", help_text="The review this learning comes from, if one.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", help_text="Who leads a learning route.")
    outputs = models.TextField(blank=True, help_text="What a learning route produced: findings, a briefing, "
                                                     "recommendations.")
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    sent_to_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["kind", "-date"], name="learning_kind_date_idx"),
                   # The learning page: one partnership's items, newest first (ADR 0019).
                   models.Index(fields=["partnership", "-date", "-created_at"], name="learning_partnership_idx")]

    def __str__(self):
        return self.title

    @property
    def is_learning_route(self) -> bool:
        return self.kind in LEARNING_ROUTES

    @property
    def is_bulletin(self) -> bool:
        return self.kind == LearningKind.BULLETIN

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    def get_absolute_url(self):
        return object_url("themes:learning_detail", self.pk)

    @property
    def reminder_reference(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
