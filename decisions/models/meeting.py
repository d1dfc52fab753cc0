"""The record of the rapid review panel meeting and the vote of each voting member present."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from rapidreview.accounts.models import Agency
from rapidreview.db import TimeStampedModel
from referrals.models import Case

from .criteria import REGULATION_3, REGULATION_11, YesNo, answers, reason_field, reg3_field, reg11_field

User = settings.AUTH_USER_MODEL


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
    # Regulation 11 (local review) and regulation 3 (national review) criteria, answered one by one at the panel;
    # the decision sheet starts from these answers.
    reg11_a, reg11_a_reason = reg11_field("a"), reason_field("11", "a")
    reg11_b, reg11_b_reason = reg11_field("b"), reason_field("11", "b")
    reg11_c, reg11_c_reason = reg11_field("c"), reason_field("11", "c")
    reg11_d, reg11_d_reason = reg11_field("d"), reason_field("11", "d")
    reg3_a, reg3_a_reason = reg3_field("a"), reason_field("3", "a")
    reg3_b, reg3_b_reason = reg3_field("b"), reason_field("3", "b")
    reg3_c, reg3_c_reason = reg3_field("c"), reason_field("3", "c")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    vote_closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    vote_closed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self):
        return f"Meeting record for {self.case}"

    @property
    def vote_closed(self) -> bool:
        return self.vote_closed_at is not None

    def regulation_11(self) -> list[dict]:
        return answers(self, REGULATION_11, "reg11")

    def regulation_3(self) -> list[dict]:
        return answers(self, REGULATION_3, "reg3")


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
    """One voting seat's answer to "recommend a practice review?". It can change until the vote closes.

    ``member`` is the person whose vote it is. An agreed substitute seated for a conflicted member votes as
    themselves, with ``for_member`` naming the member whose seat it is; a seat represented at the meeting by a named
    substitute without an account is voted by the business unit, with ``substitute_name`` kept. Either way the record
    reads "substitute for member".
    """

    meeting = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    for_member = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   help_text="The conflicted member in whose seat the substitute voted.")
    substitute_name = models.CharField(max_length=200, blank=True,
                                       help_text="The named substitute who represented the member at the meeting.")
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

    @property
    def voter(self) -> str:
        """Who voted, as the record shows it: "Sam Sub for Mo Member" in a substitute's case."""
        if self.for_member_id:
            return f"{self.member.full_name} for {self.for_member.full_name}"
        if self.substitute_name:
            return f"{self.substitute_name} for {self.member.full_name}"
        return self.member.full_name
