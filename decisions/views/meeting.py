"""The meeting record and the vote."""

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from panels.models import Attendance
from panels.selectors import (
    can_vote,
    invited_agencies,
    panel_for_case,
    quorum_status,
    voting_members_present,
    voting_seats,
)
from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role, User
from rapidreview.formviews import handle_action, handle_form

from ..forms import ImmediateActionForm, MeetingRecordForm, VoteForm
from ..models.criteria import REG3_FIELDS, REG11_FIELDS
from ..selectors import acts_for_lead, has_practice_review, meeting_for, meeting_themes, tally, votes_for
from ..services import immediate_action_add, meeting_save, vote_close, vote_record
from ..services.meeting import MEETING_STAGES
from .common import form_page, led_case, visible_case

MEETING_ROLES = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.PANEL_MEMBER, Role.EXECUTIVE)
WRITERS = (Role.BUSINESS_UNIT, Role.RR_CHAIR)


def _agencies(case):
    return list(invited_agencies(case).order_by("name"))


@role_required(*MEETING_ROLES)
@require_http_methods(["GET"])
def meeting_detail(request, case_id):
    case = visible_case(request, case_id)
    meeting = meeting_for(case)
    return render(request, "decisions/meeting.html", {
        "case": case, "meeting": meeting, "votes": votes_for(meeting), "tally": tally(meeting),
        "can_edit": (request.user.has_role(*WRITERS) and case.stage in MEETING_STAGES
                     and acts_for_lead(request.user, case)),
        "has_cspr": has_practice_review(case),
    })


@role_required(*WRITERS)
@require_http_methods(["GET", "POST"])
def meeting_edit(request, case_id):
    case = led_case(request, case_id)
    meeting = meeting_for(case)
    agencies = _agencies(case)
    initial = {}
    if meeting:
        initial = {f: getattr(meeting, f) for f in ("meeting_date", "chair_overview", "areas_for_learning",
                                                    "cspr_criteria_met", "cspr_criteria_reasons",
                                                    "national_issues", "national_issues_detail",
                                                    *REG11_FIELDS, *REG3_FIELDS)}
        initial["themes"] = list(meeting.themes.all())
        initial.update({f"presentation_{p.agency_id}": p.notes for p in meeting.presentations.all()})
    if not initial.get("meeting_date"):
        panel = panel_for_case(case)
        initial["meeting_date"] = panel.meeting_date if panel else None
    form = MeetingRecordForm(request.POST or None, initial=initial, agencies=agencies, themes=meeting_themes(case))
    meeting_url = reverse("decisions:meeting", args=[case.pk])
    if saved := handle_form(
            request, form,
            save=lambda data: meeting_save(
                case=case, actor=request.user, meeting_date=data["meeting_date"],
                chair_overview=data["chair_overview"], themes=data["themes"],
                areas_for_learning=data["areas_for_learning"], cspr_criteria_met=data["cspr_criteria_met"],
                cspr_criteria_reasons=data["cspr_criteria_reasons"], national_issues=data["national_issues"],
                national_issues_detail=data["national_issues_detail"], presentations=form.presentations(),
                criteria=form.criteria()),
            success="Meeting record saved.", next_url=meeting_url):
        return saved
    return form_page(request, form=form, case=case, title="Panel meeting record", back_url=meeting_url)


@role_required(*WRITERS)
@require_http_methods(["GET", "POST"])
def immediate_action_new(request, case_id):
    case = led_case(request, case_id)
    form = ImmediateActionForm(request.POST or None)
    meeting_url = reverse("decisions:meeting", args=[case.pk])
    if saved := handle_form(request, form,
                            save=lambda data: immediate_action_add(case=case, actor=request.user, **data),
                            success="Immediate action added to the statutory review action plan.",
                            next_url=meeting_url):
        return saved
    return form_page(request, form=form, case=case, title="Add an immediate action",
                     intro="The action goes straight into the statutory review action plan.", back_url=meeting_url)


