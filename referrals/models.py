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

import datetime

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from rapidreview.accounts.models import Agency, Partnership
from rapidreview.db import TimeStampedModel
from rapidreview.links import object_url


class Stage(models.TextChoices):
    RECEIVED = "received", "Referral received"
    THRESHOLD = "threshold", "Threshold discussion"
    NOT_MET = "not_met", "Threshold not met"
    NOTIFIED = "notified", "Notified, no rapid review"
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


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class ChildOutcome(models.TextChoices):
    """What happened to a further child in the same incident (the DfE notification asks it of each child)."""

    DIED = "died", "Died"
    SERIOUS_HARM = "serious_harm", "Seriously harmed"
    AT_RISK = "at_risk", "Not harmed, but at risk"


class Route(models.TextChoices):
    """Which notification this is (the three purposes of the DfE notification service; ADR 0025).

    - ``serious_incident``: abuse or neglect known or suspected, and a child died or was seriously harmed
      (Children Act 2004 s16C). Notified to the National Panel; a rapid review follows.
    - ``lac_death``: a looked-after child died. Notified to the Secretary of State and Ofsted whether or not abuse
      or neglect is known or suspected; a rapid review follows only where it is.
    - ``care_leaver_death``: a care leaver died before their 25th birthday. Notified to the Secretary of State and
      Ofsted and recorded; no rapid review, counted apart from every other notification.
    """

    SERIOUS_INCIDENT = "serious_incident", "Serious incident: a child died or was seriously harmed"
    LAC_DEATH = "lac_death", "Death of a looked-after child"
    CARE_LEAVER_DEATH = "care_leaver_death", "Death of a care leaver (up to their 25th birthday)"


class Case(TimeStampedModel):
    """A referral and everything that follows it. Details of the referral itself live on ``Referral``."""

    reference = models.CharField(max_length=20, unique=True)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="cases",
        help_text="The leading partnership: where the incident happened (Working Together 2023). Others may take "
                  "part (CaseParticipation).")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.RECEIVED, db_index=True)
    source = models.CharField(max_length=20, choices=Source.choices, db_index=True)
    child_first_name = models.CharField("child's first name", max_length=100)
    child_last_name = models.CharField("child's last name", max_length=100, blank=True)
    child_dob = models.DateField("child's date of birth", null=True, blank=True)
    harm = models.CharField(max_length=20, choices=Harm.choices, blank=True)
    route = models.CharField("what is notified", max_length=20, choices=Route.choices,
                             default=Route.SERIOUS_INCIDENT, db_index=True)
    abuse_or_neglect = models.CharField("abuse or neglect known or suspected", max_length=10,
                                        choices=YesNoUnknown.choices, blank=True)
    children_count = models.PositiveSmallIntegerField(
        default=1, help_text="Children in the incident: the one the referral names and any further children "
                             "(IncidentChild). Kept by the services that add and remove them.")
    incident_date = models.DateField(null=True, blank=True)
    la_aware_on = models.DateField("date the local authority became aware", null=True, blank=True)
    sin_notified_on = models.DateField("date the SIN was notified", null=True, blank=True, db_index=True)
    involved_agencies = models.ManyToManyField(Agency, blank=True, related_name="cases")
    pseudonym = models.CharField(max_length=60, blank=True, help_text='Used in anything published, e.g. "Child Q".')
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[involved_agencies])

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["stage", "-created_at"]),
            models.Index(fields=["child_last_name", "child_first_name"]),
            # The few hundred open cases among ten years of closed ones (dashboards' "cases by stage").
            models.Index(fields=["stage"], condition=~models.Q(stage="closed"), name="case_open_stage_idx"),
            # The case list: one partnership's cases, newest first, a page at a time (ADR 0019).
            models.Index(fields=["partnership", "-created_at"], name="case_partnership_created_idx"),
        ]

    def __str__(self):
        return self.reference

    @property
    def child_name(self) -> str:
        return f"{self.child_first_name} {self.child_last_name}".strip()

    def get_absolute_url(self) -> str:
        return object_url("referrals:case_detail", self.pk)

    @property
    def reminder_reference(self) -> str:
        """What reminders call the case: its reference, never the child's name."""
        return self.reference


