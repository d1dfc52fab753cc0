"""The access log (who looked at what, when, from where: written once, never changed), retention and legal holds."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from rapidreview.db import TimeStampedModel


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CHANGE = "change", "Changed"
    EXPORT = "export", "Exported"
    PDF = "pdf", "Downloaded a PDF"
    DENIED = "denied", "Denied"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SWITCH = "switch", "Switched partnership"


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log cannot be changed.")

    def delete(self):
        raise PermissionError("The access log cannot be changed.")


class AccessLog(models.Model):
    """One view, export, download or refusal. Holds identifiers only, never personal data about a child."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    action = models.CharField(max_length=20, choices=AccessAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    case_id = models.UUIDField(null=True, blank=True)  # indexed by accesslog_case_idx
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The partnership the reader was acting in. Empty on entries written before partnerships.")
    path = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "-at"]), models.Index(fields=["action", "-at"]),
                   # The access log page: one partnership's lines, newest first (ADR 0019).
                   models.Index(fields=["partnership", "-at", "-id"], name="accesslog_partnership_idx"),
                   # Its "kind of record" choices: one probe per kind (selectors._distinct_object_types).
                   models.Index(fields=["partnership", "object_type"], name="accesslog_partnership_kind_idx"),
                   # Who opened a case, newest first, on its history page: read in order and stopped at the page
                   # (a case opened thousands of times was read whole and sorted), its partnership in the index.
                   models.Index(fields=["case_id", "-at", "-id"], include=["partnership"],
                                name="accesslog_case_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The access log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log cannot be changed.")


class RecordType(models.TextChoices):
    """The kinds of record a retention period is set for."""

    NOT_MET = "not_met", "Cases closed without a Serious Incident Notification"
    RAPID_REVIEW = "rapid_review", "Rapid reviews and child safeguarding practice reviews"


class RetentionRule(TimeStampedModel):
    """How long a partnership keeps one kind of record after the case closes. Edited by its business unit; it
    applies to the cases the partnership leads.

    A case is due for review when ``years_after_closure`` have passed since it closed and, where
    ``until_age`` is set and the child's date of birth is known, the child has reached that age: whichever is
    later.
    """

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.CASCADE, related_name="+")
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    years_after_closure = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(100)])
    until_age = models.PositiveSmallIntegerField(
        "keep at least until the child would be this age", null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)])
    basis = models.TextField("why this period", blank=True)
    history = HistoricalRecords()

    DEFAULTS = {
        RecordType.NOT_MET: {"years_after_closure": 6, "until_age": None,
                             "basis": "Referrals that did not meet the threshold: six years after the case closed."},
        RecordType.RAPID_REVIEW: {"years_after_closure": 15, "until_age": 25,
                                  "basis": "Rapid reviews and practice reviews: until the child's 25th birthday or "
                                           "15 years after the case closed, whichever is later."},
    }

    class Meta:
        ordering = ["record_type"]
        constraints = [models.UniqueConstraint(fields=["partnership", "record_type"],
                                               name="one_retention_rule_per_type")]

    def __str__(self):
        return self.get_record_type_display()

    @classmethod
    def for_type(cls, record_type: str, *, partnership) -> "RetentionRule":
        """``partnership``'s rule for ``record_type``, made with the defaults the first time it is asked for."""
        rule, _ = cls.objects.get_or_create(partnership=partnership, record_type=record_type,
                                            defaults=cls.DEFAULTS[record_type])
        return rule


class LegalHold(TimeStampedModel):
    """A case that must not be anonymised or deleted (an inquest, a claim, a police investigation).

    Keyed by the case's id rather than a foreign key, so that the core does not depend on the referrals app.
    While a row exists the retention review skips the case; removing the hold deletes the row (its history stays).
    """

    case_id = models.UUIDField(unique=True)
    reason = models.CharField(max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    def __str__(self):
        return f"Legal hold on {self.case_id}"


class RetentionAction(models.Model):
    """A case that the retention review anonymised or deleted: one row per case, never changed."""

    class Kind(models.TextChoices):
        ANONYMISED = "anonymised", "Anonymised"
        DELETED = "deleted", "Deleted"

    case_id = models.UUIDField(unique=True)
    # The case's leading partnership; empty on rows from before partnerships (the installation's first partnership's).
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reference = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+")

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.reference} {self.kind}"


class RetentionProposal(TimeStampedModel):
    """One business unit member proposes anonymising a case past its retention period; a different one confirms.

    States: proposed (``confirmed_at`` and ``withdrawn_at`` empty) -> confirmed (the case was anonymised, a
    ``RetentionAction`` written) or withdrawn. At most one open proposal per case.
    """

    case_id = models.UUIDField(db_index=True)
    reference = models.CharField(max_length=20)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["case_id"], condition=models.Q(
            confirmed_at__isnull=True, withdrawn_at__isnull=True), name="one_open_retention_proposal_per_case")]

    def __str__(self):
        return f"Anonymising {self.reference}"

    @property
    def is_open(self) -> bool:
        return self.confirmed_at is None and self.withdrawn_at is None
