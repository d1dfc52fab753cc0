"""Receiving a referral: the case reference, the case and its referral, the first clock and the e-mails."""

import datetime
import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from rapidreview.accounts.models import Partnership, Role
from rapidreview.accounts.selectors import users_with_role
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_start
from rapidreview.db import DomainError
from rapidreview.notifications.services import notify

from ..models import Case, HouseholdMember, ReferenceCounter, Referral, Source
from ..selectors import possible_duplicates
from ..timeline import case_record_event
from .cdop import cdop_discussion_referred


def reference_prefixes(partnership: Partnership) -> list[str]:
    """The prefixes a partnership's references may take, in order of preference: its short name in capitals
    (THSCP), else the same with its number (THSCP7) when another partnership took that first, else P and its number.
    At most 8 characters, so that a reference fits its 20."""
    own = re.sub(r"[^A-Z0-9]", "", partnership.short_name.upper()) or "SCP"
    number = str(partnership.pk)
    return [own[:8], f"{own[:8 - len(number)]}{number}", f"P{number}"[:10]]


def _counter(partnership: Partnership, year: int) -> ReferenceCounter:
    """``partnership``'s counter for ``year``, locked; made on first use with the first prefix no other
    partnership holds that year (the unique constraints decide, even between two processes)."""
    counter = ReferenceCounter.objects.select_for_update().filter(partnership=partnership, year=year).first()
    if counter is not None:
        return counter
    for prefix in reference_prefixes(partnership):
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(partnership=partnership, year=year, prefix=prefix)
        except IntegrityError:  # this prefix is taken this year, or another request made the counter first
            if ReferenceCounter.objects.filter(partnership=partnership, year=year).exists():
                break
            continue
        break
    return ReferenceCounter.objects.select_for_update().get(partnership=partnership, year=year)


def case_next_reference(partnership: Partnership, year: int) -> str:
    """The next reference of ``partnership`` for ``year``, e.g. THSCP-2026-0007: unique across the installation.
    Must run inside a transaction: the counter is locked."""
    counter = _counter(partnership, year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{counter.prefix}-{year}-{counter.last:04d}"


CASE_FIELDS = ("child_first_name", "child_last_name", "child_dob", "harm", "incident_date", "la_aware_on")


@transaction.atomic
def referral_submit(*, source: str, data: dict, partnership: Partnership, household: list[dict] = (), agencies=(),
                    actor=None, received_on: datetime.date | None = None, cdop_discussion=None) -> Case:
    """Receive a referral made to ``partnership``, which leads the new case: create the case and its referral, start
    the SIN-decision clock, tell the partnership's business unit and rapid review chair, and acknowledge a public
    referrer who gave an e-mail address.

    ``data`` holds the Case fields in ``CASE_FIELDS`` and any ``Referral`` fields. ``actor`` is the signed-in
    person who submitted it (None for a public referral). A CDOP/JAR referral meets the clock of its recorded
    ``cdop_discussion`` (whose forum and date it takes), or records the discussion now.
    """
    if source not in Source.values:
        raise DomainError("Choose who is making the referral.")
    if partnership is None or not partnership.is_active:
        raise DomainError("Choose the partnership the referral is for.")
    if not (data.get("child_first_name") or "").strip():
        raise DomainError("Enter the child's first name.")
    received_on = received_on or timezone.localdate()
    incident, aware = data.get("incident_date"), data.get("la_aware_on")
    if incident and incident > received_on:
        raise DomainError("The date of the incident must be today or in the past.")
    if incident and aware and aware < incident:
        raise DomainError("The date the local authority became aware must be on or after the incident.")
    if source == Source.CDOP_JAR and cdop_discussion is not None:
        if cdop_discussion.partnership_id != partnership.pk:
            raise DomainError("That CDOP or JAR discussion belongs to another partnership.")
        if not cdop_discussion.is_open:
            raise DomainError("That CDOP or JAR discussion has already been followed up.")
        data = {**data, "cdop_forum": cdop_discussion.forum, "cdop_discussed_on": cdop_discussion.discussed_on}
    if source == Source.CDOP_JAR and not data.get("cdop_discussed_on"):
        raise DomainError("Enter the date the case was discussed at the child death overview panel or joint "
                          "agency response meeting.")

    case_values = {f: data.get(f) for f in CASE_FIELDS}
    case_values = {k: (v if v is not None else "") if k in ("child_last_name", "harm") else v
                   for k, v in case_values.items()}
    case = Case(reference=case_next_reference(partnership, received_on.year), partnership=partnership,
                source=source, **case_values)
    case._history_user = actor
    case.save()
    if agencies:
        case.involved_agencies.set(agencies)

    referral_values = {f.name: data[f.name] for f in Referral._meta.concrete_fields
                       if f.name in data and f.name not in {"id", "case", "created_at", "updated_at"}}
    referral = Referral(case=case, received_on=received_on, submitted_by=actor, **referral_values)
    if source == Source.CDOP_JAR:
        allowed = partnership.cdop_referral_days
        referral.is_late = (received_on - referral.cdop_discussed_on).days > allowed
    duplicate = possible_duplicates(first_name=case.child_first_name, last_name=case.child_last_name,
                                    dob=case.child_dob, partnership=partnership, exclude=case)
    duplicate = duplicate.order_by("created_at").first()
    referral.possible_duplicate_of = duplicate
    referral.save()
    HouseholdMember.objects.bulk_create(
        [HouseholdMember(referral=referral, **{k: member.get(k) or "" for k in ("name", "relationship", "age",
                                                                                  "notes")})
         for member in household if member.get("name")])

    how = Source(source).label.lower()
    if referral.entered_on_behalf:
        summary = f"Referral received ({how}), entered by the business unit"
    else:
        summary = f"Referral received ({how})"
    case_record_event(case=case, kind="received", summary=summary, actor=actor,
                      note="Referred late: more than the allowed days after the discussion." if referral.is_late
                      else "")
    clock_start(kind=ClockKind.SIN_DECISION, subject=case, start=case.la_aware_on or received_on, case_id=case.pk,
                partnership=partnership)
    if source == Source.CDOP_JAR:
        cdop_discussion_referred(discussion=cdop_discussion, case=case, forum=referral.cdop_forum,
                                 discussed_on=referral.cdop_discussed_on, received_on=received_on, actor=actor)

    recipients = {u.pk: u for u in users_with_role(Role.BUSINESS_UNIT, partnership=partnership)}
    recipients.update({u.pk: u for u in users_with_role(Role.RR_CHAIR, partnership=partnership)})
    for user in recipients.values():
        notify(to=user, subject=f"New referral {case.reference}", template="referrals/email/referral_received",
               context={"case": case, "source": Source(source).label, "late": referral.is_late},
               kind="referrals.received", key=f"referral-received:{case.pk}:{user.pk}", related=case,
               partnership=partnership)
    if source == Source.PUBLIC and referral.referrer_email:
        notify(to=referral.referrer_email, subject=f"We have received your referral {case.reference}",
               template="referrals/email/public_acknowledgement", context={"reference": case.reference},
               kind="referrals.public_ack", key=f"referral-ack:{case.pk}", related=case, partnership=partnership)
    return case
