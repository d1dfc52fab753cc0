"""Sending the signed decision to the National Panel, its response, and the no-review outcome."""

import datetime

from django.db import transaction
from django.utils import timezone

from actionplan.services import action_create
from panels.services.common import LONDON, long_date
from rapidreview.accounts.models import Agency, Role
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_correct_met, clock_meet
from rapidreview.db import DomainError
from rapidreview.workdays import add_working_days, working_days_between
from referrals.models import Case, Stage
from referrals.services import case_record_event, case_transition

from ..models import (
    REGULATION_3,
    AlternativeLearning,
    CriterionView,
    Cspr,
    DecisionSheet,
    NationalPanelResponse,
    NationalPanelSubmission,
    SheetStatus,
)
from .oversight import oversight_tell


def national_panel_deadline(case: Case) -> datetime.date | None:
    """The last working day for sending the decision (working day 15 by default): the leading partnership's
    duration, counted in its calendar."""
    if case.sin_notified_on is None:
        return None
    partnership = case.partnership
    return add_working_days(case.sin_notified_on, partnership.national_panel_working_days, partnership=partnership)


def _working_day(case: Case, sent_on: datetime.date) -> int:
    """Which working day after the notification, in the leading partnership's calendar, ``sent_on`` is."""
    if case.sin_notified_on is None:
        return 0
    return working_days_between(case.sin_notified_on, sent_on, partnership=case.partnership)


def is_late(case: Case, sent_on: datetime.date) -> bool:
    deadline = national_panel_deadline(case)
    return deadline is not None and sent_on > deadline


def _sent_at(sent_on: datetime.date) -> datetime.datetime:
    """The moment the clock reads as met for a decision sent on ``sent_on`` (midday, UK time)."""
    return datetime.datetime.combine(sent_on, datetime.time(12), tzinfo=LONDON)


def _check_sent_on(case: Case, sheet: DecisionSheet, sent_on: datetime.date) -> None:
    """The date sent lies between the signing of the decision sheet and today."""
    if sent_on > timezone.localdate():
        raise DomainError("The date sent must be today or in the past.")
    if case.sin_notified_on and sent_on < case.sin_notified_on:
        raise DomainError("The date sent cannot be before the Serious Incident Notification.")
    signed_on = timezone.localdate(sheet.signed_at) if sheet.signed_at else None
    if signed_on and sent_on < signed_on:
        raise DomainError(f"The date sent cannot be before the decision sheet was signed on {long_date(signed_on)}.")


def _check_sent_for(case: Case, sent_for) -> None:
    """The decision is sent for a member of the Executive of the partnership leading the case."""
    if sent_for is None:
        raise DomainError("Choose the Executive member on whose behalf the decision was sent.")
    if not sent_for.is_active or not sent_for.has_role_in(case.partnership, Role.EXECUTIVE):
        raise DomainError(f"{sent_for.full_name} is not a member of the Executive of {case.partnership.name}.")


@transaction.atomic
def national_panel_send(*, case: Case, actor, sent_on: datetime.date, sent_for=None,
                        late_reason: str = "") -> NationalPanelSubmission:
    """Record the date the signed decision went to the National Panel and the Executive member it was sent for.

    The date is between the signing of the sheet and today; after the deadline a reason is needed. The National
    Panel clock is met on the date sent, not on the day this is recorded.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=case.pk)
    if case.stage != Stage.DECISION:
        raise DomainError("The decision can only be sent to the National Panel from the decision stage.")
    sheet = DecisionSheet.objects.select_for_update().filter(case=case).first()
    if sheet is None or sheet.status != SheetStatus.SIGNED:
        raise DomainError("All three statutory partners must sign the decision sheet before it is sent.")
    _check_sent_on(case, sheet, sent_on)
    _check_sent_for(case, sent_for)
    late = is_late(case, sent_on)
    if late and not late_reason.strip():
        limit = case.partnership.national_panel_working_days
        raise DomainError(f"The decision is being sent after working day {limit}. Give the reason for the delay.")
    working_day = _working_day(case, sent_on)
    submission = NationalPanelSubmission(case=case, sent_on=sent_on, working_day=working_day,
                                         late_reason=late_reason if late else "", sent_by=actor, sent_for=sent_for)
    submission._history_user = actor
    submission.save()
    sheet.status = SheetStatus.SENT
    sheet._history_user = actor
    sheet.save()
    clock_meet(subject=case, kind=ClockKind.NATIONAL_PANEL, met_at=_sent_at(sent_on))
    case_transition(case=case, to_stage=Stage.NATIONAL_PANEL, allowed_from=(Stage.DECISION,), actor=actor,
                    summary=f"Decision sent to the National Panel on working day {working_day} for the Executive "
                            f"by {sent_for.full_name}",
                    note=late_reason if late else "")
    return submission


@transaction.atomic
def national_panel_correct_sent(*, case: Case, actor, sent_on: datetime.date, sent_for, reason: str,
                                late_reason: str = "") -> NationalPanelSubmission:
    """Correct the recorded date sent (and who it was sent for) after the case has moved on.

    The business unit corrects a mistake; the reason is kept in the submission's history and on the case timeline,
    and the National Panel clock reads the corrected date.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=case.pk)
    submission = NationalPanelSubmission.objects.select_for_update().filter(case=case).first()
    if submission is None:
        raise DomainError("The decision has not been sent to the National Panel, so there is nothing to correct.")
    reason = reason.strip()
    if not reason:
        raise DomainError("Give the reason for the correction.")
    sheet = DecisionSheet.objects.filter(case=case).first()
    _check_sent_on(case, sheet, sent_on)
    _check_sent_for(case, sent_for)
    if submission.response_on and sent_on > submission.response_on:
        raise DomainError(f"The date sent cannot be after the National Panel's response of "
                          f"{long_date(submission.response_on)}.")
    if sent_on == submission.sent_on and sent_for.pk == submission.sent_for_id:
        raise DomainError("Nothing has changed: enter the corrected date or Executive member.")
    late = is_late(case, sent_on)
    late_reason = late_reason.strip() or submission.late_reason
    if late and not late_reason:
        limit = case.partnership.national_panel_working_days
        raise DomainError(f"The corrected date is after working day {limit}. Give the reason for the delay.")
    was = submission.sent_on
    submission.sent_on = sent_on
    submission.sent_for = sent_for
    submission.working_day = _working_day(case, sent_on)
    submission.late_reason = late_reason if late else ""
    submission._history_user = actor
    submission._change_reason = reason
    submission.save()
    clock_correct_met(subject=case, kind=ClockKind.NATIONAL_PANEL, met_at=_sent_at(sent_on))
    summary = (f"Date sent to the National Panel corrected from {long_date(was)} to {long_date(sent_on)}"
               if was != sent_on else "Executive member the decision was sent for corrected")
    case_record_event(case=case, kind="national_panel", actor=actor, summary=summary,
                      note=f"Sent for the Executive by {sent_for.full_name}. Reason: {reason}")
    return submission


