"""Tracking a Child Safeguarding Practice Review from commission to the one-year implementation review."""

import datetime

from django.db import transaction
from django.utils import timezone

from agencychecks.models import AgencyCheckForm
from panels.services import conflict_require_substitutes
from rapidreview.accounts.models import Agency
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_cancel, clock_meet, clock_start
from rapidreview.db import DomainError
from rapidreview.workdays import add_working_days
from referrals.models import Case, Stage
from referrals.publication import publication_guard
from referrals.services import case_record_event, case_transition

from ..models import (
    AlternativeLearning,
    Cspr,
    CsprMilestone,
    CsprParticipation,
    MilestoneKind,
    NationalPanelSubmission,
    ParallelProcess,
    ParticipationStatus,
)
from .oversight import oversight_tell


def _lock(cspr: Cspr) -> Cspr:
    return Cspr.objects.select_for_update(of=("self",)).select_related("case__partnership").get(pk=cspr.pk)


def _check_open(cspr: Cspr) -> None:
    if cspr.case.stage != Stage.CSPR:
        raise DomainError("The practice review can only be updated while the case is at the practice review stage.")


def _not_future(day: datetime.date, what: str) -> None:
    if day > timezone.localdate():
        raise DomainError(f"The {what} must be today or in the past.")


def _pre_publication_days(cspr: Cspr) -> int:
    return cspr.case.partnership.pre_publication_working_days


def _add_working_days(cspr: Cspr, start: datetime.date, days: int) -> datetime.date:
    """Working days in the calendar of the partnership leading the review's case."""
    return add_working_days(start, days, partnership=cspr.case.partnership)


def _check_planned_publication(cspr: Cspr, planned: datetime.date) -> None:
    """The report goes to the National Panel and the Secretary of State 7 working days before publication
    (Working Together 2023, chapter 5): a planned date must leave that time, counted from today or from the day the
    report was sent."""
    days = _pre_publication_days(cspr)
    if cspr.report_sent_on:
        earliest = _add_working_days(cspr, cspr.report_sent_on, days)
        if planned < earliest:
            raise DomainError(f"The report was sent to the National Panel on {cspr.report_sent_on:%-d %B %Y}, so it "
                              f"can be published {days} working days later at the earliest: {earliest:%-d %B %Y}.")
        return
    earliest = _add_working_days(cspr, timezone.localdate(), days)
    if planned < earliest:
        raise DomainError(f"The planned publication date must be at least {days} working days from today, to leave "
                          f"time to send the report to the National Panel and the Secretary of State first. "
                          f"The earliest date is {earliest:%-d %B %Y}.")


def _check_publication_date(cspr: Cspr, published_on: datetime.date) -> None:
    """Publication may not come sooner than 7 working days after the report was sent."""
    days = _pre_publication_days(cspr)
    earliest = _add_working_days(cspr, cspr.report_sent_on, days)
    if published_on < earliest:
        raise DomainError(f"The report was sent to the National Panel and the Secretary of State on "
                          f"{cspr.report_sent_on:%-d %B %Y}. It can be published {days} working days after that, "
                          f"on {earliest:%-d %B %Y} at the earliest.")


def involved_agencies(case: Case):
    """Every agency involved in the case: the referral's list and every agency with a check form."""
    ids = set(case.involved_agencies.values_list("pk", flat=True))
    ids |= set(AgencyCheckForm.objects.filter(case=case).values_list("agency_id", flat=True))
    return Agency.objects.filter(pk__in=ids)


