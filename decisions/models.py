"""The panel's outcome and everything decided after it.

- ``MeetingRecord``: what the rapid review panel discussed, written by the business unit during and after the
  meeting, with the ``Vote`` of each voting member present. Closing the vote moves the case to ``decision``.
- ``DecisionSheet`` with its ``DecisionSheetVersion`` rows, ``Signature`` rows and ``Dispute`` rows: the sheet the
  three statutory partners sign.
- ``NationalPanelSubmission``: when the signed sheet went to the National Panel and what it answered.
- ``Cspr`` (with milestones, agency participation and parallel processes) when a Child Safeguarding Practice
  Review is commissioned; ``AlternativeLearning`` when it is not.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from rapidreview.accounts.models import Agency, StatutoryPartner
from rapidreview.db import TimeStampedModel
from referrals.models import Case

User = settings.AUTH_USER_MODEL


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class MeetingRecord(TimeStampedModel):
    """The record of the rapid review panel meeting for one case.

    States: open (being written; votes may be recorded) and vote closed (``vote_closed_at`` set by
    ``vote_close``, which moves the case from ``rapid_review`` to ``decision``). The record can still be corrected
    by the business unit until the decision sheet is sent for signature.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="meeting_record")
    meeting_date = models.DateField(null=True, blank=True)
    chair_overview = models.TextField("chair's overview of the case", blank=True)
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="+")
    areas_for_learning = models.TextField(blank=True)
    cspr_criteria_met = models.CharField("are the criteria for a practice review met?", max_length=3,
                                         choices=YesNo.choices, blank=True)
    cspr_criteria_reasons = models.TextField("reasons", blank=True)
    national_issues = models.CharField("do national issues arise?", max_length=3, choices=YesNo.choices, blank=True)
    national_issues_detail = models.TextField("national issues", blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    vote_closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    vote_closed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self):
        return f"Meeting record for {self.case}"

    @property
    def vote_closed(self) -> bool:
        return self.vote_closed_at is not None


class AgencyPresentation(TimeStampedModel):
    """Notes on one agency's presentation of its check form at the meeting."""

    meeting = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="presentations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="one_presentation_per_agency")]

    def __str__(self):
        return f"{self.agency} at {self.meeting.case}"


