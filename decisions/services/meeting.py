"""The panel meeting record and the vote."""

import datetime

from django.db import transaction
from django.utils import timezone

from actionplan.services import action_create
from panels.models import Attendance
from panels.selectors import panel_for_case, quorum_status, voting_seat
from rapidreview.accounts.models import Agency, Role
from rapidreview.db import DomainError
from referrals.models import Case, Stage
from referrals.services import case_record_event, case_transition
from themes.services import case_log_themes

from ..models import AgencyPresentation, ImmediateAction, MeetingRecord, SheetStatus, Vote, VoteChoice, YesNo
from ..models.criteria import REG3_FIELDS, REG11_FIELDS

MEETING_STAGES = (Stage.RAPID_REVIEW, Stage.DECISION)
CRITERIA_FIELDS = frozenset(REG11_FIELDS + REG3_FIELDS)


def _meeting_for_update(case: Case) -> MeetingRecord:
    meeting, _ = MeetingRecord.objects.get_or_create(case=case)
    return MeetingRecord.objects.select_for_update().get(pk=meeting.pk)


def _check_meeting_editable(case: Case) -> None:
    if case.stage not in MEETING_STAGES:
        raise DomainError("The meeting record can only be changed while the case is at rapid review or decision.")
    sheet = getattr(case, "decision_sheet", None)
    if sheet is not None and sheet.status != SheetStatus.DRAFT:
        raise DomainError("The decision sheet has gone for signature, so the meeting record can no longer change.")


@transaction.atomic
def meeting_save(*, case: Case, actor, meeting_date: datetime.date | None, chair_overview: str, themes,
                 areas_for_learning: str, cspr_criteria_met: str, cspr_criteria_reasons: str, national_issues: str,
                 national_issues_detail: str, presentations: dict | None = None,
                 criteria: dict | None = None) -> MeetingRecord:
    """Save what the panel discussed; log its themes in the rapid review themes log.

    ``criteria``: the panel's answer ("yes", "no" or "") and reasons on each criterion of regulation 11 and
    regulation 3 (``reg11_a``, ``reg11_a_reason``, ... ``reg3_c_reason``); the decision sheet starts from them.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_meeting_editable(case)
    meeting = _meeting_for_update(case)
    meeting.meeting_date = meeting_date
    meeting.chair_overview = chair_overview
    meeting.areas_for_learning = areas_for_learning
    meeting.cspr_criteria_met = cspr_criteria_met
    meeting.cspr_criteria_reasons = cspr_criteria_reasons
    meeting.national_issues = national_issues
    meeting.national_issues_detail = national_issues_detail
    for name, value in (criteria or {}).items():
        if name not in CRITERIA_FIELDS:
            raise DomainError(f"Unknown criterion: {name}.")
        if not name.endswith("_reason") and value not in ("", *YesNo.values):
            raise DomainError("Answer each criterion yes or no.")
        setattr(meeting, name, value)
    meeting.recorded_by = actor
    meeting._history_user = actor
    meeting.save()
    themes = list(themes)
    meeting.themes.set(themes)
    case_log_themes(case=case, themes=themes, log="rapid_review", actor=actor, source="Rapid review panel meeting")
    for agency_id, notes in (presentations or {}).items():
        presentation, _ = AgencyPresentation.objects.get_or_create(meeting=meeting, agency_id=agency_id)
        if presentation.notes != notes:
            presentation.notes = notes
            presentation._history_user = actor
            presentation.save()
    return meeting


@transaction.atomic
def immediate_action_add(*, case: Case, actor, description: str, agency: Agency, due_on: datetime.date,
                         learning: str = "") -> ImmediateAction:
    """Record an immediate action agreed at the meeting and put it straight into the action plan."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_meeting_editable(case)
    meeting = _meeting_for_update(case)
    item = ImmediateAction(meeting=meeting, description=description, learning=learning, agency=agency,
                           due_on=due_on, created_by=actor)
    action = action_create(case=case, source="rapid_review", learning=learning or meeting.areas_for_learning,
                           description=description, agency=agency, owner=None, due_on=due_on, actor=actor)
    item.action = action
    item._history_user = actor
    item.save()
    case_record_event(case=case, kind="immediate_action", actor=actor,
                      summary=f"Immediate action for {agency} added to the action plan")
    return item