class CaseParticipation(models.Model):
    """Another partnership taking part in a case the case's partnership leads (a joint cross-border review).

    Its business unit sees the case, and its agencies may be sent check forms; sign-off stays with the leading
    partnership. The case counts in the leading partnership's statistics and as "taking part" in this one's.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participations")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="participations")
    reason = models.TextField(help_text="Why this partnership takes part, for example where the child lives.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at"]
        constraints = [models.UniqueConstraint(fields=["case", "partnership"], name="one_participation_per_case")]

    def __str__(self):
        return f"{self.partnership} in {self.case}"


class LeadHandover(TimeStampedModel):
    """The leading partnership asks another to lead the case instead: the incident happened in its area (the Panel:
    "The responsibility to undertake the rapid review rests with the local authority of where the serious incident
    took place"). Only before the threshold discussion. States: proposed (``answered_at`` empty) → accepted (the
    case's ``partnership`` changes; the one that proposed takes part) or declined (with a reason). At most one
    proposal waits per case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="lead_handovers")
    from_partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    to_partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(help_text="Why it should lead, for example where the incident happened.")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    accepted = models.BooleanField(null=True)
    answer_note = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(answered_at__isnull=True),
                                               name="one_waiting_lead_handover")]

    def __str__(self):
        return f"Lead of {self.case_id} to {self.to_partnership_id}"


class IncidentChild(TimeStampedModel):
    """A further child in the same incident. The child the referral names stays on ``Case`` and ``Referral``;
    up to three more are rows here, so one notification covers up to four children, as the DfE form does (ADR
    0023). A child may be recorded without a name: the national form allows a notification with no named child."""

    MAX = 3

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="other_children")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    dob = models.DateField("date of birth", null=True, blank=True)
    age = models.CharField(max_length=40, blank=True, help_text="When the date of birth is not known.")
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    disability = models.CharField(max_length=300, blank=True)
    relationship = models.CharField("relationship to the first child", max_length=100, blank=True)
    outcome = models.CharField(max_length=20, choices=ChildOutcome.choices)
    looked_after = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    child_protection_plan = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Further child on {self.case_id}"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


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


class AbuseKind(models.TextChoices):
    PHYSICAL = "physical", "Physical abuse"
    EMOTIONAL = "emotional", "Emotional abuse"
    SEXUAL = "sexual", "Sexual abuse"
    NEGLECT = "neglect", "Neglect"
    CRIMINAL_EXPLOITATION = "criminal_exploitation", "Criminal exploitation"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    ONLINE = "online", "Online abuse"
    OTHER = "other", "Other or not known"


class CdopForum(models.TextChoices):
    CDOP = "cdop", "Child death overview panel"
    JAR = "jar", "Joint agency response meeting"


class ReferenceCounter(models.Model):
    """A partnership's last case number in a year. Locked while the next reference is taken, so two never collide.

    References read ``<prefix>-<year>-<number>`` (THSCP-2026-0014). The prefix is fixed when the year's counter is
    made, from the partnership's short name, and no two partnerships share one in a year, so references stay unique
    across the installation. Counters from before partnerships keep the prefix ``RR``.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    prefix = models.CharField(max_length=10, default="RR")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "year"], name="one_counter_per_year"),
                       models.UniqueConstraint(fields=["prefix", "year"], name="one_reference_prefix_per_year")]

    def __str__(self):
        return f"{self.prefix} {self.year}: {self.last}"


class Referral(TimeStampedModel):
    """What the referrer told us. One per case; written once when the referral is received, then read only."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="referral")
    received_on = models.DateField(db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", help_text="Empty for a public referral.")
    entered_on_behalf = models.BooleanField(default=False, help_text="The business unit typed it in for the referrer.")
    how_received = models.CharField(max_length=200, blank=True)

    referrer_name = models.CharField(max_length=200)
    referrer_role = models.CharField("role or relationship to the child", max_length=200, blank=True)
    referrer_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_address = models.TextField(blank=True)
    discussed_with_manager = models.BooleanField(default=False)

    cdop_forum = models.CharField(max_length=10, choices=CdopForum.choices, blank=True)
    cdop_discussed_on = models.DateField(null=True, blank=True)
    is_late = models.BooleanField(default=False, db_index=True,
                                  help_text="Referred more than the allowed days after the CDOP or JAR discussion.")

    child_aliases = models.CharField(max_length=300, blank=True)
    child_age = models.CharField(max_length=40, blank=True, help_text="When the date of birth is not known.")
    child_sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    child_ethnicity = models.CharField(max_length=100, blank=True)
    child_disability = models.CharField(max_length=300, blank=True)
    child_home_la = models.CharField("child's home local authority", max_length=200, blank=True)
    child_address = models.TextField(blank=True)
    looked_after = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    child_protection_plan = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)

    incident_la = models.CharField("local authority where it happened", max_length=200, blank=True)
    abuse_kinds = models.JSONField(default=list, blank=True)
    description = models.TextField()
    other_agencies = models.CharField(max_length=500, blank=True)
    criteria_reasons = models.TextField("why the criteria are met", blank=True)
    police_investigation = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    inquest = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    other_reviews = models.TextField(blank=True)
    possible_duplicate_of = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True,
                                              related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self):
        return f"Referral for {self.case_id}"

    @property
    def abuse_kind_labels(self) -> list[str]:
        labels = dict(AbuseKind.choices)
        return [labels.get(k, k) for k in self.abuse_kinds]

    @property
    def referrer_agency_name(self) -> str:
        return str(self.referrer_agency) if self.referrer_agency_id else self.referrer_organisation