class ImmediateAction(TimeStampedModel):
    """An action the panel agreed at the meeting. It goes straight into the statutory review action plan."""

    meeting = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="immediate_actions")
    description = models.TextField()
    learning = models.TextField("learning it addresses", blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    action = models.ForeignKey("actionplan.Action", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", help_text="The action plan item made from it.")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.description[:60]


class VoteChoice(models.TextChoices):
    YES = "yes", "Yes, recommend a practice review"
    NO = "no", "No, do not recommend a practice review"
    ABSTAIN = "abstain", "Abstain"


class Vote(TimeStampedModel):
    """One voting member's answer to "recommend a practice review?". It can change until the vote closes."""

    meeting = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=VoteChoice.choices)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_vote_per_member")]

    def __str__(self):
        return f"{self.member} {self.choice}"

    @property
    def on_behalf(self) -> bool:
        return self.recorded_by_id != self.member_id


class SheetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OUT_FOR_SIGNATURE = "out_for_signature", "Out for signature"
    DISPUTED = "disputed", "Disputed"
    SIGNED = "signed", "Signed by all partners"
    SENT = "sent", "Sent to the National Panel"


class Recommendation(models.TextChoices):
    CSPR = "cspr", "Hold a Child Safeguarding Practice Review"
    MULTI_AGENCY = "multi_agency", "Multi-agency learning review"
    SINGLE_AGENCY = "single_agency", "Single-agency learning"
    NO_FURTHER = "no_further", "No further review; learning goes to the action plan"


class DecisionSheet(TimeStampedModel):
    """The decision sheet for one case. Its words live on ``DecisionSheetVersion`` rows.

    States (services in ``decisions.services.sheets``):
    - ``draft``: ``sheet_start`` pre-fills version 1 from the meeting record; every ``sheet_edit`` saves a version.
    - ``out_for_signature``: ``sheet_send`` freezes the latest version; the executives sign or dispute it.
      ``sheet_withdraw`` returns it to ``draft``.
    - ``disputed``: a partner disputed (``signature_record``); after a meeting with the rapid review chair
      (``dispute_record_meeting``) or the Executive chair's resolution (``dispute_resolve``), ``sheet_revise``
      returns it to ``draft`` as a new version, and every signature is collected again.
    - ``signed``: all three statutory partners agreed to the same version.
    - ``sent``: ``national_panel_send`` recorded the date it went to the National Panel.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="decision_sheet")
    status = models.CharField(max_length=20, choices=SheetStatus.choices, default=SheetStatus.DRAFT, db_index=True)
    current = models.ForeignKey("DecisionSheetVersion", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self):
        return f"Decision sheet for {self.case}"

    def get_absolute_url(self):
        return reverse("decisions:sheet", args=[self.case_id])


SECTION_FIELDS = ["case_summary", "agency_involvement", "analysis", "immediate_actions", "learning",
                  "criteria_met", "criteria_reasons", "national_issues", "national_issues_detail",
                  "recommendation", "rationale"]


class DecisionSheetVersion(TimeStampedModel):
    """One saved version of a decision sheet. A frozen version (sent for signature) never changes."""

    sheet = models.ForeignKey(DecisionSheet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    case_summary = models.TextField(blank=True)
    agency_involvement = models.TextField("agency involvement and key practice episodes", blank=True)
    analysis = models.TextField(
        "analysis", blank=True,
        help_text="Include how race, ethnicity, disability and other inequalities shaped the child's experience "
                  "and the practice around them.")
    immediate_actions = models.TextField("immediate actions taken", blank=True)
    learning = models.TextField("learning identified", blank=True)
    criteria_met = models.CharField("are the criteria for a local review met?", max_length=3,
                                    choices=YesNo.choices, blank=True)
    criteria_reasons = models.TextField("reasons", blank=True)
    national_issues = models.CharField("do national issues arise?", max_length=3, choices=YesNo.choices, blank=True)
    national_issues_detail = models.TextField("national issues", blank=True)
    recommendation = models.CharField("recommended next step", max_length=20, choices=Recommendation.choices,
                                      blank=True)
    rationale = models.TextField("rationale for the recommendation", blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sheet", "-number"]
        constraints = [models.UniqueConstraint(fields=["sheet", "number"], name="one_number_per_sheet_version")]

    def __str__(self):
        return f"Version {self.number}"

    def sections(self) -> list[tuple[str, str]]:
        """(heading, text) for each section, in the order the National Panel expects."""
        criteria = self.get_criteria_met_display() or "Not stated"
        if self.criteria_reasons:
            criteria = f"{criteria}. {self.criteria_reasons}"
        national = self.get_national_issues_display() or "Not stated"
        if self.national_issues_detail:
            national = f"{national}. {self.national_issues_detail}"
        next_step = self.get_recommendation_display() or "Not stated"
        if self.rationale:
            next_step = f"{next_step}. {self.rationale}"
        return [
            ("Case summary", self.case_summary),
            ("Agency involvement and key practice episodes", self.agency_involvement),
            ("Analysis, including race, ethnicity, disability and other inequalities", self.analysis),
            ("Immediate actions taken", self.immediate_actions),
            ("Learning identified", self.learning),
            ("Whether the criteria for a local review are met", criteria),
            ("Whether national issues arise", national),
            ("Recommended next step and rationale", next_step),
        ]


class SignatureOutcome(models.TextChoices):
    AGREE = "agree", "Agree and sign"
    DISPUTE = "dispute", "Dispute"


class Signature(TimeStampedModel):
    """One statutory partner's answer to one frozen version: signed (agree) or disputed, by whom and when."""

    sheet = models.ForeignKey(DecisionSheet, on_delete=models.CASCADE, related_name="signatures")
    version = models.ForeignKey(DecisionSheetVersion, on_delete=models.PROTECT, related_name="signatures")
    partner = models.CharField(max_length=30, choices=StatutoryPartner.choices)
    signer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=SignatureOutcome.choices)
    reasons = models.TextField(blank=True)
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["signed_at"]
        constraints = [models.UniqueConstraint(fields=["version", "partner"], name="one_answer_per_partner")]
        indexes = [models.Index(fields=["sheet", "version"])]

    def __str__(self):
        return f"{self.get_partner_display()} {self.outcome} v{self.version.number}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Open"
    MEETING_HELD = "meeting_held", "Meeting with the chair held"
    ESCALATED = "escalated", "Escalated to the Executive chair"
    RESOLVED = "resolved", "Resolved"