@transaction.atomic
def cspr_commission(*, case: Case, actor, methodology: str, methodology_detail: str, reviewers: str,
                    terms_of_reference: str, started_on: datetime.date) -> Cspr:
    """Commission a practice review: start its report clock, invite every involved agency, ask for substitutes."""
    case = Case.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=case.pk)
    if case.stage != Stage.NATIONAL_PANEL:
        raise DomainError("A practice review can be commissioned once the decision has gone to the National Panel.")
    if not NationalPanelSubmission.objects.filter(case=case).exists():
        raise DomainError("The decision has not been sent to the National Panel.")
    if AlternativeLearning.objects.filter(case=case).exists():
        raise DomainError("No practice review was decided for this case.")
    cspr = Cspr(case=case, methodology=methodology, methodology_detail=methodology_detail, reviewers=reviewers,
                terms_of_reference=terms_of_reference, started_on=started_on, commissioned_by=actor)
    cspr._history_user = actor
    cspr.save()
    clock = clock_start(kind=ClockKind.CSPR_REPORT, subject=cspr, start=started_on, case_id=case.pk,
                        partnership=case.partnership, label="Practice review final report")
    cspr.final_report_due_on = clock.due_on
    cspr.save(update_fields=["final_report_due_on", "updated_at"])
    for agency in involved_agencies(case):
        CsprParticipation.objects.create(cspr=cspr, agency=agency)
    for kind in MilestoneKind.values:
        CsprMilestone.objects.create(cspr=cspr, kind=kind)
    checkpoint_clock_start(cspr, after=started_on)
    # Members with a conflict on the case need an agreed substitute once a practice review is commissioned.
    conflict_require_substitutes(case=case, actor=actor)
    case_transition(case=case, to_stage=Stage.CSPR, allowed_from=(Stage.NATIONAL_PANEL,), actor=actor,
                    summary="Child Safeguarding Practice Review commissioned",
                    note=f"Final report due {clock.due_on:%-d %B %Y}")
    oversight_tell(case=case, event="cspr_commissioned", related=cspr, key=str(cspr.pk),
                   detail=f"A Child Safeguarding Practice Review was commissioned, starting {started_on:%-d %B %Y} "
                          f"({cspr.get_methodology_display()}). The final report is due by "
                          f"{clock.due_on:%-d %B %Y}.")
    return cspr


@transaction.atomic
def cspr_update(*, cspr: Cspr, actor, methodology: str, methodology_detail: str, reviewers: str,
                terms_of_reference: str, planned_publication_on: datetime.date | None) -> Cspr:
    """Change the review's details. A planned publication date sets the pre-publication clock."""
    cspr = _lock(cspr)
    _check_open(cspr)
    if cspr.published_on:
        raise DomainError("The review has been published; its details can no longer change.")
    old_planned = cspr.planned_publication_on
    if planned_publication_on and planned_publication_on != old_planned:
        _check_planned_publication(cspr, planned_publication_on)
    cspr.methodology = methodology
    cspr.methodology_detail = methodology_detail
    cspr.reviewers = reviewers
    cspr.terms_of_reference = terms_of_reference
    cspr.planned_publication_on = planned_publication_on
    cspr._history_user = actor
    cspr.save()
    if planned_publication_on != old_planned and not cspr.report_sent_on:
        clock_cancel(subject=cspr, kind=ClockKind.PRE_PUBLICATION)
        if planned_publication_on:
            clock_start(kind=ClockKind.PRE_PUBLICATION, subject=cspr, start=timezone.localdate(),
                        due=_add_working_days(cspr, planned_publication_on, -_pre_publication_days(cspr)),
                        case_id=cspr.case_id, partnership=cspr.case.partnership,
                        label="Report to the National Panel and the Secretary of State")
    return cspr


def checkpoint_clock_start(cspr: Cspr, *, after: datetime.date):
    """Start the clock of the next time and quality check, the partnership's interval after ``after``."""
    weeks = cspr.case.partnership.cspr_checkpoint_weeks
    return clock_start(kind=ClockKind.CSPR_CHECKPOINT, subject=cspr, start=after,
                       due=after + datetime.timedelta(weeks=weeks), case_id=cspr.case_id,
                       partnership=cspr.case.partnership, label="Practice review time and quality check")


@transaction.atomic
def milestone_add(*, cspr: Cspr, actor, kind: str, planned_on: datetime.date | None, notes: str = "",
                  attendees: int | None = None) -> CsprMilestone:
    cspr = _lock(cspr)
    _check_open(cspr)
    milestone = CsprMilestone(cspr=cspr, kind=kind, planned_on=planned_on, notes=notes, attendees=attendees)
    milestone._history_user = actor
    milestone.save()
    return milestone