class HouseholdMember(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="household")
    name = models.CharField(max_length=200)
    relationship = models.CharField("relationship to the child", max_length=100, blank=True)
    age = models.CharField("date of birth or age", max_length=40, blank=True)
    notes = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class ThresholdOutcome(models.TextChoices):
    MET = "met", "Threshold met"
    NOTIFY_ONLY = "notify_only", "Notify the Secretary of State and Ofsted only"
    NOT_MET = "not_met", "Threshold not met"


class ThresholdDecision(TimeStampedModel):
    """The three-way discussion between local authority, health and police. One per case, recorded once."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="threshold_decision")
    discussed_on = models.DateField()
    la_participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    health_participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+")
    police_participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+")
    absence_reason = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=ThresholdOutcome.choices, db_index=True)
    rationale = models.TextField()
    decision_maker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.case_id})"


class SinNotification(TimeStampedModel):
    """The Serious Incident Notification to the National Panel: day 0 of the rapid review."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="sin")
    notified_on = models.DateField()
    notification_reference = models.CharField(max_length=100)
    ofsted_notified = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    secretary_of_state_notified = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    was_late = models.BooleanField(default=False)
    late_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self):
        return self.notification_reference


class LetterSentBy(models.TextChoices):
    EMAIL = "email", "E-mailed by the service"
    MANUAL_EMAIL = "manual_email", "E-mailed by the business unit"
    POST = "post", "Posted"
    HAND = "hand", "Handed over in person"


class ReferrerLetter(TimeStampedModel):
    """The "threshold not met" letter. States: drafted (``pdf`` stored, ``sent_on`` empty) and sent."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="letter")
    next_steps = models.TextField()
    pdf = models.BinaryField()
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.CharField(max_length=20, choices=LetterSentBy.choices, blank=True)
    sent_to = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at", "pdf"])

    def __str__(self):
        return f"Letter for {self.case_id}"

    @property
    def filename(self) -> str:
        return f"letter-to-referrer-{self.case.reference}.pdf"


class AssuranceRequest(TimeStampedModel):
    """Assurance asked of an agency after a "not met" decision. States: requested (clock running), answered."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assurance_requests")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    request = models.TextField()
    due_on = models.DateField(db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    response_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                             blank=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Assurance from {self.agency}"

    @property
    def is_answered(self) -> bool:
        return self.responded_on is not None

    @property
    def clock_owner_agency_id(self):
        """The agency's leads see the deadline in "My deadlines" (ADR 0002)."""
        return self.agency_id

    def get_absolute_url(self) -> str:
        """The request's own page, where the agency's safeguarding lead answers (they cannot open the case)."""
        return object_url("referrals:assurance_reply", self.pk)

    @property
    def reminder_reference(self) -> str:
        return self.case.reference


class CdopDiscussion(TimeStampedModel):
    """A child's case discussed at a child death overview panel (CDOP) or a joint agency response (JAR) meeting.

    Recording the discussion starts the CDOP/JAR referral clock (a referral within a week of the discussion, as the
    partnership's arrangements ask). The clock is met when the referral is made (``case`` is set) or when the
    business unit records that no referral is warranted (``no_referral_reason``). The reference is the CDOP's or
    JAR's own, never the child's name.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="cdop_discussions")
    forum = models.CharField(max_length=10, choices=CdopForum.choices)
    discussed_on = models.DateField(db_index=True)
    forum_reference = models.CharField("CDOP or JAR reference", max_length=100)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(Case, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="cdop_discussion", help_text="The referral made after the discussion.")
    no_referral_reason = models.TextField(blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    concluded_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-discussed_on", "-created_at"]

    def __str__(self):
        return f"{self.get_forum_display()} {self.forum_reference}"

    @property
    def is_open(self) -> bool:
        return self.concluded_on is None

    @property
    def referral_due_on(self):
        """The last day a referral is on time (the partnership's CDOP/JAR days after the discussion)."""
        return self.discussed_on + datetime.timedelta(days=self.partnership.cdop_referral_days)

    def get_absolute_url(self) -> str:
        return object_url("referrals:cdop_discussion", self.pk)

    @property
    def reminder_reference(self) -> str:
        return f"{self.get_forum_display()} reference {self.forum_reference}"
