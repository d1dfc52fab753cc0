"""What panels adds to the shared shell: navigation, dashboard cards, the case-page section and task-list rows.

The cards read only ``request.user`` and the partnership it acts in (``user.partnership``), so that a page showing
several partnerships at once can build each partnership's cards by making the user act in it (ADR 0015).
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.clocks.selectors import case_page_clocks
from rapidreview.registry import once_per_case
from referrals.models import Stage
from referrals.selectors import one_to_one

from . import selectors
from .models import PanelState

PANEL_STAGES = (Stage.RAPID_REVIEW, Stage.DECISION, Stage.NATIONAL_PANEL, Stage.CSPR, Stage.CLOSED)
SECTION_ROLES = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.THRESHOLD, Role.EXECUTIVE)


def business_unit_card(request) -> dict | None:
    partnership = request.user.partnership
    if partnership is None:
        return None
    today = timezone.localdate()
    awaiting = selectors.awaiting_with_deadlines(partnership=partnership, limit=10)
    clusters = [c for c in selectors.active_clusters(partnership=partnership) if c["liaison"] is None]
    upcoming = selectors.upcoming_panels(partnership=partnership, today=today)[:5]
    conflicts = selectors.conflicts_visible_to(request.user).aggregate(
        unhandled=Count("id", filter=Q(handled_at__isnull=True)),
        substitutes=Count("id", filter=Q(substitute_required_at__isnull=False, substitute__isnull=True)))
    unhandled, substitutes = conflicts["unhandled"], conflicts["substitutes"]
    if not (awaiting or clusters or upcoming or unhandled or substitutes):
        return None
    return {"awaiting": awaiting, "clusters": clusters, "upcoming": upcoming, "unhandled": unhandled,
            "substitutes": substitutes, "today": today, "partnership": partnership}


def member_card(request) -> dict | None:
    invitations = list(selectors.my_panels(request.user)[:10])
    return {"invitations": invitations, "partnership": request.user.partnership}


def case_section(request, case) -> dict | None:
    if case.stage not in PANEL_STAGES:
        return None
    panel = one_to_one(case, "panel")
    if panel is None and case.stage != Stage.RAPID_REVIEW:
        return None  # no panel was held and none can be set up any more: nothing to show
    user = request.user
    if not user.has_role(*SECTION_ROLES) and not (
            panel is not None and panel.invitations.filter(user_id=user.pk).exists()):
        return None
    is_bu = selectors.runs_panel(user, case)
    invitations = list(selectors.invitations_for(panel)) if panel else []
    return {
        "case": case, "panel": panel, "is_bu": is_bu, "invitations": invitations,
        "today": timezone.localdate(),
        "quorum": selectors.quorum_status(panel) if any(i.attendance for i in invitations) else None,
        "deadline": _meeting_deadline(case) if case.stage == Stage.RAPID_REVIEW else None,
        **selectors.cluster_alert(user, case),
    }


def _meeting_deadline(case):
    """The panel's deadline, worked out once for the case page's section and task list."""
    return once_per_case(case, "panels.meeting_deadline",
                         lambda: selectors.meeting_deadline(case, clocks=case_page_clocks(case)))


def case_tasks(case) -> list[dict]:
    rows = []
    if case.stage == Stage.RAPID_REVIEW:
        panel = one_to_one(case, "panel")
        state = panel.state if panel else None
        scheduled = state in (PanelState.SCHEDULED, PanelState.HELD)
        deadline = _meeting_deadline(case)
        rows.append({"label": "Set up the panel", "url": reverse("panels:set_up", args=[case.pk]),
                     "status": "done" if panel else "todo",
                     "hint": "Core members and the agencies involved"})
        rows.append({"label": "Schedule the panel meeting",
                     "url": reverse("panels:schedule", args=[case.pk]) if panel else None,
                     "status": "done" if scheduled else ("todo" if panel else "cannot_start"),
                     "hint": f"On or before {deadline.day} {deadline:%B %Y}" if deadline and not scheduled else ""})
        rows.append({"label": "Send the invitations", "url": reverse("panels:panel", args=[case.pk]) if panel else None,
                     "status": "done" if panel and panel.invitations_sent_at else (
                         "todo" if state == PanelState.SCHEDULED else "cannot_start")})
        agenda_sent = panel is not None and panel.agenda_version > 0 and (
            panel.agenda_sent_version == panel.agenda_version)
        rows.append({"label": "Write and send the agenda",
                     "url": reverse("panels:agenda", args=[case.pk]) if panel else None,
                     "status": "done" if agenda_sent else (
                         ("in_progress" if panel.agenda else "todo") if state == PanelState.SCHEDULED
                         else "cannot_start")})
        rows.append({"label": "Record attendance and the meeting",
                     "url": reverse("panels:attendance", args=[case.pk]) if state == PanelState.SCHEDULED else None,
                     "status": "done" if state == PanelState.HELD else (
                         "todo" if state == PanelState.SCHEDULED else "cannot_start")})
    for conflict in (c for c in selectors.case_page_conflicts(case) if c.substitute_required_at is not None):
        rows.append({"label": f"Agree a substitute for {conflict.user.full_name}",
                     "url": reverse("panels:conflict_substitute", args=[conflict.pk]),
                     "status": "done" if conflict.substitute_id else "todo",
                     "hint": "A practice review was commissioned and this member has a conflict of interest"})
    if case.stage == Stage.CLOSED:
        return [row for row in rows if row["status"] == "done"]  # a closed case shows what happened
    return rows
