"""The case: one serious incident, from referral to closure.

Stages, and how a case reaches each (every move is a service in ``referrals.services``):

- ``received``: a referral arrived (professional, public or CDOP/JAR). The SIN-decision clock runs.
- ``threshold``: the business unit sent it for the three-way threshold discussion.
- ``not_met``: the discussion found the Serious Incident Notification threshold not met; the letter to the
  referrer and any assurance request follow, then the case is ``closed``.
- ``rapid_review``: the SIN was notified to the National Panel (day 0). Panel set-up, agency check forms and the
  panel meeting happen here.
- ``decision``: the panel met and voted; the decision sheet is drafted and signed by the Executive.
- ``national_panel``: the signed decision was sent to the National Panel; awaiting its response.
- ``cspr``: a Child Safeguarding Practice Review was commissioned and is tracked to publication and beyond.
- ``closed``: nothing more is due on the case (its actions live on in the action plan).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from rapidreview.accounts.models import Agency
from rapidreview.db import TimeStampedModel


class Stage(models.TextChoices):
    RECEIVED = "received", "Referral received"
    THRESHOLD = "threshold", "Threshold discussion"
    NOT_MET = "not_met", "Threshold not met"
    RAPID_REVIEW = "rapid_review", "Rapid review"
    DECISION = "decision", "Decision sheet"
    NATIONAL_PANEL = "national_panel", "With the National Panel"
    CSPR = "cspr", "Child safeguarding practice review"
    CLOSED = "closed", "Closed"


class Source(models.TextChoices):
    PROFESSIONAL = "professional", "Professional"
    PUBLIC = "public", "Parent or member of the community"
    CDOP_JAR = "cdop_jar", "Child death overview panel or joint agency response"


class Harm(models.TextChoices):
    DIED = "died", "The child died"
    SERIOUS_HARM = "serious_harm", "The child was seriously harmed"


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .selectors import case_visibility_filter  # selectors build on this queryset

        return case_visibility_filter(self, user)


class Case(TimeStampedModel):
    """A referral and everything that follows it. Details of the referral itself live on ``Referral``."""

    reference = models.CharField(max_length=20, unique=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.RECEIVED, db_index=True)
    source = models.CharField(max_length=20, choices=Source.choices, db_index=True)
    child_first_name = models.CharField("child's first name", max_length=100)
    child_last_name = models.CharField("child's last name", max_length=100, blank=True)
    child_dob = models.DateField("child's date of birth", null=True, blank=True)
    harm = models.CharField(max_length=20, choices=Harm.choices, blank=True)
    incident_date = models.DateField(null=True, blank=True)
    la_aware_on = models.DateField("date the local authority became aware", null=True, blank=True)
    sin_notified_on = models.DateField("date the SIN was notified", null=True, blank=True, db_index=True)
    involved_agencies = models.ManyToManyField(Agency, blank=True, related_name="cases")
    pseudonym = models.CharField(max_length=60, blank=True, help_text='Used in anything published, e.g. "Child Q".')
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[involved_agencies])

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["stage", "-created_at"]),
            models.Index(fields=["child_last_name", "child_first_name"]),
        ]

    def __str__(self):
        return self.reference

    @property
    def child_name(self) -> str:
        return f"{self.child_first_name} {self.child_last_name}".strip()


class CaseEvent(models.Model):
    """A line in the case's timeline: a stage change or another event worth telling, with who and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"])]

    def __str__(self):
        return f"{self.case_id} {self.kind}"