@transaction.atomic
def milestone_complete(*, milestone: CsprMilestone, actor, planned_on: datetime.date | None,
                       completed_on: datetime.date | None, notes: str,
                       attendees: int | None = None) -> CsprMilestone:
    """Update a milestone; completing the final report meets the 6-month clock."""
    cspr = _lock(milestone.cspr)
    _check_open(cspr)
    milestone = CsprMilestone.objects.select_for_update().get(pk=milestone.pk)
    if completed_on:
        _not_future(completed_on, "date it was done")
    milestone.planned_on = planned_on
    milestone.completed_on = completed_on
    milestone.notes = notes
    milestone.attendees = attendees
    milestone._history_user = actor
    milestone.save()
    if milestone.kind == MilestoneKind.FINAL_REPORT and completed_on:
        clock_meet(subject=cspr, kind=ClockKind.CSPR_REPORT)
        case_record_event(case=cspr.case, kind="cspr", actor=actor, summary="Practice review final report completed")
    return milestone


@transaction.atomic
def participation_update(*, participation: CsprParticipation, actor, status: str, notes: str) -> CsprParticipation:
    cspr = _lock(participation.cspr)
    _check_open(cspr)
    if status not in ParticipationStatus.values:
        raise DomainError("Choose the agency's participation status.")
    participation = CsprParticipation.objects.select_for_update().get(pk=participation.pk)
    participation.status = status
    participation.notes = notes
    participation._history_user = actor
    participation.save()
    return participation


@transaction.atomic
def parallel_process_save(*, cspr: Cspr, actor, process: ParallelProcess | None = None, kind: str,
                          description: str, status: str, may_delay_publication: bool, notes: str) -> ParallelProcess:
    cspr = _lock(cspr)
    _check_open(cspr)
    process = process or ParallelProcess(cspr=cspr)
    if process.cspr_id != cspr.pk:
        raise DomainError("That process belongs to another review.")
    process.kind = kind
    process.description = description
    process.status = status
    process.may_delay_publication = may_delay_publication
    process.notes = notes
    process._history_user = actor
    process.save()
    return process


@transaction.atomic
def cspr_report_sent(*, cspr: Cspr, actor, sent_on: datetime.date) -> Cspr:
    """The final report went to the National Panel and the Secretary of State; meets the pre-publication clock."""
    cspr = _lock(cspr)
    _check_open(cspr)
    if not cspr.planned_publication_on:
        raise DomainError("Set the planned publication date first.")
    if cspr.report_sent_on:
        raise DomainError("The report has already been sent.")
    _not_future(sent_on, "date sent")
    cspr.report_sent_on = sent_on
    cspr._history_user = actor
    cspr.save()
    clock_meet(subject=cspr, kind=ClockKind.PRE_PUBLICATION)
    case_record_event(case=cspr.case, kind="cspr", actor=actor,
                      summary="Practice review report sent to the National Panel and the Secretary of State")
    return cspr


def _check_published_details(pseudonym: str, published_url: str) -> None:
    """A pseudonym and a published address never name a child or their household: no override for these."""
    if not pseudonym.strip():
        raise DomainError("Enter the pseudonym used in the published report, for example “Child Q”.")
    publication_guard({"pseudonym": ("The pseudonym", pseudonym),
                       "published_url": ("The link to the published report",
                                         published_url.replace("-", " ").replace("_", " ").replace("/", " "))},
                      may_override=False)


