"""The decision sheet, its versions, the partners' signatures and their disputes."""

from typing import NamedTuple

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from rapidreview.accounts.models import StatutoryPartner
from rapidreview.db import TimeStampedModel
from rapidreview.links import object_url
from referrals.models import Case, YesNoUnknown

from .criteria import REGULATION_3, REGULATION_11, YesNo, answers, reason_field, reg3_field, reg11_field
from .cspr import Methodology

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
        return object_url("decisions:sheet", self.case_id)


# The words of a version, in the order of the form. Everything else on the sheet comes from the case (ADR 0009).
SECTION_FIELDS = ["case_summary", "child_in_need", "significant_adults", "agency_involvement", "analysis",
                  "immediate_actions", "siblings_safety", "learning",
                  "reg11_a", "reg11_a_reason", "reg11_b", "reg11_b_reason", "reg11_c", "reg11_c_reason",
                  "reg11_d", "reg11_d_reason", "criteria_met", "criteria_reasons",
                  "reg3_a", "reg3_a_reason", "reg3_b", "reg3_b_reason", "reg3_c", "reg3_c_reason",
                  "national_issues", "national_issues_detail", "recommendation", "rationale",
                  "cspr_methodology", "cspr_scope", "cspr_reviewer", "cspr_timescale",
                  "parallel_processes", "family_involvement"]
CHOICE_FIELDS = ("child_in_need", "reg11_a", "reg11_b", "reg11_c", "reg11_d", "criteria_met",
                 "reg3_a", "reg3_b", "reg3_c", "national_issues",
                 "recommendation", "cspr_methodology")
CSPR_FIELDS = ("cspr_methodology", "cspr_scope", "cspr_reviewer", "cspr_timescale")

# Fields shown under the heading of another field's section.
_SHOWN_WITH = {"criteria_reasons": "criteria_met", "national_issues_detail": "national_issues",
               "rationale": "recommendation", "siblings_safety": "immediate_actions",
               **{f"reg11_{k}{suffix}": "reg11_a" for k in REGULATION_11 for suffix in ("", "_reason")
                  if k != "a" or suffix},
               **{f"reg3_{k}{suffix}": "national_issues" for k in REGULATION_3 for suffix in ("", "_reason")},
               **{f: "cspr_methodology" for f in CSPR_FIELDS}}


def section_anchor(field: str) -> str:
    """The id of the decision sheet page's row that shows ``field``."""
    return "section-" + _SHOWN_WITH.get(field, field).replace("_", "-")


class Section(NamedTuple):
    heading: str
    text: str
    anchor: str


def _answer(choice_display: str, reasons: str) -> str:
    answer = choice_display or "Not answered"
    return f"{answer}. {reasons}" if reasons else answer


