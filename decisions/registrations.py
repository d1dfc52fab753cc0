"""What the decisions stage adds to the shell: dashboard cards, the case-page section, task-list rows, figures."""

from django.urls import reverse

from rapidreview.accounts.models import Role
from referrals.models import Stage
from referrals.selectors import one_to_one

from .models import Cspr, NationalPanelResponse, NationalPanelSubmission, SheetStatus
from .selectors import (
    SHEET_READERS,
    disputes_awaiting_chair_meeting,
    escalations_open,
    is_executive_chair,
    sheets_awaiting_signature,
    sheets_for_business_unit,
    tally,
    vote_choices,
)

AFTER_MEETING = (Stage.DECISION, Stage.NATIONAL_PANEL, Stage.CSPR, Stage.CLOSED)


def awaiting_card(request):
    sheets = sheets_awaiting_signature(request.user)
    if not sheets:
        return None
    return {"count": len(sheets), "sheets": sheets[:5]}


def escalations_card(request):
    if not (request.user.has_role(Role.RR_CHAIR) or is_executive_chair(request.user)):
        return None
    escalations = list(escalations_open(request.user)[:10])
    return {"escalations": escalations} if escalations else None


def chair_disputes_card(request):
    """Disputes waiting for the meeting with the rapid review chair (process step 19)."""
    disputes = list(disputes_awaiting_chair_meeting(request.user)[:10])
    return {"disputes": disputes} if disputes else None


def business_unit_card(request):
    # The card shows each sheet's case reference and status, nothing of the sheet's text.
    sheets = list(sheets_for_business_unit(request.user).select_related(None).select_related("case")
                  .only("id", "status", "case_id", "case__id", "case__reference")[:10])
    return {"sheets": sheets} if sheets else None


def case_section(request, case):
    if case.stage not in (Stage.RAPID_REVIEW, *AFTER_MEETING):
        return None
    meeting = one_to_one(case, "meeting_record")
    sheet = one_to_one(case, "decision_sheet")
    if case.stage in (Stage.RAPID_REVIEW, Stage.CLOSED) and meeting is None:
        return None
    return {
        "case": case, "meeting": meeting, "tally": tally(meeting), "sheet": sheet,
        "can_read_sheet": request.user.has_role(*SHEET_READERS),
        "submission": one_to_one(case, "national_panel_submission"),
        "cspr": one_to_one(case, "cspr"),
        "alternative": one_to_one(case, "alternative_learning") if case.stage in AFTER_MEETING else None,
    }


def case_tasks(case):
    if case.stage not in (Stage.RAPID_REVIEW, *AFTER_MEETING):
        return []
    meeting = one_to_one(case, "meeting_record")
    sheet = one_to_one(case, "decision_sheet")
    submission = one_to_one(case, "national_panel_submission")
    cspr = one_to_one(case, "cspr")
    if case.stage == Stage.CLOSED and meeting is None:
        return []  # closed without a rapid review (threshold not met): nothing of this stage happened
    after = case.stage in AFTER_MEETING
    rows = [
        {"label": "Record the panel meeting", "url": reverse("decisions:meeting", args=[case.pk]),
         "status": "done" if meeting and meeting.chair_overview else ("in_progress" if meeting else "todo")},
        {"label": "Take the vote", "url": reverse("decisions:vote", args=[case.pk]),
         "status": "done" if meeting and meeting.vote_closed else (
             "in_progress" if vote_choices(meeting) else "todo")},
    ]
    sheet_status = "cannot_start"
    if sheet:
        sheet_status = "done" if sheet.status in (SheetStatus.SIGNED, SheetStatus.SENT) else "in_progress"
    elif after:
        sheet_status = "todo"
    rows.append({"label": "Draft the decision sheet", "url": reverse("decisions:sheet", args=[case.pk]) if after
                 else None, "status": "done" if sheet and sheet.status != SheetStatus.DRAFT else
                 ("in_progress" if sheet else sheet_status)})
    rows.append({"label": "Executive signatures", "url": reverse("decisions:sheet", args=[case.pk]) if sheet else None,
                 "status": sheet_status if sheet and sheet.status != SheetStatus.DRAFT else "cannot_start",
                 "hint": sheet.get_status_display() if sheet else ""})
    np_status = "cannot_start"
    if submission:
        np_status = "done" if submission.response_on else "in_progress"
    elif sheet and sheet.status == SheetStatus.SIGNED:
        np_status = "todo"
    rows.append({"label": "Send to the National Panel and record its response",
                 "url": reverse("decisions:sheet", args=[case.pk]) if sheet else None, "status": np_status})
    if cspr:
        rows.append({"label": "Child Safeguarding Practice Review", "url": reverse("decisions:cspr", args=[case.pk]),
                     "status": "done" if cspr.implementation_review_on else "in_progress",
                     "hint": cspr.status_label})
    if case.stage == Stage.CLOSED:
        return [row for row in rows if row["status"] == "done"]  # a closed case shows what happened
    return rows


def national_panel_agreed_figure(year: int, partnership=None):
    """Of the decisions the National Panel answered in ``year``, how many it agreed with: the cases ``partnership``
    leads (a case counts in its leading partnership's statistics), or every case when None."""
    answered = NationalPanelSubmission.objects.filter(response_on__year=year).exclude(response="")
    if partnership is not None:
        answered = answered.filter(case__partnership=partnership)
    total = answered.count()
    if not total:
        return None
    agreed = answered.filter(response=NationalPanelResponse.AGREE).count()
    return {"label": "Decisions the National Panel agreed with", "value": f"{agreed} of {total}",
            "note": f"{round(100 * agreed / total)}%"}


def cspr_published_figure(year: int, partnership=None):
    """Practice reviews published in ``year`` on the cases ``partnership`` leads (every case when None)."""
    published = Cspr.objects.filter(published_on__year=year)
    if partnership is not None:
        published = published.filter(case__partnership=partnership)
    return {"label": "Practice reviews published", "value": published.count()}