@transaction.atomic
def cspr_publish(*, cspr: Cspr, actor, published_on: datetime.date, pseudonym: str, published_url: str) -> Cspr:
    """Record publication under a pseudonym; starts the one-year implementation review clock."""
    cspr = _lock(cspr)
    _check_open(cspr)
    if not cspr.report_sent_on:
        raise DomainError("Record the date the report was sent to the National Panel and the Secretary of State "
                          "before publication.")
    if cspr.published_on:
        raise DomainError("The review has already been published.")
    _not_future(published_on, "publication date")
    _check_publication_date(cspr, published_on)
    _check_published_details(pseudonym, published_url)
    cspr.published_on = published_on
    cspr.published_url = published_url
    cspr._history_user = actor
    case = Case.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=cspr.case_id)
    case.pseudonym = pseudonym.strip()
    case._history_user = actor
    case.save(update_fields=["pseudonym", "updated_at"])
    clock = clock_start(kind=ClockKind.IMPLEMENTATION_REVIEW, subject=cspr, start=published_on, case_id=case.pk,
                        partnership=case.partnership, label="One-year implementation review workshop")
    cspr.implementation_review_due_on = clock.due_on
    cspr.save()
    clock_meet(subject=cspr, kind=ClockKind.CSPR_REPORT)
    # The review is finished: its time and quality are no longer monitored.
    clock_cancel(subject=cspr, kind=ClockKind.CSPR_CHECKPOINT)
    case_record_event(case=case, kind="cspr", actor=actor, summary=f"Practice review published as “{case.pseudonym}”")
    oversight_tell(case=case, event="cspr_published", related=cspr, key=str(cspr.pk),
                   detail=f"The practice review was published on {published_on:%-d %B %Y} as “{case.pseudonym}”.")
    return cspr


@transaction.atomic
def cspr_record_workshop(*, cspr: Cspr, actor, held_on: datetime.date, notes: str) -> Cspr:
    """The learning workshop held with all partners at publication."""
    cspr = _lock(cspr)
    _check_open(cspr)
    if not cspr.published_on:
        raise DomainError("The learning workshop is held at publication; record the publication first.")
    _not_future(held_on, "date of the workshop")
    cspr.learning_workshop_on = held_on
    cspr.learning_workshop_notes = notes
    cspr._history_user = actor
    cspr.save()
    case_record_event(case=cspr.case, kind="cspr", actor=actor, summary="Practice review learning workshop held")
    return cspr


@transaction.atomic
def cspr_record_implementation_review(*, cspr: Cspr, actor, held_on: datetime.date, notes: str) -> Cspr:
    """The one-year implementation review workshop: meets its clock and closes the case."""
    cspr = _lock(cspr)
    _check_open(cspr)
    if not cspr.published_on:
        raise DomainError("The implementation review follows publication; record the publication first.")
    _not_future(held_on, "date of the review")
    if held_on <= cspr.published_on:
        raise DomainError(f"The implementation review looks back on the learning after publication: it must be after "
                          f"the publication date, {cspr.published_on:%-d %B %Y}.")
    cspr.implementation_review_on = held_on
    cspr.implementation_review_notes = notes
    cspr._history_user = actor
    cspr.save()
    clock_meet(subject=cspr, kind=ClockKind.IMPLEMENTATION_REVIEW)
    case_transition(case=cspr.case, to_stage=Stage.CLOSED, allowed_from=(Stage.CSPR,), actor=actor,
                    summary="Closed: one-year implementation review of the practice review held", note=notes)
    return cspr


@transaction.atomic
def cspr_correct_publication(*, cspr: Cspr, actor, pseudonym: str, published_url: str, reason: str) -> Cspr:
    """Correct a published review's pseudonym or link, at any stage after publication, keeping the reason."""
    cspr = _lock(cspr)
    if not cspr.published_on:
        raise DomainError("Record the publication first.")
    if not reason.strip():
        raise DomainError("Say why the publication details are being corrected.")
    _check_published_details(pseudonym, published_url)
    case = Case.objects.select_for_update().get(pk=cspr.case_id)
    before = f"“{case.pseudonym}”" + (f" at {cspr.published_url}" if cspr.published_url else "")
    case.pseudonym = pseudonym.strip()
    case._history_user = actor
    case._change_reason = reason.strip()[:100]
    case.save(update_fields=["pseudonym", "updated_at"])
    cspr.published_url = published_url
    cspr._history_user = actor
    cspr._change_reason = reason.strip()[:100]
    cspr.save(update_fields=["published_url", "updated_at"])
    case_record_event(case=case, kind="cspr", actor=actor, note=reason.strip(),
                      summary=f"Publication details corrected: was {before}, now “{case.pseudonym}”")
    return cspr