class Dispute(TimeStampedModel):
    """A partner's dispute of a decision sheet version.

    States: ``open`` (raised by a disputing signature) -> ``meeting_held`` (the meeting with the rapid review
    chair was recorded) -> ``resolved`` (a revised version was made). From ``open`` or ``meeting_held`` it can be
    ``escalated`` to the Executive chair, who records a resolution (``resolved``).
    """

    sheet = models.ForeignKey(DecisionSheet, on_delete=models.CASCADE, related_name="disputes")
    signature = models.OneToOneField(Signature, on_delete=models.PROTECT, related_name="dispute")
    status = models.CharField(max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.OPEN,
                              db_index=True)
    meeting_on = models.DateField("date of the meeting with the rapid review chair", null=True, blank=True)
    meeting_notes = models.TextField("what the meeting decided", blank=True)
    meeting_recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="+")
    escalated_at = models.DateTimeField(null=True, blank=True, db_index=True)
    escalated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    escalation_reason = models.TextField(blank=True)
    resolution = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    revised_version = models.ForeignKey(DecisionSheetVersion, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Dispute on {self.sheet.case}"

    @property
    def can_revise(self) -> bool:
        return self.meeting_on is not None or self.resolved_at is not None


class NationalPanelResponse(models.TextChoices):
    AGREE = "agree", "Agrees with the decision"
    DISAGREE = "disagree", "Disagrees with the decision"
    ADVICE = "advice", "Gives advice"


class NationalPanelSubmission(TimeStampedModel):
    """The signed decision sent to the National Panel, and its response.

    States: sent (``sent_on`` set by ``national_panel_send``; the case moves to ``national_panel``) and
    answered (``response_on`` set by ``national_panel_record_response``).
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="national_panel_submission")
    sent_on = models.DateField(db_index=True)
    working_day = models.SmallIntegerField(help_text="Working days after the notification.")
    late_reason = models.TextField(blank=True)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    response_on = models.DateField(null=True, blank=True, db_index=True)
    response = models.CharField(max_length=10, choices=NationalPanelResponse.choices, blank=True, db_index=True)
    response_text = models.TextField(blank=True)
    response_recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                             related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self):
        return f"National Panel submission for {self.case}"


class AlternativeKind(models.TextChoices):
    SINGLE_AGENCY = "single_agency", "Single-agency learning"
    MULTI_AGENCY = "multi_agency", "Multi-agency learning review"
    OTHER = "other", "Other"


class AlternativeLearning(TimeStampedModel):
    """What happens instead when no practice review is held. The case closes once the National Panel answers."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="alternative_learning")
    kind = models.CharField("what will happen instead", max_length=20, choices=AlternativeKind.choices)
    detail = models.TextField(blank=True)
    learning = models.TextField("learning identified")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self):
        return f"{self.get_kind_display()} for {self.case}"


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

    def reminder_recipients(self, clock) -> list:
        from rapidreview.accounts.models import Role
        from rapidreview.accounts.selectors import users_with_role

        return list(users_with_role(Role.BUSINESS_UNIT))

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
