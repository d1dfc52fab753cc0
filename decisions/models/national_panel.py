"""The signed decision sent to the National Panel, and what happens when no practice review is held."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from rapidreview.db import TimeStampedModel
from referrals.models import Case

from .criteria import REGULATION_3, CriterionView

User = settings.AUTH_USER_MODEL


class NationalPanelResponse(models.TextChoices):
    AGREE = "agree", "Agrees with the decision"
    DISAGREE = "disagree", "Disagrees with the decision"
    ADVICE = "advice", "Gives advice"


class NationalPanelSubmission(TimeStampedModel):
    """The signed decision sent to the National Panel, and its response.

    States: sent (``sent_on`` set by ``national_panel_send``; the case moves to ``national_panel``) and
    answered (``response_on`` set by ``national_panel_record_response``). ``sent_on`` can be corrected by the
    business unit afterwards (``national_panel_correct_sent_on``), with the reason kept in the history.

    "The THSCP Executive sends this to the National Panel": ``sent_for`` is the Executive member on whose behalf it
    was sent; ``sent_by`` is who recorded it.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="national_panel_submission")
    sent_on = models.DateField(db_index=True)
    working_day = models.SmallIntegerField(help_text="Working days after the notification.")
    late_reason = models.TextField(blank=True)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_for = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="sent for the Executive by",
                                 help_text="The Executive member on whose behalf the decision was sent.")
    response_on = models.DateField(null=True, blank=True, db_index=True)
    response = models.CharField(max_length=10, choices=NationalPanelResponse.choices, blank=True, db_index=True)
    response_text = models.TextField(blank=True)
    response_recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                             related_name="+")
    # The National Panel's view of the partners' answer on each national review criterion (regulation 3).
    reg3_a_view = models.CharField(max_length=12, choices=CriterionView.choices, blank=True)
    reg3_a_comment = models.TextField(blank=True)
    reg3_b_view = models.CharField(max_length=12, choices=CriterionView.choices, blank=True)
    reg3_b_comment = models.TextField(blank=True)
    reg3_c_view = models.CharField(max_length=12, choices=CriterionView.choices, blank=True)
    reg3_c_comment = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self):
        return f"National Panel submission for {self.case}"

    def criteria_views(self) -> list[dict]:
        """The National Panel's view on each national review criterion, with its comment."""
        return [{"letter": k, "criterion": text, "view": getattr(self, f"get_reg3_{k}_view_display")(),
                 "comment": getattr(self, f"reg3_{k}_comment")} for k, text in REGULATION_3.items()]


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