def _quorate_panel(case: Case):
    panel = panel_for_case(case)
    if panel is None:
        raise DomainError("The case has no rapid review panel, so no vote can be taken.")
    status = quorum_status(panel)
    if not status.met:
        raise DomainError("The panel is not quorate, so the vote cannot be taken. No voting member is present for: "
                          + ", ".join(status.missing) + ".")
    return panel


@transaction.atomic
def vote_record(*, case: Case, member, choice: str, actor) -> Vote:
    """Record the vote of ``member``'s seat on recommending a practice review.

    The member records it themselves only if they were present; the business unit may record any seat's vote on the
    member's behalf. A seat represented by a substitute is the substitute's vote: an agreed substitute seated for a
    conflicted member votes from their own login, and the vote reads "substitute for member".
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.stage != Stage.RAPID_REVIEW:
        raise DomainError("Votes can only be recorded while the case is at rapid review.")
    if choice not in VoteChoice.values:
        raise DomainError("Choose yes, no or abstain.")
    if actor.pk != member.pk and not actor.has_role(Role.BUSINESS_UNIT):
        raise DomainError("Only the business unit can record a vote on someone else's behalf.")
    meeting = _meeting_for_update(case)
    if meeting.vote_closed:
        raise DomainError("The vote has closed.")
    _quorate_panel(case)
    seat = voting_seat(member, case)
    if seat is None:
        raise DomainError(f"{member.full_name} cannot vote on this case: only voting members present at the "
                          "meeting without a conflict of interest can vote.")
    represented = seat.attendance == Attendance.SUBSTITUTE
    if represented and actor.pk == member.pk:
        raise DomainError(f"You were represented by a substitute ({seat.substitute_name}) at the meeting, so the vote "
                          "of your seat is theirs. The business unit records it.")
    vote, _ = Vote.objects.update_or_create(meeting=meeting, member=member, defaults={
        "choice": choice, "recorded_by": actor, "for_member": seat.substitute_for,
        "substitute_name": seat.substitute_name if represented else ""})
    if vote.for_member_id or vote.substitute_name:
        case_record_event(case=case, kind="vote", actor=actor, summary=f"Vote recorded: {vote.voter}")
    return vote


def tally(meeting: MeetingRecord) -> dict:
    counts = {c: 0 for c in VoteChoice.values}
    for choice in meeting.votes.values_list("choice", flat=True):
        counts[choice] += 1
    return counts


@transaction.atomic
def vote_close(*, case: Case, actor) -> MeetingRecord:
    """Close the vote and move the case on to the decision sheet."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.stage != Stage.RAPID_REVIEW:
        raise DomainError("The vote can only be closed while the case is at rapid review.")
    meeting = _meeting_for_update(case)
    if meeting.vote_closed:
        raise DomainError("The vote has already closed.")
    _quorate_panel(case)
    if not meeting.votes.exists():
        raise DomainError("No votes have been recorded yet.")
    meeting.vote_closed_at = timezone.now()
    meeting.vote_closed_by = actor
    meeting._history_user = actor
    meeting.save(update_fields=["vote_closed_at", "vote_closed_by", "updated_at"])
    counts = tally(meeting)
    note = f"Yes {counts['yes']}, no {counts['no']}, abstain {counts['abstain']}"
    case_transition(case=case, to_stage=Stage.DECISION, allowed_from=(Stage.RAPID_REVIEW,), actor=actor,
                    summary="Panel vote closed; decision sheet to be drafted", note=note)
    return meeting
