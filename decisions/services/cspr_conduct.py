"""How the partners oversee a practice review (SI 2018/789 regulation 14) and involve the family.

Regulation 14: the partners "must monitor the time being taken to conduct a review and the quality of the review at
regular intervals" (a checkpoint row each time, the next one due after the partnership's interval), and "may ...
request specified information or a draft report from the reviewer"; "such a request must be made in writing" (the
request is an e-mail to the reviewer through the outbox, and the row keeps what was asked, of whom, when and the
reply). Family contact, consent and the draft shared with the family are local good practice (no national text on
consent was found: docs/national-templates.md).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_meet, clock_start
from rapidreview.db import DomainError
from rapidreview.notifications.services import notify
from referrals.publication import publication_guard
from referrals.services import case_record_event

from ..models import Consent, Cspr, CsprCheckpoint, CsprInformationRequest, FamilyContact, RequestKind
from .cspr import _check_open, _lock, _not_future, checkpoint_clock_start


def _check_unpublished(cspr: Cspr, what: str) -> None:
    if cspr.published_on:
        raise DomainError(f"The review has been published, so {what} no longer applies.")


@transaction.atomic
def cspr_checkpoint_record(*, cspr: Cspr, actor, checked_on: datetime.date, on_time: bool, quality_adequate: bool,
                           notes: str) -> CsprCheckpoint:
    """Record one check of the review's time and quality; meets the due check and starts the next one."""
    cspr = _lock(cspr)
    _check_open(cspr)
    _check_unpublished(cspr, "monitoring its time and quality")
    _not_future(checked_on, "date of the check")
    if checked_on < cspr.started_on:
        raise DomainError(f"The check cannot be before the review started, on {cspr.started_on:%-d %B %Y}.")
    if (not on_time or not quality_adequate) and not notes.strip():
        raise DomainError("Say what is late or what falls short, and what the partners will do about it.")
    checkpoint = CsprCheckpoint(cspr=cspr, checked_on=checked_on, on_time=on_time, quality_adequate=quality_adequate,
                                notes=notes, recorded_by=actor)
    clock_meet(subject=cspr, kind=ClockKind.CSPR_CHECKPOINT)
    checkpoint.next_due_on = checkpoint_clock_start(cspr, after=checked_on).due_on
    checkpoint._history_user = actor
    checkpoint.save()
    verdict = ", ".join([("on time" if on_time else "late"),
                         ("quality adequate" if quality_adequate else "quality not adequate")])
    case_record_event(case=cspr.case, kind="cspr", actor=actor, note=notes,
                      summary=f"Practice review time and quality checked: {verdict}")
    return checkpoint


@transaction.atomic
def cspr_request_information(*, cspr: Cspr, actor, kind: str, detail: str, addressed_to: str,
                             addressed_to_email: str, due_on: datetime.date) -> CsprInformationRequest:
    """Ask the reviewer, in writing, for specified information or a draft report: the e-mail is the written
    request, and a clock waits for the reply."""
    cspr = _lock(cspr)
    _check_open(cspr)
    _check_unpublished(cspr, "a request to the reviewer")
    if kind not in RequestKind.values:
        raise DomainError("Choose whether you are asking for specified information or a draft report.")
    if not detail.strip():
        raise DomainError("Say exactly what you are asking the reviewer for.")
    today = timezone.localdate()
    if due_on <= today:
        raise DomainError("The reply date must be after today.")
    # The request leaves the partnership by e-mail: it may not name the child or their household.
    publication_guard({"detail": ("What is asked for", detail)}, may_override=False)
    request = CsprInformationRequest(cspr=cspr, kind=kind, detail=detail.strip(), addressed_to=addressed_to,
                                     addressed_to_email=addressed_to_email, requested_on=today, due_on=due_on,
                                     requested_by=actor)
    request._history_user = actor
    request.save()
    case = cspr.case
    notify(to=addressed_to_email, subject=f"Practice review {case.reference}: request for "
                                          f"{RequestKind(kind).label.lower()}",
           template="decisions/email/reviewer_request", kind="decisions.reviewer_request",
           context={"reference": case.reference, "request": request, "name": addressed_to,
                    "requester": actor.full_name},
           key=f"decisions.reviewer_request:{request.pk}", related=request, partnership=case.partnership)
    clock_start(kind=ClockKind.REVIEWER_REQUEST, subject=request, start=today, due=due_on, case_id=case.pk,
                partnership=case.partnership, label=f"Reviewer's reply: {RequestKind(kind).label.lower()}")
    case_record_event(case=case, kind="cspr", actor=actor,
                      summary=f"Written request to the reviewer for {RequestKind(kind).label.lower()}, "
                              f"reply by {due_on:%-d %B %Y}")
    return request


@transaction.atomic
def cspr_request_answered(*, request: CsprInformationRequest, actor, received_on: datetime.date,
                          notes: str) -> CsprInformationRequest:
    """The reviewer replied: record when and what; meets the request's clock."""
    cspr = _lock(request.cspr)
    _check_open(cspr)
    request = CsprInformationRequest.objects.select_for_update().get(pk=request.pk)
    if request.response_received_on:
        raise DomainError("The reply has already been recorded.")
    _not_future(received_on, "date of the reply")
    if received_on < request.requested_on:
        raise DomainError(f"The reply cannot come before the request, on {request.requested_on:%-d %B %Y}.")
    request.response_received_on = received_on
    request.response_notes = notes
    request._history_user = actor
    request.save()
    clock_meet(subject=request, kind=ClockKind.REVIEWER_REQUEST)
    case_record_event(case=cspr.case, kind="cspr", actor=actor,
                      summary="Reviewer's reply to a written request received")
    return request


@transaction.atomic
def family_contact_save(*, cspr: Cspr, actor, contact: FamilyContact | None = None, relationship: str,
                        contacted_on: datetime.date, consent: str, advocate_offered: bool,
                        notes: str) -> FamilyContact:
    """Record contact with a family member about the review, or update it (consent may later be withdrawn)."""
    cspr = _lock(cspr)
    _check_open(cspr)
    if consent not in Consent.values:
        raise DomainError("Choose where the family member's consent stands.")
    _not_future(contacted_on, "date of contact")
    contact = contact or FamilyContact(cspr=cspr, recorded_by=actor)
    if contact.cspr_id != cspr.pk:
        raise DomainError("That contact belongs to another review.")
    adding = contact._state.adding
    contact.relationship = relationship
    contact.contacted_on = contacted_on
    contact.consent = consent
    contact.advocate_offered = advocate_offered
    contact.notes = notes
    contact._history_user = actor
    contact.save()
    case_record_event(case=cspr.case, kind="cspr", actor=actor,
                      summary=f"Family contact {'recorded' if adding else 'updated'}: "
                              f"{Consent(consent).label.lower()}")
    return contact


@transaction.atomic
def cspr_record_family_draft(*, cspr: Cspr, actor, shared_on: datetime.date, response: str) -> Cspr:
    """The draft report was shared with the family before publication, and what they said."""
    cspr = _lock(cspr)
    _check_open(cspr)
    _check_unpublished(cspr, "sharing the draft before publication")
    _not_future(shared_on, "date the draft was shared")
    if shared_on < cspr.started_on:
        raise DomainError(f"The draft cannot be shared before the review started, on {cspr.started_on:%-d %B %Y}.")
    cspr.draft_shared_with_family_on = shared_on
    cspr.family_draft_response = response
    cspr._history_user = actor
    cspr.save()
    case_record_event(case=cspr.case, kind="cspr", actor=actor, summary="Draft report shared with the family")
    return cspr