def _vote_context(request, case):
    panel = panel_for_case(case)
    quorum = quorum_status(panel) if panel else None
    meeting = meeting_for(case)
    votes = votes_for(meeting)
    open_ = case.stage == "rapid_review" and not (meeting and meeting.vote_closed)
    # Only the partnership leading the case votes and closes the vote; one taking part reads the page.
    acts = acts_for_lead(request.user, case)
    own = acts and can_vote(request.user, case) and open_ and quorum and quorum.met
    behalf = (acts and request.user.has_role(Role.BUSINESS_UNIT) and open_ and quorum and quorum.met
              and panel is not None)
    present = voting_members_present(panel).order_by("full_name") if panel else User.objects.none()
    seats = voting_seats(panel) if panel else {}
    labels = {uid: seat.name_in_record + (f" (represented by {seat.substitute_name})"
                                          if seat.attendance == Attendance.SUBSTITUTE else "")
              for uid, seat in seats.items()}
    own_seat = seats.get(request.user.pk)
    by_member = {v.member_id: v for v in votes}
    # One row per voting seat present, voted or not, then any vote whose seat is no longer counted.
    rows = [{"voter": labels[uid], "vote": by_member.get(uid)}
            for uid in sorted(seats, key=lambda uid: labels[uid])]
    rows += [{"voter": v.voter, "vote": v} for v in votes if v.member_id not in seats]
    may_close = acts and request.user.has_role(*WRITERS) and open_
    cannot_close_because = _why_not_closable(panel, quorum, votes) if may_close else ""
    return {"case": case, "has_cspr": has_practice_review(case),
            "panel": panel, "quorum": quorum, "meeting": meeting, "votes": votes,
            "tally": tally(meeting), "present": present, "is_open": open_,
            "own_vote": next((v for v in votes if v.member_id == request.user.pk), None),
            "own_form": VoteForm(prefix="own") if own else None,
            "behalf_form": VoteForm(prefix="behalf", members=present, labels=labels) if behalf else None,
            "labels": labels, "own_seat": own_seat, "rows": rows,
            "represented": own_seat is not None and own_seat.attendance == Attendance.SUBSTITUTE,
            "can_close": may_close and not cannot_close_because, "cannot_close_because": cannot_close_because}


def _why_not_closable(panel, quorum, votes) -> str:
    """Why an open vote cannot be closed yet (the same checks as ``vote_close``), or "" when it can."""
    if panel is None:
        return "The vote can be closed once a panel is set up for this case and meets quorum."
    if not quorum.met:
        return "The vote can be closed once the panel is quorate."
    if not votes:
        return "The vote can be closed once at least one vote is recorded."
    return ""


@role_required(Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.PANEL_MEMBER)
@require_http_methods(["GET", "POST"])
def vote(request, case_id):
    case = led_case(request, case_id) if request.method == "POST" else visible_case(request, case_id)
    context = _vote_context(request, case)
    if request.method == "POST":
        behalf = "behalf-choice" in request.POST or "behalf-member" in request.POST
        if behalf and context["behalf_form"] is not None:
            form = VoteForm(request.POST, prefix="behalf", members=context["present"], labels=context["labels"])
            key = "behalf_form"
        elif not behalf and context["own_form"] is not None:
            form = VoteForm(request.POST, prefix="own")
            key = "own_form"
        else:
            messages.error(request, "You cannot record this vote: only voting members present at a quorate meeting "
                                    "without a conflict of interest can vote, and only while the vote is open.")
            return render(request, "decisions/vote.html", context, status=400)
        if saved := handle_form(
                request, form,
                save=lambda data: vote_record(case=case, member=data.get("member") or request.user,
                                              choice=data["choice"], actor=request.user),
                success=lambda vote: f"Vote recorded for {vote.voter}.",
                next_url=reverse("decisions:vote", args=[case.pk])):
            return saved
        context[key] = form
        return render(request, "decisions/vote.html", context, status=400)
    return render(request, "decisions/vote.html", context)


@role_required(*WRITERS)
@require_POST
def vote_close_view(request, case_id):
    case = led_case(request, case_id)
    return handle_action(request, lambda: vote_close(case=case, actor=request.user),
                         success="The vote has closed. The case has moved on to the decision sheet.",
                         next_url=reverse("decisions:sheet", args=[case.pk]),
                         refused_url=reverse("decisions:vote", args=[case.pk]))