def _close_if_done(case: Case, actor) -> None:
    """With no practice review, the case closes once the alternative and the National Panel's answer are recorded."""
    if (case.stage == Stage.NATIONAL_PANEL and AlternativeLearning.objects.filter(case=case).exists()
            and NationalPanelSubmission.objects.filter(case=case, response_on__isnull=False).exists()):
        case_transition(case=case, to_stage=Stage.CLOSED, allowed_from=(Stage.NATIONAL_PANEL,), actor=actor,
                        summary="Closed: no practice review; learning and actions are in the action plan")


@transaction.atomic
def national_panel_record_response(*, case: Case, actor, response_on: datetime.date, response: str,
                                   text: str, criteria: dict | None = None) -> NationalPanelSubmission:
    """Record the National Panel's response to the decision and, per national review criterion (regulation 3),
    whether it agrees with the partners' answer: ``criteria`` maps "a".."c" to (view, comment)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=case.pk)
    if case.stage not in (Stage.NATIONAL_PANEL, Stage.CSPR):
        raise DomainError("The National Panel's response can only be recorded after the decision was sent to it.")
    submission = NationalPanelSubmission.objects.select_for_update().filter(case=case).first()
    if submission is None:
        raise DomainError("The decision has not been sent to the National Panel.")
    if submission.response_on:
        raise DomainError("The National Panel's response has already been recorded.")
    if response not in NationalPanelResponse.values:
        raise DomainError("Choose whether the National Panel agrees, disagrees or gives advice.")
    if response_on < submission.sent_on or response_on > timezone.localdate():
        raise DomainError("The date of the response must be between the date sent and today.")
    submission.response_on = response_on
    submission.response = response
    submission.response_text = text
    submission.response_recorded_by = actor
    for letter, (view, comment) in (criteria or {}).items():
        if letter not in REGULATION_3 or (view and view not in CriterionView.values):
            raise DomainError("Choose agrees, disagrees or not stated for each national review criterion.")
        setattr(submission, f"reg3_{letter}_view", view or CriterionView.NOT_STATED)
        setattr(submission, f"reg3_{letter}_comment", comment)
    submission._history_user = actor
    submission.save()
    label = NationalPanelResponse(response).label.lower()
    case_record_event(case=case, kind="national_panel", actor=actor, note=text,
                      summary=f"National Panel response recorded: {label}")
    oversight_tell(case=case, event="national_panel_response", related=submission, key=str(submission.pk),
                   detail=f"The National Panel's response, dated {response_on:%-d %B %Y}: "
                          f"{NationalPanelResponse(response).label}.")
    _close_if_done(case, actor)
    return submission


@transaction.atomic
def no_cspr_record(*, case: Case, actor, kind: str, detail: str, learning: str,
                   actions: list[dict] = ()) -> AlternativeLearning:
    """No practice review: record what happens instead and put the learning and actions in the action plan.

    ``actions`` holds dicts with ``description``, ``agency`` and ``due_on``.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=case.pk)
    if case.stage != Stage.NATIONAL_PANEL:
        raise DomainError("The outcome can be recorded once the decision has been sent to the National Panel.")
    if Cspr.objects.filter(case=case).exists():
        raise DomainError("A practice review has been commissioned for this case.")
    if AlternativeLearning.objects.filter(case=case).exists():
        raise DomainError("What happens instead has already been recorded.")
    alternative = AlternativeLearning(case=case, kind=kind, detail=detail, learning=learning, recorded_by=actor)
    alternative._history_user = actor
    alternative.save()
    for action in actions:
        agency = action["agency"] if isinstance(action["agency"], Agency) else Agency.objects.get(pk=action["agency"])
        action_create(case=case, source="rapid_review", learning=learning, description=action["description"],
                      agency=agency, owner=None, due_on=action["due_on"], actor=actor)
    case_record_event(case=case, kind="no_cspr", actor=actor, note=detail,
                      summary=f"No practice review: {alternative.get_kind_display().lower()}")
    _close_if_done(case, actor)
    return alternative