class DecisionSheetVersion(TimeStampedModel):
    """One saved version of a decision sheet. A frozen version (sent for signature) never changes.

    It holds only what the case does not: the facts (dates, the child, the household, agencies, attendance and
    the vote, signatures) are read from the case when the sheet is shown or printed (``decisions.document``).
    """

    sheet = models.ForeignKey(DecisionSheet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    case_summary = models.TextField(blank=True)
    child_in_need = models.CharField("was the child a child in need (section 17)?", max_length=10,
                                     choices=YesNoUnknown.choices, blank=True)
    significant_adults = models.TextField(
        "significant adults outside the household", blank=True,
        help_text="Adults important to the child who do not live with them: a parent living elsewhere, a partner, "
                  "a carer. The household is taken from the referral.")
    agency_involvement = models.TextField("agency involvement and key practice episodes", blank=True)
    analysis = models.TextField(
        "analysis", blank=True,
        help_text="Include the impact of racism, other inequalities and disability on the child's experience and "
                  "on the practice around them.")
    immediate_actions = models.TextField("immediate actions taken", blank=True)
    siblings_safety = models.TextField(
        "safety of siblings and other children", blank=True,
        help_text="What has been done to keep the child's siblings and any other children in the household safe.")
    learning = models.TextField("learning identified", blank=True)
    reg11_a, reg11_a_reason = reg11_field("a"), reason_field("11", "a")
    reg11_b, reg11_b_reason = reg11_field("b"), reason_field("11", "b")
    reg11_c, reg11_c_reason = reg11_field("c"), reason_field("11", "c")
    reg11_d, reg11_d_reason = reg11_field("d"), reason_field("11", "d")
    criteria_met = models.CharField("are the criteria for a local review met?", max_length=3,
                                    choices=YesNo.choices, blank=True)
    criteria_reasons = models.TextField("reasons", blank=True)
    reg3_a, reg3_a_reason = reg3_field("a"), reason_field("3", "a")
    reg3_b, reg3_b_reason = reg3_field("b"), reason_field("3", "b")
    reg3_c, reg3_c_reason = reg3_field("c"), reason_field("3", "c")
    national_issues = models.CharField("do the national review criteria apply?", max_length=3, choices=YesNo.choices,
                                       blank=True)
    national_issues_detail = models.TextField("why the national review criteria do or do not apply", blank=True)
    recommendation = models.CharField("recommended next step", max_length=20, choices=Recommendation.choices,
                                      blank=True)
    rationale = models.TextField("rationale for the recommendation", blank=True)
    cspr_methodology = models.CharField("practice review methodology", max_length=20, choices=Methodology.choices,
                                        blank=True)
    cspr_scope = models.TextField("scope of the practice review", blank=True,
                                  help_text="The period and the questions the review will look at.")
    cspr_reviewer = models.CharField("reviewer", max_length=200, blank=True,
                                     help_text="The independent reviewer, or how one will be found.")
    cspr_timescale = models.CharField("timescale", max_length=200, blank=True,
                                      help_text="For example, final report within 6 months, by 30 June 2027.")
    parallel_processes = models.TextField(
        "other parallel processes", blank=True,
        help_text="Anything not on the referral: criminal proceedings, a domestic homicide review, a safeguarding "
                  "adults review, a coroner's inquest, disciplinary or regulatory processes.")
    family_involvement = models.TextField(
        "family involvement", blank=True,
        help_text="How the family has been told about the review and how they will be involved.")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sheet", "-number"]
        constraints = [models.UniqueConstraint(fields=["sheet", "number"], name="one_number_per_sheet_version")]

    def __str__(self):
        return f"Version {self.number}"

    def regulation_11(self) -> list[dict]:
        """Each local review criterion of regulation 11 with this version's answer and reasons."""
        return answers(self, REGULATION_11, "reg11")

    def regulation_3(self) -> list[dict]:
        """Each national review criterion of regulation 3 with this version's answer and reasons."""
        return answers(self, REGULATION_3, "reg3")

    def sections(self) -> list[Section]:
        """Heading, text and page anchor of each part the business unit writes, in the order of the sheet."""
        reg11 = "\n".join(f"({r['letter']}) {_answer(r['answer'], r['reasons'])}" for r in self.regulation_11())
        reg3 = "\n".join(f"({r['letter']}) {_answer(r['answer'], r['reasons'])}" for r in self.regulation_3())
        national = _answer(self.get_national_issues_display(), self.national_issues_detail)
        practice_review = "Not applicable"
        if self.recommendation == Recommendation.CSPR:
            practice_review = "\n".join([
                f"Methodology: {self.get_cspr_methodology_display() or 'Not stated'}",
                f"Scope: {self.cspr_scope or 'Not stated'}", f"Reviewer: {self.cspr_reviewer or 'Not stated'}",
                f"Timescale: {self.cspr_timescale or 'Not stated'}"])
        immediate = self.immediate_actions
        if self.siblings_safety:
            immediate = f"{immediate}\n\nSafety of siblings and other children: {self.siblings_safety}".strip()
        return [Section(heading, text, section_anchor(field)) for field, heading, text in [
            ("case_summary", "Case summary", self.case_summary),
            ("child_in_need", "Child in need", self.get_child_in_need_display()),
            ("significant_adults", "Significant adults outside the household", self.significant_adults),
            ("agency_involvement", "Agency involvement and key practice episodes", self.agency_involvement),
            ("analysis", "Analysis, including the impact of racism, other inequalities and disability",
             self.analysis),
            ("immediate_actions", "Immediate actions, including the safety of siblings and other children",
             immediate),
            ("learning", "Learning identified", self.learning),
            ("reg11_a", "Local review criteria: regulation 11 (a) to (d)", reg11),
            ("criteria_met", "Whether the criteria for a local review are met",
             _answer(self.get_criteria_met_display(), self.criteria_reasons)),
            ("national_issues", "National review criteria: regulation 3 (a) to (c), and whether they apply",
             f"{reg3}\nOverall: {national}"),
            ("recommendation", "Decision and rationale",
             _answer(self.get_recommendation_display(), self.rationale)),
            ("cspr_methodology", "Practice review: methodology, scope, reviewer and timescale", practice_review),
            ("parallel_processes", "Other parallel processes", self.parallel_processes),
            ("family_involvement", "Family involvement", self.family_involvement),
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
