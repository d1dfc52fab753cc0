"""Agency check forms: issued to each invited agency, completed online, quality-assured, distributed as a pack.

An ``AgencyCheckForm`` moves through these states (every move is a service in ``agencychecks.services``):

- ``issued``: the business unit issued it (``forms_issue``); the agency check form clock runs and the agency's
  safeguarding leads were e-mailed a link.
- ``draft``: a lead saved something on it (``form_save_section``).
- ``submitted``: a lead submitted it from the check-answers page (``form_submit``); a ``FormVersion`` snapshot is
  kept and the clock is met.
- ``returned``: the business unit returned it with comments per section (``form_return``); the lead edits and
  resubmits it (back to ``submitted``). See docs/decisions/0003-returned-forms.md for the clock.
- ``accepted``: the business unit accepted it (``form_accept``); it goes into the panel pack.

"Overdue" is not a state: it is an open form (issued, draft or returned) whose due date has passed.
A ``Pack`` is the distribution of a case's accepted forms to its panel members (``pack_distribute``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from rapidreview.accounts.models import Agency
from rapidreview.db import TimeStampedModel
from rapidreview.links import object_url


class FormStatus(models.TextChoices):
    ISSUED = "issued", "Issued"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    ACCEPTED = "accepted", "Accepted"


OPEN_STATUSES = (FormStatus.ISSUED, FormStatus.DRAFT, FormStatus.RETURNED)
EDITABLE_STATUSES = OPEN_STATUSES


class ContactType(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    APPOINTMENT = "appointment", "Appointment or clinic"
    TELEPHONE = "telephone", "Telephone call"
    SCHOOL = "school", "Contact in school or nursery"
    REFERRAL = "referral", "Referral made or received"
    MEETING = "meeting", "Multi-agency meeting"
    STRATEGY = "strategy", "Strategy discussion"
    ASSESSMENT = "assessment", "Assessment"
    EMERGENCY = "emergency", "Emergency attendance"
    LETTER = "letter", "Letter or e-mail"
    OTHER = "other", "Other"


class GlossaryTerm(TimeStampedModel):
    """A word in capitals the writing assistant knows: allowed as it is, or with the expansion to suggest."""

    term = models.CharField(max_length=20, unique=True, help_text="In capitals, as it would be written, e.g. GP.")
    expansion = models.CharField(max_length=200, blank=True, help_text="What it stands for, in plain words.")
    allowed = models.BooleanField(
        default=False, help_text="Everyone in every agency understands it, so it may be used without expanding it.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term


class AgencyCheckForm(TimeStampedModel):
    """One agency's account of its involvement with the child and family, for one case."""

    case = models.ForeignKey("referrals.Case", on_delete=models.CASCADE, related_name="agency_forms")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="check_forms")
    status = models.CharField(max_length=20, choices=FormStatus.choices, default=FormStatus.ISSUED)
    due_on = models.DateField()
    issued_on = models.DateField(default=timezone.localdate)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    last_edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+")

    # Involvement
    involved = models.BooleanField("Has your agency been involved with the child or family?", null=True, blank=True)
    no_involvement_note = models.TextField("Confirm the checks you made", blank=True)
    involvement_from = models.DateField("Involvement started", null=True, blank=True)
    involvement_to = models.DateField("Involvement ended", null=True, blank=True)
    involvement_ongoing = models.BooleanField("Involvement is ongoing", default=False)
    involvement_summary = models.TextField("Which services were involved, and why", blank=True)
    # Analysis
    analysis = models.TextField("Analysis of key practice episodes", blank=True)
    went_well = models.TextField("What went well?", blank=True)
    could_be_better = models.TextField("What could have worked better?", blank=True)
    prevention = models.TextField("How could a similar incident be prevented in the future?", blank=True)
    # Themes
    themes = models.JSONField("Themes", default=list, blank=True)
    themes_other = models.TextField("Other themes", blank=True)
    themes_in_other_cases = models.TextField("Are these themes coming up in other cases?", blank=True)
    # Learning
    good_practice = models.TextField("Good practice", blank=True)
    improvement_areas = models.TextField("Areas for improvement", blank=True)
    immediate_actions = models.TextField("Immediate actions already taken", blank=True)
    agency_learning = models.TextField("Learning for your agency", blank=True)
    # Author and sign-off
    author_name = models.CharField("Author's name", max_length=200, blank=True)
    author_role = models.CharField("Author's role", max_length=200, blank=True)
    manager_name = models.CharField("Manager's name", max_length=200, blank=True)
    manager_role = models.CharField("Manager's role", max_length=200, blank=True)
    manager_signed_on = models.DateField("Date the manager signed off", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="one_form_per_agency_per_case")]
        indexes = [
            models.Index(fields=["status", "due_on"], name="agencyform_status_due_idx"),
            models.Index(fields=["agency", "status"], name="agencyform_agency_idx"),
            models.Index(fields=["case", "status"], name="agencyform_case_idx"),
        ]

    def __str__(self):
        return f"{self.agency} – {self.case}"

    def get_absolute_url(self):
        return object_url("agencychecks:form", self.pk)

    @property
    def reminder_reference(self) -> str:
        return self.case.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def board_status(self) -> str:
        return "overdue" if self.is_overdue else self.status


