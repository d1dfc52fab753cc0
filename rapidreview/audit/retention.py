"""Retention: which closed cases have passed their retention period, and anonymising them on confirmation.

Each partnership sets its own retention periods and reviews the cases it leads (ADR 0015).

The core does not import the stage apps; the models it touches are looked up by label, and a model or field
that does not exist (yet) is skipped.
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.datacache import model_changed
from rapidreview.db import DomainError

from .models import LegalHold, RecordType, RetentionAction, RetentionProposal, RetentionRule
from .protection import allow_retention_rewrite

ANONYMISED_NAME = "Anonymised"

# What anonymising blanks: the child's names, date of birth and address, the referrer's contact details and the
# referral's free text. The reference, dates, stage and pseudonym are kept, so counts and themes still add up.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "referrals.case": ("child_first_name", "child_last_name", "child_dob"),
    "referrals.referral": (
        "referrer_name", "referrer_role", "referrer_organisation", "referrer_email", "referrer_phone",
        "referrer_address", "how_received", "child_aliases", "child_age", "child_ethnicity", "child_disability",
        "child_address", "description", "other_agencies", "criteria_reasons", "other_reviews",
    ),
    "referrals.householdmember": ("name", "relationship", "age", "notes"),
    "referrals.incidentchild": ("first_name", "last_name", "dob", "age", "ethnicity", "disability", "relationship"),
}
# How each model reaches its case (a lookup to the case's id).
CASE_LOOKUP = {
    "referrals.case": "pk", "referrals.referral": "case_id", "referrals.householdmember": "referral__case_id",
    "referrals.incidentchild": "case_id",
}


def case_model():
    return apps.get_model("referrals", "Case")


@dataclass
class DueCase:
    case_id: object
    reference: str
    record_type: str
    closed_on: datetime.date
    due_on: datetime.date


def retention_due_on(case, rules: dict[str, RetentionRule]) -> tuple[str, datetime.date] | None:
    """The record type and the date a closed case becomes due for anonymising; None while it is open."""
    if not case.closed_at:
        return None
    record_type = RecordType.RAPID_REVIEW if case.sin_notified_on else RecordType.NOT_MET
    rule = rules[record_type]
    closed_on = timezone.localtime(case.closed_at).date()
    due = closed_on + relativedelta(years=rule.years_after_closure)
    if rule.until_age and case.child_dob:
        due = max(due, case.child_dob + relativedelta(years=rule.until_age))
    return record_type, due


def cases_past_retention(*, partnership, today: datetime.date | None = None) -> list[DueCase]:
    """Closed cases ``partnership`` leads that are past its retention periods, without a legal hold, not yet
    anonymised."""
    today = today or timezone.localdate()
    rules = {t: RetentionRule.for_type(t, partnership=partnership) for t in RecordType.values}
    held = LegalHold.objects.values("case_id")
    done = RetentionAction.objects.values("case_id")
    candidates = (case_model().objects.filter(partnership=partnership, closed_at__isnull=False)
                  .exclude(pk__in=held).exclude(pk__in=done)
                  .only("pk", "reference", "closed_at", "sin_notified_on", "child_dob").order_by("closed_at"))
    due = []
    for case in candidates.iterator():
        kind, due_on = retention_due_on(case, rules)
        if due_on <= today:
            due.append(DueCase(case.pk, case.reference, kind, timezone.localtime(case.closed_at).date(), due_on))
    return due


def _blank_values(model, names) -> dict:
    values = {}
    existing = {f.name: f for f in model._meta.concrete_fields}
    for name in names:
        field = existing.get(name)
        if field is None:
            continue
        if field.null:
            values[name] = None
        elif isinstance(field, models.DateField | models.DateTimeField):
            continue
        else:
            values[name] = ""
    return values


def _anonymise_rows(label: str, case_id) -> int:
    try:
        model = apps.get_model(label)
    except LookupError:
        return 0
    values = _blank_values(model, PERSONAL_FIELDS[label])
    if label == "referrals.case" and "child_first_name" in values:
        values["child_first_name"] = ANONYMISED_NAME
    lookup = {CASE_LOOKUP[label]: case_id}
    ids = list(model.objects.filter(**lookup).values_list("pk", flat=True))
    changed = model.objects.filter(pk__in=ids).update(**values)
    model_changed(model)
    history = getattr(model, "history", None)
    if history is not None:
        # The change history holds copies of the same details: blank them there too.
        history.model.objects.filter(**{model._meta.pk.attname + "__in": ids}).update(**values)
    return changed


def _blank_case(case_id) -> None:
    # The change history and signatures are append-only on PostgreSQL, except for this, run as their owner.
    allow_retention_rewrite()
    for label in PERSONAL_FIELDS:
        _anonymise_rows(label, case_id)


@transaction.atomic
def case_anonymise(*, case_id, actor=None) -> RetentionAction:
    """Blank every personal detail of one case (and in its change history); keep what the statistics need."""
    case = case_model().objects.select_for_update().get(pk=case_id)
    if LegalHold.objects.filter(case_id=case_id).exists():
        raise PermissionError("This case is under a legal hold.")
    _blank_case(case_id)
    return RetentionAction.objects.create(case_id=case.pk, reference=case.reference, partnership_id=case.partnership_id,
                                          kind=RetentionAction.Kind.ANONYMISED, by=actor)


def case_delete(*, case_id, actor=None) -> RetentionAction:
    """Delete one case and what cascades from it; a case other records still point to is anonymised instead.

    The change history is blanked first, because simple-history keeps its copies after the rows are deleted.
    """
    case = case_model().objects.get(pk=case_id)
    if LegalHold.objects.filter(case_id=case_id).exists():
        raise PermissionError("This case is under a legal hold.")
    reference, partnership_id = case.reference, case.partnership_id
    try:
        with transaction.atomic():
            _blank_case(case_id)
            case.delete()
            return RetentionAction.objects.create(case_id=case_id, reference=reference, partnership_id=partnership_id,
                                                  kind=RetentionAction.Kind.DELETED, by=actor)
    except ProtectedError:
        return case_anonymise(case_id=case_id, actor=actor)


def _due(case_id, partnership) -> DueCase | None:
    return next((item for item in cases_past_retention(partnership=partnership) if item.case_id == case_id), None)


def _require_business_unit(actor) -> None:
    if not actor.has_role(Role.BUSINESS_UNIT):
        raise DomainError("Only the business unit reviews retention.")


@transaction.atomic
def retention_propose(*, case_id, actor, note: str = "") -> RetentionProposal:
    """First step: a business unit member proposes anonymising a case that is past its retention period."""
    _require_business_unit(actor)
    case_model().objects.select_for_update().get(pk=case_id)
    item = _due(case_id, actor.partnership)
    if item is None:
        raise DomainError("This case is not past its retention period, is under a legal hold, or has already been "
                          "anonymised.")
    if RetentionProposal.objects.filter(case_id=case_id, confirmed_at__isnull=True,
                                        withdrawn_at__isnull=True).exists():
        raise DomainError(f"Anonymising {item.reference} has already been proposed.")
    proposal = RetentionProposal(case_id=case_id, reference=item.reference, proposed_by=actor, note=note.strip())
    proposal._history_user = actor
    proposal.save()
    return proposal


def _lock_open(proposal: RetentionProposal) -> RetentionProposal:
    proposal = RetentionProposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_open:
        raise DomainError("This proposal has already been confirmed or withdrawn.")
    return proposal


@transaction.atomic
def retention_confirm(*, proposal: RetentionProposal, actor) -> RetentionAction:
    """Second step: a different business unit member confirms, and the case is anonymised."""
    _require_business_unit(actor)
    proposal = _lock_open(proposal)
    if proposal.proposed_by_id == actor.pk:
        raise DomainError("A different member of the business unit must confirm: you proposed this.")
    if _due(proposal.case_id, actor.partnership) is None:
        raise DomainError("This case is no longer due for anonymising (a legal hold may have been placed).")
    action = case_anonymise(case_id=proposal.case_id, actor=actor)
    proposal.confirmed_by, proposal.confirmed_at = actor, timezone.now()
    proposal._history_user = actor
    proposal.save()
    return action


@transaction.atomic
def retention_withdraw(*, proposal: RetentionProposal, actor) -> RetentionProposal:
    """Withdraw a proposal that should not go ahead; the case stays as it is."""
    _require_business_unit(actor)
    proposal = _lock_open(proposal)
    proposal.withdrawn_by, proposal.withdrawn_at = actor, timezone.now()
    proposal._history_user = actor
    proposal.save()
    return proposal
