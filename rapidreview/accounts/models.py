"""People, agencies, roles and the partnership's own settings."""

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from rapidreview.db import TimeStampedModel


class StatutoryPartner(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"


class AgencyType(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "csc", "Children's social care"
    POLICE = "police", "Police"
    ICB = "icb", "Integrated care board"
    ACUTE_TRUST = "acute_trust", "Acute trust"
    MENTAL_HEALTH_TRUST = "mental_health_trust", "Mental health trust"
    GP = "gp", "GP"
    EDUCATION = "education", "Education"
    HOUSING = "housing", "Housing"
    ADULT_SERVICES = "adult_services", "Adult services"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    EARLY_HELP = "early_help", "Early help"
    OTHER = "other", "Other"


class Agency(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    type = models.CharField(max_length=40, choices=AgencyType.choices)
    statutory_partner = models.CharField(
        max_length=30, choices=StatutoryPartner.choices, blank=True,
        help_text="Which of the three statutory partners this agency belongs to, if any.",
    )
    distribution_email = models.EmailField(blank=True, help_text="For bulletins and general notices.")
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in. Public referrers never have an account."""

    # The address of a person's page: random, so people cannot be counted or enumerated by trying numbers.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="people")
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # Roles are read in one partnership at a time: the one the person is acting in (set for each request by
    # rapidreview.accounts.middleware.PartnershipMiddleware, or by ``act_in``), else their only partnership.
    # Someone with roles in several partnerships who is not acting in one holds no role at all (ADR 0015).
    _acting_partnership: "Partnership | None" = None

    @cached_property
    def current_assignments(self) -> list["RoleAssignment"]:
        """Every role held today, in every partnership."""
        today = timezone.localdate()
        prefetched = "role_assignments" in getattr(self, "_prefetched_objects_cache", {})
        # With their partnerships: every page chooses the acting one and lists the others from these (ADR 0019).
        rows = self.role_assignments.all() if prefetched else self.role_assignments.select_related("partnership")
        return [r for r in rows if r.is_current(today)]

    @property
    def partnership_ids(self) -> frozenset[int]:
        """The partnerships in which this person holds a role today."""
        return frozenset(r.partnership_id for r in self.current_assignments)

    @property
    def partnership(self) -> "Partnership | None":
        """The partnership whose roles apply now."""
        if self._acting_partnership is not None:
            return self._acting_partnership
        ids = self.partnership_ids
        if len(ids) == 1:
            assignment = self.current_assignments[0]
            return assignment.partnership
        return None

    def act_in(self, partnership: "Partnership | None") -> None:
        """Read roles in ``partnership`` from now on (None: back to the person's only partnership, if one)."""
        self._acting_partnership = partnership
        for name in ("active_roles", "role_names"):
            self.__dict__.pop(name, None)

    @cached_property
    def active_roles(self) -> list["RoleAssignment"]:
        partnership = self.partnership
        if partnership is None:
            return []
        return [r for r in self.current_assignments if r.partnership_id == partnership.pk]

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(r.role for r in self.active_roles)

    def has_role(self, *roles: str) -> bool:
        """Whether the person holds one of ``roles`` today in the partnership they are acting in."""
        return bool(self.role_names.intersection(roles))

    def has_role_in(self, partnership, *roles: str) -> bool:
        """Whether the person holds one of ``roles`` today in ``partnership`` (whatever they are acting in)."""
        pk = getattr(partnership, "pk", partnership)
        return any(r.partnership_id == pk and r.role in roles for r in self.current_assignments)


class PartnershipHistory(HistoricalRecords):
    """A partnership's change history, whose ``slug`` may be empty (ADR 0015).

    History rows are append-only. Those written before partnerships had slugs keep an empty one, so the history
    column stays nullable while the live ``Partnership.slug`` is required and unique. The model says so, rather
    than only the database: SQLite rebuilds a table from the model state, and would refuse those rows.
    """

    def copy_fields(self, model):
        fields = super().copy_fields(model)  # copies: the live model's fields are not changed
        if "slug" in fields:  # also called for the agencies' through table, which has none
            fields["slug"].null = True
        return fields


class Partnership(models.Model):
    """A safeguarding children partnership hosted on this installation, with its own settings (DESIGN.md §7).

    Durations are read from the case's partnership when a clock starts. ``agencies`` are the agencies in its
    arrangements (agencies themselves are shared by the installation). ``shares_benchmarks`` opts in to showing
    its aggregate figures, anonymised, to the other partnerships that also opt in.
    """

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40)
    slug = models.SlugField(max_length=60, unique=True, help_text="Used in addresses, for example tower-hamlets.")
    is_active = models.BooleanField(default=True)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="partnerships",
                                      help_text="The agencies in this partnership's arrangements.")
    shares_benchmarks = models.BooleanField(
        "share aggregate figures with the other partnerships", default=False,
        help_text="Timeliness, decisions and themes only, never case details, shown anonymised to partnerships "
                  "that also share theirs.")
    contact_email = models.EmailField(default="partnership@example.org")
    postal_address = models.TextField(blank=True)
    local_authority_name = models.CharField(max_length=200, blank=True)

    sin_decision_working_days = models.PositiveSmallIntegerField(
        "Serious Incident Notification decision (working days)", default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)])
    cdop_referral_days = models.PositiveSmallIntegerField(
        "Referral after CDOP or JAR discussion (calendar days)", default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)])
    panel_meeting_working_days = models.PositiveSmallIntegerField(
        "Rapid review panel meeting (working days after notification)", default=10,
        validators=[MinValueValidator(1), MaxValueValidator(30)])
    agency_form_min_working_days = models.PositiveSmallIntegerField(
        "Agency check form, shortest allowed (working days)", default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)])
    agency_form_working_days = models.PositiveSmallIntegerField(
        "Agency check form, default (working days)", default=8,
        validators=[MinValueValidator(1), MaxValueValidator(20)])
    national_panel_working_days = models.PositiveSmallIntegerField(
        "Decision to the National Panel (working days after notification)", default=15,
        validators=[MinValueValidator(1), MaxValueValidator(40)])
    cspr_months = models.PositiveSmallIntegerField(
        "Child Safeguarding Practice Review final report (months)", default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)])
    pre_publication_working_days = models.PositiveSmallIntegerField(
        "Report to the National Panel before publication (working days)", default=7,
        validators=[MinValueValidator(1), MaxValueValidator(30)])
    implementation_review_months = models.PositiveSmallIntegerField(
        "Implementation review after publication (months)", default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)])
    cspr_checkpoint_weeks = models.PositiveSmallIntegerField(
        "Practice review time and quality checkpoints (weeks between checks)", default=6,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
        help_text="Regulation 14 of SI 2018/789: the partners monitor a review's time and quality at regular "
                  "intervals.")

    # Who is told of decisions (Working Together 2023): never a child's name, only the case reference.
    chair_name = models.CharField("partnership chair", max_length=200, blank=True)
    chair_email = models.EmailField("partnership chair's e-mail address", blank=True,
                                    help_text="Told when a decision sheet is signed, the National Panel responds, "
                                              "and a practice review is commissioned or published.")
    scrutineer_name = models.CharField("independent scrutineer", max_length=200, blank=True)
    scrutineer_email = models.EmailField("independent scrutineer's e-mail address", blank=True,
                                         help_text="Told of the same decisions as the chair.")
    education_participation_note = models.TextField(
        "education agencies: what the arrangements say", blank=True,
        help_text="Schools, academies and nurseries are relevant agencies (SI 2018/789, Schedule). The Children's "
                  "Wellbeing and Schools Act 2026, section 2, will make designated childcare or education agencies "
                  "mandatory participants once commenced; record here how this partnership involves them.")
    education_mandatory = models.BooleanField(
        "treat education agencies as mandatory participants", default=False,
        help_text="Shows education agencies as expected on every rapid review panel; set it when section 2 is in "
                  "force or your arrangements already say so.")

    # When the partnership was added to the installation. The first partnership's is when partnerships came in:
    # access-log lines from before then name no partnership and are its own (rapidreview.audit.selectors).
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = PartnershipHistory(m2m_fields=[agencies])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class LeadSafeguardingPartner(TimeStampedModel):
    """One of a partnership's three Lead Safeguarding Partners (Working Together 2023: the local authority chief
    executive, the chief officer of police, the integrated care board chief executive), with the executives who
    act for them as Delegated Safeguarding Partners."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="lead_partners")
    partner = models.CharField("safeguarding partner", max_length=30, choices=StatutoryPartner.choices)
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, help_text="For example: Chief Constable.")
    organisation = models.CharField(max_length=200, help_text="For example: Metropolitan Police Service.")
    delegates = models.ManyToManyField("User", blank=True, related_name="delegated_for",
                                       verbose_name="Delegated Safeguarding Partners",
                                       help_text="The executives who act and sign for this lead partner.")
    history = HistoricalRecords(m2m_fields=[delegates])

    class Meta:
        ordering = ["partnership", "partner"]
        constraints = [models.UniqueConstraint(fields=["partnership", "partner"], name="one_lead_per_partner")]

    def __str__(self):
        return f"{self.name}, {self.title} of {self.organisation}"


class Role(models.TextChoices):
    """The roles of DESIGN.md §4. A person can hold several."""

    BUSINESS_UNIT = "business_unit", "Business unit"
    RR_CHAIR = "rr_chair", "Rapid review chair"
    THRESHOLD = "threshold", "Threshold decision maker"
    PANEL_MEMBER = "panel_member", "Panel member"
    AGENCY_LEAD = "agency_lead", "Agency safeguarding lead"
    EXECUTIVE = "executive", "Executive member"
    WORKING_GROUP = "working_group", "Working group member"


class RoleAssignment(TimeStampedModel):
    """One role held by one person, with the attributes that role carries.

    Every role is held in one partnership: someone who works for two partnerships has assignments in each.
    Panel members: ``voting``, ``core`` (core member or case-by-case), ``title`` (their seat, for example
    "Designated Doctor for Safeguarding"), ``substitute``. Executive members: ``statutory_partner`` they sign for
    and ``is_chair`` for the chair of the Executive. Threshold decision makers: ``statutory_partner`` they speak
    for. ``starts_on``/``ends_on`` bound the membership.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    title = models.CharField(max_length=200, blank=True, help_text="For example: Designated Nurse for Safeguarding.")
    statutory_partner = models.CharField(max_length=30, choices=StatutoryPartner.choices, blank=True)
    voting = models.BooleanField(default=False)
    core = models.BooleanField(default=True, help_text="A core panel member rather than a case-by-case invitee.")
    is_chair = models.BooleanField(default=False)
    substitute = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="substitute_for"
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "user__full_name"]
        indexes = [models.Index(fields=["partnership", "role", "ends_on"], name="role_partnership_idx")]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership", "role", "starts_on"],
                                    name="one_role_start_per_user_partnership"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"

    def is_current(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)