class ChronologyEntry(TimeStampedModel):
    """One contact the agency had with the child or family."""

    form = models.ForeignKey(AgencyCheckForm, on_delete=models.CASCADE, related_name="chronology")
    date = models.DateField()
    contact_type = models.CharField("Type of contact", max_length=20, choices=ContactType.choices)
    summary = models.TextField()
    practitioner_role = models.CharField("Practitioner's role", max_length=200)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["date", "created_at"]
        verbose_name_plural = "chronology entries"

    def __str__(self):
        return f"{self.date:%d %b %Y} {self.get_contact_type_display()}"


class FormVersion(TimeStampedModel):
    """What a form said when it was submitted: one per submission, never changed."""

    form = models.ForeignKey(AgencyCheckForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField()

    class Meta:
        ordering = ["form", "number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="one_version_number_per_form")]

    def __str__(self):
        return f"{self.form} version {self.number}"


class ReviewOutcome(models.TextChoices):
    RETURNED = "returned", "Returned"
    ACCEPTED = "accepted", "Accepted"


class FormReview(TimeStampedModel):
    """The business unit's quality assurance of one submitted version: returned with comments, or accepted."""

    form = models.ForeignKey(AgencyCheckForm, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="reviews")
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comments = models.JSONField(default=dict, blank=True, help_text="Section key to comment.")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["form", "-created_at"], name="formreview_form_idx")]

    def __str__(self):
        return f"{self.form} {self.outcome}"


class Pack(TimeStampedModel):
    """The accepted forms of a case sent to its panel members. ``left_out``: forms it went without, and why."""

    case = models.OneToOneField("referrals.Case", on_delete=models.CASCADE, related_name="agency_pack")
    distributed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    left_out = models.ManyToManyField(AgencyCheckForm, blank=True, related_name="+")
    reason = models.TextField(blank=True, help_text="Why the pack went without some forms.")
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[left_out])

    def __str__(self):
        return f"Pack for {self.case}"

    def get_absolute_url(self):
        return object_url("agencychecks:pack", self.case_id)


class PackRender(TimeStampedModel):
    """The pack of a case as a PDF, made by a task (``render_pack``) and kept while its forms are unchanged.

    ``fingerprint`` digests what the PDF shows (``selectors.pack_fingerprint``): the accepted forms, their last
    change and their chronologies, and the distribution. Any change to them gives a new fingerprint, so a stored
    PDF is never served after its forms changed; nothing needs to invalidate it. States: requested (``file`` empty,
    ``rendered_at`` empty; the task was queued at ``requested_at``) -> rendered. Only the latest rendered PDF of a
    case is kept. See docs/decisions/0020-pack-prepared-by-a-task.md.
    """

    case = models.ForeignKey("referrals.Case", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    requested_at = models.DateTimeField(default=timezone.now, help_text="When the task was last queued.")
    file = models.FileField(max_length=200, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "fingerprint"], name="one_pack_render_per_version")]

    def __str__(self):
        return f"Pack PDF for {self.case_id} ({self.fingerprint[:8]})"
