"""The Child Safeguarding Practice Review: milestones, agency participation and parallel processes."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from rapidreview.accounts.models import Agency
from rapidreview.db import TimeStampedModel
from referrals.models import Case

User = settings.AUTH_USER_MODEL


class Methodology(models.TextChoices):
    SYSTEMS = "systems", "Systems approach"
    LEARNING_TOGETHER = "learning_together", "Learning Together (Social Care Institute for Excellence)"
    APPRECIATIVE = "appreciative", "Appreciative inquiry"
    HYBRID = "hybrid", "Hybrid"
    OTHER = "other", "Other"


class Cspr(TimeStampedModel):
    """A Child Safeguarding Practice Review, from commission to the one-year implementation review.

    States, in order (each date set by a service in ``decisions.services.cspr``): commissioned (``cspr_commission``
    starts the 6-month report clock) -> report sent to the National Panel and the Secretary of State
    (``report_sent_on``; meets the pre-publication clock) -> published (``published_on``; starts the one-year
    implementation review clock) -> learning workshop held -> implementation review held (meets that clock).
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="cspr")
    methodology = models.CharField(max_length=30, choices=Methodology.choices)
    methodology_detail = models.TextField("about the methodology", blank=True)
    reviewers = models.CharField("reviewer or reviewers", max_length=300)
    terms_of_reference = models.TextField()
    started_on = models.DateField("start date", db_index=True)
    final_report_due_on = models.DateField(null=True, blank=True, db_index=True)
    planned_publication_on = models.DateField(null=True, blank=True, db_index=True)
    report_sent_on = models.DateField("date sent to the National Panel and the Secretary of State", null=True,
                                      blank=True)
    published_on = models.DateField(null=True, blank=True, db_index=True)
    published_url = models.URLField("link to the published report", blank=True)
    learning_workshop_on = models.DateField(null=True, blank=True)
    learning_workshop_notes = models.TextField(blank=True)
    implementation_review_due_on = models.DateField(null=True, blank=True, db_index=True)
    implementation_review_on = models.DateField(null=True, blank=True)
    implementation_review_notes = models.TextField(blank=True)
    commissioned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self):
        return f"Practice review for {self.case}"

    def get_absolute_url(self):
        return reverse("decisions:cspr", args=[self.case_id])

    @property
    def reminder_reference(self) -> str:
        return self.case.reference

    @property
    def status_label(self) -> str:
        if self.implementation_review_on:
            return "Implementation review held"
        if self.published_on:
            return "Published"
        if self.report_sent_on:
            return "Report sent to the National Panel"
        return "In progress"


class MilestoneKind(models.TextChoices):
    PRACTITIONER_EVENT = "practitioner_event", "Practitioner event"
    DRAFT_REPORT = "draft_report", "Draft report"
    FINAL_REPORT = "final_report", "Final report"


class CsprMilestone(TimeStampedModel):
    """A practitioner event, the draft report or the final report: planned, then done."""

    cspr = models.ForeignKey(Cspr, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=30, choices=MilestoneKind.choices)
    planned_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["planned_on", "created_at"]

    def __str__(self):
        return self.get_kind_display()


class ParticipationStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    TAKING_PART = "taking_part", "Taking part"
    CONTRIBUTED = "contributed", "Contribution received"
    NOT_RESPONDING = "not_responding", "Not responding"


class CsprParticipation(TimeStampedModel):
    """Whether one involved agency is taking part in the review (every involved agency must)."""

    cspr = models.ForeignKey(Cspr, on_delete=models.CASCADE, related_name="participations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ParticipationStatus.choices, default=ParticipationStatus.INVITED,
                              db_index=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["cspr", "agency"], name="one_participation_per_agency")]

    def __str__(self):
        return f"{self.agency}: {self.get_status_display()}"


class ProcessKind(models.TextChoices):
    CRIMINAL = "criminal", "Criminal proceedings"
    INQUEST = "inquest", "Inquest"
    IOPC = "iopc", "Independent Office for Police Conduct investigation"
    OTHER_REVIEW = "other_review", "Another review"
    OTHER = "other", "Other"


class ProcessStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ONGOING = "ongoing", "Ongoing"
    CONCLUDED = "concluded", "Concluded"


class ParallelProcess(TimeStampedModel):
    """Another process running alongside the review that may delay its publication."""

    cspr = models.ForeignKey(Cspr, on_delete=models.CASCADE, related_name="parallel_processes")
    kind = models.CharField(max_length=20, choices=ProcessKind.choices)
    description = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=ProcessStatus.choices, default=ProcessStatus.ONGOING,
                              db_index=True)
    may_delay_publication = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.get_kind_display()
