"""The Child Safeguarding Practice Review: milestones, agency participation and parallel processes."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from rapidreview.accounts.models import Agency
from rapidreview.db import TimeStampedModel
from rapidreview.links import object_url
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
    draft_shared_with_family_on = models.DateField("date the draft report was shared with the family", null=True,
                                                   blank=True)
    family_draft_response = models.TextField("the family's response to the draft", blank=True)
    commissioned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self):
        return f"Practice review for {self.case}"

    def get_absolute_url(self):
        return object_url("decisions:cspr", self.case_id)

    @property
    def reminder_reference(self) -> str:
        return self.case.reference

    def publication_delays(self):
        """Ongoing parallel processes that may hold back publication (never the learning or the actions)."""
        return [p for p in self.parallel_processes.all()
                if p.may_delay_publication and p.status == ProcessStatus.ONGOING]

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
    attendees = models.PositiveSmallIntegerField("number of people who attended", null=True, blank=True,
                                                 help_text="For a practitioner event.")
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
    FAMILY = "family", "Family proceedings"
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


class CsprCheckpoint(TimeStampedModel):
    """One check of the review's time and quality (SI 2018/789 regulation 14(1)); the next falls due after the
    partnership's interval."""

    cspr = models.ForeignKey(Cspr, on_delete=models.CASCADE, related_name="checkpoints")
    checked_on = models.DateField("date of the check")
    on_time = models.BooleanField("is the review on time?")
    quality_adequate = models.BooleanField("is the quality adequate?")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    next_due_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-checked_on", "-created_at"]

    def __str__(self):
        return f"Checkpoint on {self.checked_on:%-d %B %Y}"


class RequestKind(models.TextChoices):
    INFORMATION = "information", "Specified information"
    DRAFT = "draft", "A draft report"


class CsprInformationRequest(TimeStampedModel):
    """A written request to the reviewer for specified information or a draft report (regulation 14(2) and (3)).

    States: sent (``requested_on``; the e-mail is in the outbox) -> answered (``response_received_on``).
    """

    cspr = models.ForeignKey(Cspr, on_delete=models.CASCADE, related_name="information_requests")
    kind = models.CharField("what is asked for", max_length=20, choices=RequestKind.choices)
    detail = models.TextField("what exactly is asked for")
    addressed_to = models.CharField("reviewer's name", max_length=200)
    addressed_to_email = models.EmailField("reviewer's e-mail address")
    requested_on = models.DateField()
    due_on = models.DateField("reply needed by")
    response_received_on = models.DateField(null=True, blank=True)
    response_notes = models.TextField(blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-requested_on", "-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} requested {self.requested_on:%-d %B %Y}"

    def get_absolute_url(self):
        return object_url("decisions:cspr", self.cspr.case_id)

    @property
    def reminder_reference(self) -> str:
        return self.cspr.case.reference


class Consent(models.TextChoices):
    NOT_ASKED = "not_asked", "Not asked yet"
    GIVEN = "given", "Consent given"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class FamilyContact(TimeStampedModel):
    """Contact with a family member about the review: who, when, their consent and whether an advocate was
    offered (local good practice; no national text on consent was found)."""

    cspr = models.ForeignKey(Cspr, on_delete=models.CASCADE, related_name="family_contacts")
    relationship = models.CharField("family member", max_length=200,
                                    help_text="Their relationship to the child, for example \"mother\".")
    contacted_on = models.DateField("date of contact")
    consent = models.CharField(max_length=20, choices=Consent.choices, default=Consent.NOT_ASKED)
    advocate_offered = models.BooleanField("an advocate was offered", default=False)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["contacted_on", "created_at"]

    def __str__(self):
        return f"{self.relationship}, {self.contacted_on:%-d %B %Y}"
