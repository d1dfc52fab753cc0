"""The decision sheet, its versions, the partners' signatures and their disputes."""

from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from rapidreview.accounts.models import StatutoryPartner
from rapidreview.db import TimeStampedModel
from referrals.models import Case

from .meeting import YesNo

User = settings.AUTH_USER_MODEL


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

# Fields shown under the heading of another field's section.
_SHOWN_WITH = {"criteria_reasons": "criteria_met", "national_issues_detail": "national_issues",
               "rationale": "recommendation"}


def section_anchor(field: str) -> str:
    """The id of the decision sheet page's row that shows ``field``."""
    return "section-" + _SHOWN_WITH.get(field, field).replace("_", "-")


class Section(NamedTuple):
    heading: str
    text: str
    anchor: str


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

    def sections(self) -> list[Section]:
        """Heading, text and page anchor of each section, in the order the National Panel expects."""
        criteria = self.get_criteria_met_display() or "Not stated"
        if self.criteria_reasons:
            criteria = f"{criteria}. {self.criteria_reasons}"
        national = self.get_national_issues_display() or "Not stated"
        if self.national_issues_detail:
            national = f"{national}. {self.national_issues_detail}"
        next_step = self.get_recommendation_display() or "Not stated"
        if self.rationale:
            next_step = f"{next_step}. {self.rationale}"
        return [Section(heading, text, section_anchor(field)) for field, heading, text in [
            ("case_summary", "Case summary", self.case_summary),
            ("agency_involvement", "Agency involvement and key practice episodes", self.agency_involvement),
            ("analysis", "Analysis, including race, ethnicity, disability and other inequalities", self.analysis),
            ("immediate_actions", "Immediate actions taken", self.immediate_actions),
            ("learning", "Learning identified", self.learning),
            ("criteria_met", "Whether the criteria for a local review are met", criteria),
            ("national_issues", "Whether national issues arise", national),
            ("recommendation", "Recommended next step and rationale", next_step),
        ]]


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
