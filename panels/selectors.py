"""Reads about panels, and the access rules panels add to cases.

Contracts other apps rely on (keep their signatures stable): ``panel_for_case``, ``invited_agencies``,
``case_panel_members``, ``is_conflicted``, ``quorum_status``, ``voting_members_present``, ``can_vote``,
``voting_seat``.

Partnerships (ADR 0015): a case's panel is its leading partnership's. The register it draws on (core members,
case-by-case invitees, substitutes), the one-panel-a-day rule, the calendar and the clustered-notification alerts
are that partnership's; the readers below take the ``partnership`` (or read it from the case) and never another's.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rapidreview.accounts.models import Agency, AgencyType, Partnership, Role, RoleAssignment, StatutoryPartner, User
from rapidreview.accounts.selectors import agency_leads, current_assignments, people_list
from rapidreview.clocks.models import Clock, ClockKind
from rapidreview.registry import once_per_case
from rapidreview.workdays import add_working_days, is_working_day
from referrals.models import Case, Stage
from referrals.selectors import one_to_one, visible_cases

from .models import (
    DAY_TAKEN_STATES,
    Attendance,
    ConflictOfInterest,
    NationalPanelLiaison,
    Panel,
    PanelInvitation,
    PanelState,
)

# Issue 5 / process rule 22: notifications this close together call for liaison with the National Panel.
CLUSTER_WORKING_DAYS = 10
# How far back the dashboard's cluster alerts look: a rapid review's panel meets within 15 working days of the
# notification, so a case notified six weeks ago that is still at rapid review is overdue (its clocks say so) and
# no longer a reason to call the National Panel about clustered timelines.
CLUSTER_RECENT_WORKING_DAYS = 30
QUORUM_PARTNERS = (StatutoryPartner.LOCAL_AUTHORITY, StatutoryPartner.HEALTH, StatutoryPartner.POLICE)


@dataclass
class QuorumStatus:
    met: bool
    missing: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.met:
            return "The panel is quorate: each statutory partner is represented by a voting member."
        return "The panel is not quorate. No voting member is present for: " + ", ".join(self.missing) + "."


# ---- contracts ----------------------------------------------------------------------------------------------

def panel_for_case(case) -> Panel | None:
    """The case's panel, or None when none has been set up."""
    return Panel.objects.filter(case_id=case.pk).select_related("case").first()


def invited_agencies(case) -> QuerySet[Agency]:
    """Agencies of the panel's invitations plus the agencies the referral lists as involved."""
    invited = PanelInvitation.objects.filter(panel__case_id=case.pk, agency__isnull=False).values("agency_id")
    involved = Case.involved_agencies.through.objects.filter(case_id=case.pk).values("agency_id")
    return Agency.objects.filter(Q(pk__in=invited) | Q(pk__in=involved)).distinct()


def education_missing(case) -> bool:
    """Whether the leading partnership treats education agencies as mandatory participants (its own setting, for
    the Children's Wellbeing and Schools Act 2026 s2 once commenced) and none is on this case's panel or referral."""
    if not case.partnership.education_mandatory:
        return False
    return not invited_agencies(case).filter(type=AgencyType.EDUCATION).exists()


def conflicted_user_ids(case) -> QuerySet:
    return ConflictOfInterest.objects.filter(case_id=case.pk).values("user_id")


def case_panel_members(case) -> QuerySet[User]:
    """The people invited to the case's panel, minus anyone with a declared conflict on the case."""
    invited = PanelInvitation.objects.filter(panel__case_id=case.pk).values("user_id")
    return (User.objects.filter(pk__in=invited, is_active=True).exclude(pk__in=conflicted_user_ids(case))
            .select_related("agency"))


def panel_members_of_cases(case_ids) -> dict:
    """``case_panel_members`` for many cases in three queries: case id -> its invited, unconflicted people, in the
    same order."""
    case_ids = set(case_ids)
    cases_of: dict = {}
    for case_id, user_id in PanelInvitation.objects.filter(panel__case_id__in=case_ids).values_list(
            "panel__case_id", "user_id"):
        cases_of.setdefault(user_id, set()).add(case_id)
    conflicted = set(ConflictOfInterest.objects.filter(case_id__in=case_ids).values_list("case_id", "user_id"))
    out: dict = {case_id: [] for case_id in case_ids}
    for person in User.objects.filter(pk__in=cases_of, is_active=True).select_related("agency"):
        for case_id in cases_of[person.pk]:
            if (case_id, person.pk) not in conflicted:
                out[case_id].append(person)
    return out


def is_conflicted(user, case) -> bool:
    if user is None or not getattr(user, "pk", None):
        return False
    return ConflictOfInterest.objects.filter(case_id=case.pk, user_id=user.pk).exists()


def quorum_status(panel: Panel) -> QuorumStatus:
    """Whether each statutory partner is represented by a present (or substituted) voting member, not conflicted."""
    present = _present_voting_invitations(panel)
    partners = set(present.values_list("statutory_partner", flat=True))
    missing = [StatutoryPartner(p).label for p in QUORUM_PARTNERS if p not in partners]
    return QuorumStatus(met=not missing, missing=missing)


def voting_members_present(panel: Panel) -> QuerySet[User]:
    """The people whose seat has a vote: voting members present (a seated substitute among them) or represented by
    a named substitute, excluding anyone conflicted. The business unit may record any of these votes."""
    return User.objects.filter(pk__in=_present_voting_invitations(panel).values("user_id"))


def voting_seats(panel: Panel) -> dict:
    """``voting_members_present`` as {user id: invitation}, for naming each vote "substitute for member"."""
    return {inv.user_id: inv for inv in _present_voting_invitations(panel).select_related("user", "substitute_for")}


def voting_seat(user, case) -> PanelInvitation | None:
    """The invitation through which ``user``'s vote counts on ``case``, or None when they have no vote."""
    if user is None or not getattr(user, "pk", None):
        return None
    return (_present_voting_invitations_for_case(case).filter(user_id=user.pk)
            .select_related("user", "substitute_for").first())


def can_vote(user, case) -> bool:
    """Whether ``user`` may vote on ``case`` from their own login: a voting invitee of its panel (or the substitute
    seated in one) who was present, with no conflict. A member represented by a substitute does not vote: the vote of
    their seat is the substitute's."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    seat = voting_seat(user, case)
    return seat is not None and seat.attendance == Attendance.PRESENT


def _present_voting_invitations(panel: Panel) -> QuerySet[PanelInvitation]:
    return _present_voting_invitations_for_case(panel.case_id, panel_id=panel.pk)


def _present_voting_invitations_for_case(case, panel_id=None) -> QuerySet[PanelInvitation]:
    case_id = getattr(case, "pk", case)
    scope = {"panel_id": panel_id} if panel_id else {"panel__case_id": case_id}
    return (PanelInvitation.objects.filter(**scope, voting=True,
                                           attendance__in=[Attendance.PRESENT, Attendance.SUBSTITUTE])
            .exclude(user_id__in=ConflictOfInterest.objects.filter(case_id=case_id).values("user_id")))


# ---- access rules registered with referrals ---------------------------------------------------------------

# Who may be invited to a panel: members of the register and the safeguarding leads of the agencies involved.
INVITEE_ROLES = (Role.PANEL_MEMBER, Role.AGENCY_LEAD)


def panel_member_case_grant(user) -> Q | None:
    """Invited people see the cases whose panel they sit on, while they hold a role that can be invited in the
    partnership running that panel and act in it: an invitation outlives the role, the access does not."""
    partnership = user.partnership
    if partnership is None or not user.has_role(*INVITEE_ROLES):
        return None
    case_ids = PanelInvitation.objects.filter(user_id=user.pk, panel__partnership=partnership).values(
        "panel__case_id")
    return Q(pk__in=case_ids)


def conflict_case_exclusion(user) -> Q | None:
    """A member with a declared conflict loses access to the case, whatever else grants it."""
    return Q(pk__in=ConflictOfInterest.objects.filter(user_id=user.pk).values("case_id"))


# ---- reads for pages ----------------------------------------------------------------------------------------

def panel_with_invitations(case) -> Panel | None:
    return (Panel.objects.filter(case_id=case.pk).select_related("case", "held_recorded_by")
            .prefetch_related("invitations__user", "invitations__agency").first())


def invitations_for(panel: Panel) -> QuerySet[PanelInvitation]:
    """The panel's invitations, each with ``conflicted`` and ``agreed_substitute`` (the agreed substitute's name)."""
    conflicts = ConflictOfInterest.objects.filter(case_id=panel.case_id, user_id=OuterRef("user_id"))
    return (panel.invitations.select_related("user", "agency", "substitute_for")
            .annotate(conflicted=Exists(conflicts),
                      agreed_substitute=Subquery(conflicts.values("substitute__full_name")[:1])))


def my_invitation(user, case) -> PanelInvitation | None:
    """``user``'s own invitation to the scheduled panel of ``case`` (a case they may see), unless they declared a
    conflict on it."""
    if ConflictOfInterest.objects.filter(case_id=case.pk, user_id=user.pk).exists():
        return None
    return (PanelInvitation.objects.filter(panel__case_id=case.pk, user_id=user.pk)
            .select_related("panel__case", "user").first())


@dataclass(frozen=True)
class PanelActions:
    """What ``user`` may do on the panel page now; the page shows a button only when its flag is set."""

    set_up: bool = False
    change_invitees: bool = False
    schedule: bool = False
    send_invitations: bool = False
    write_agenda: bool = False
    send_agenda: bool = False
    record_attendance: bool = False
    record_held: bool = False
    cancel: bool = False


def runs_panel(user, case, *roles: str) -> bool:
    """Whether ``user`` holds one of ``roles`` (default: business unit) in the partnership leading ``case`` and acts
    in it: only the leading partnership runs a case's panel; one taking part sees it and changes nothing."""
    partnership = user.partnership
    return (partnership is not None and partnership.pk == case.partnership_id
            and user.has_role(*(roles or (Role.BUSINESS_UNIT,))))


def panel_actions(user, case, panel: Panel | None) -> PanelActions:
    """The business unit of the leading partnership runs the panel while the case is at rapid review; what it can
    do follows the panel's state: anything but a held panel can be rescheduled and its agenda changed; only a
    scheduled one is sent out, attended, held or cancelled."""
    if not runs_panel(user, case) or case.stage != Stage.RAPID_REVIEW:
        return PanelActions()
    if panel is None:
        return PanelActions(set_up=True)
    scheduled = panel.state == PanelState.SCHEDULED
    open_ = panel.state != PanelState.HELD
    # Attendance and "held" are recorded from the meeting day, not before.
    met = scheduled and panel.meeting_date is not None and panel.meeting_date <= timezone.localdate()
    return PanelActions(
        change_invitees=True, schedule=open_, write_agenda=open_, send_invitations=scheduled,
        send_agenda=scheduled and bool(panel.agenda) and panel.agenda_sent_version != panel.agenda_version,
        record_attendance=met, record_held=met, cancel=scheduled,
    )


def can_see_panel_page(user, panel: Panel | None, case) -> bool:
    """Business unit and rapid review chair always; otherwise only the people invited to this panel."""
    if user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR):
        return True
    return panel is not None and panel.invitations.filter(user_id=user.pk).exists()


def panel_members_register(*, partnership: Partnership, include_past: bool = False) -> QuerySet[RoleAssignment]:
    """``partnership``'s membership register: its panel-member role assignments with person, agency and
    substitute."""
    if include_past:
        qs = RoleAssignment.objects.filter(role=Role.PANEL_MEMBER, partnership=partnership).select_related(
            "user", "user__agency", "substitute")
    else:
        qs = current_assignments(Role.PANEL_MEMBER, partnership=partnership)
    return qs.order_by("-core", "-is_chair", "-voting", "user__full_name")


def get_membership(assignment_id, *, partnership: Partnership) -> RoleAssignment:
    """One seat on ``partnership``'s register (404 for another partnership's)."""
    return get_object_or_404(RoleAssignment.objects.select_related("user", "user__agency", "substitute"),
                             pk=assignment_id, role=Role.PANEL_MEMBER, partnership=partnership)


def core_assignments(*, partnership: Partnership) -> QuerySet[RoleAssignment]:
    return current_assignments(Role.PANEL_MEMBER, partnership=partnership).filter(core=True)


def case_by_case_assignments(*, partnership: Partnership) -> QuerySet[RoleAssignment]:
    return current_assignments(Role.PANEL_MEMBER, partnership=partnership).filter(core=False)


def involved_agency_leads(case) -> list[tuple[Agency, User]]:
    """(agency, lead) for the safeguarding leads, in the case's leading partnership, of the agencies the referral
    lists as involved: who may be invited case by case besides the register."""
    return [(agency, lead) for agency in case.involved_agencies.all()
            for lead in agency_leads(agency, partnership=case.partnership)]


def meeting_deadline(case, *, clocks: list[Clock] | None = None) -> datetime.date | None:
    """The last day the panel may meet without an override: the panel-meeting clock's stored due date, or
    working day N after the notification when no clock is running. ``clocks``: the case's clocks when the caller
    has them already (the case page)."""
    if clocks is None:
        clock = (Clock.objects.filter(case_id=case.pk, kind=ClockKind.PANEL_MEETING).order_by("-started_on")
                 .values_list("due_on", flat=True).first())
    else:
        meeting = sorted((c for c in clocks if c.kind == ClockKind.PANEL_MEETING), key=lambda c: c.started_on)
        clock = meeting[-1].due_on if meeting else None
    if clock:
        return clock
    if case.sin_notified_on is None:
        return None
    return add_working_days(case.sin_notified_on, case.partnership.panel_meeting_working_days,
                            partnership=case.partnership_id)


def awaiting_with_deadlines(*, partnership: Partnership, limit: int | None = None) -> list[dict]:
    """``partnership``'s cases waiting for a panel date, each with its deadline, in a constant number of queries."""
    awaiting = cases_awaiting_schedule(partnership=partnership).select_related("panel")
    cases = list(awaiting[:limit] if limit else awaiting)
    dues = dict(Clock.objects.filter(case_id__in=[c.pk for c in cases], kind=ClockKind.PANEL_MEETING)
                .order_by("started_on").values_list("case_id", "due_on"))
    limit_days = partnership.panel_meeting_working_days
    return [{"case": c, "deadline": dues.get(c.pk) or (
        add_working_days(c.sin_notified_on, limit_days, partnership=partnership) if c.sin_notified_on else None)}
        for c in cases]


def _day_taken(partnership) -> QuerySet[Panel]:
    """Panels of ``partnership`` (a Partnership or its id) that occupy their meeting day."""
    return Panel.objects.filter(partnership_id=getattr(partnership, "pk", partnership), state__in=DAY_TAKEN_STATES)


def panels_on(day: datetime.date, *, partnership, exclude_case=None) -> QuerySet[Panel]:
    """``partnership``'s panels on ``day``: another partnership's panel that day is no clash."""
    qs = _day_taken(partnership).filter(meeting_date=day).select_related("case")
    if exclude_case is not None:
        qs = qs.exclude(case_id=exclude_case.pk)
    return qs


def neighbouring_working_days(day: datetime.date, *, partnership) -> tuple[datetime.date, datetime.date]:
    """The working days before and after ``day`` on ``partnership``'s calendar."""
    return add_working_days(day, -1, partnership=partnership), add_working_days(day, 1, partnership=partnership)


def panels_next_to(day: datetime.date, *, partnership, exclude_case=None) -> QuerySet[Panel]:
    """``partnership``'s panels for other cases on the working day before or after ``day`` (back-to-back)."""
    before, after = neighbouring_working_days(day, partnership=partnership)
    qs = _day_taken(partnership).filter(meeting_date__in=[before, after]).select_related("case")
    if exclude_case is not None:
        qs = qs.exclude(case_id=exclude_case.pk)
    return qs


def upcoming_panels(*, partnership: Partnership, today: datetime.date | None = None) -> list[Panel]:
    """``partnership``'s scheduled panels from today on, each marked with the spacing problems it has (constant
    queries)."""
    today = today or timezone.localdate()
    panels = list(Panel.objects.filter(partnership=partnership, state=PanelState.SCHEDULED, meeting_date__gte=today)
                  .select_related("case").order_by("meeting_at"))
    held_recent = set(_day_taken(partnership).filter(
        meeting_date__gte=add_working_days(today, -1, partnership=partnership))
        .values_list("meeting_date", flat=True))
    by_day: dict[datetime.date, int] = {}
    for p in panels:
        by_day[p.meeting_date] = by_day.get(p.meeting_date, 0) + 1
    for p in panels:
        before, after = neighbouring_working_days(p.meeting_date, partnership=partnership)
        p.same_day_clash = by_day.get(p.meeting_date, 0) > 1
        p.next_to = [d for d in (before, after) if d in held_recent]
        p.is_working_day = is_working_day(p.meeting_date, partnership=partnership)
    return panels


def recently_held(*, partnership: Partnership, limit: int = 10) -> QuerySet[Panel]:
    return (Panel.objects.filter(partnership=partnership, state=PanelState.HELD).select_related("case")
            .order_by("-meeting_at")[:limit])


def cases_awaiting_schedule(*, partnership: Partnership) -> QuerySet[Case]:
    """The cases ``partnership`` leads at rapid review whose panel has no date yet (no panel, being set up, or
    cancelled)."""
    return (Case.objects.filter(partnership=partnership, stage=Stage.RAPID_REVIEW)
            .exclude(panel__state__in=DAY_TAKEN_STATES).order_by("sin_notified_on"))


# ---- clustered notifications ----------------------------------------------------------------------------------

def _cluster_window(case) -> tuple:
    start = add_working_days(case.sin_notified_on, -CLUSTER_WORKING_DAYS, partnership=case.partnership_id)
    end = add_working_days(case.sin_notified_on, CLUSTER_WORKING_DAYS, partnership=case.partnership_id)
    return start, end


def _notified_near(case, *, own: bool, neighbours: bool) -> tuple[list[Case], list[dict]]:
    """``cluster_for`` and ``neighbouring_notifications`` in one read of the cases notified in the window (indexed
    by notification date): the leading partnership's own, and other partnerships' about a child of the same home
    local authority."""
    if case.sin_notified_on is None:
        return [], []
    referral = one_to_one(case, "referral")  # on the case page, already loaded with the case
    home = referral.child_home_la.strip() if referral and neighbours else ""
    wanted = Q(partnership_id=case.partnership_id) if own else Q(pk__in=[])
    if home:
        wanted |= Q(referral__child_home_la__iexact=home) & ~Q(partnership_id=case.partnership_id)
    if not (own or home):
        return [], []
    rows = list(Case.objects.filter(wanted, sin_notified_on__range=_cluster_window(case))
                .exclude(pk=case.pk).exclude(stage=Stage.CLOSED).select_related("partnership")
                .only("id", "reference", "partnership_id", "sin_notified_on", "partnership__id", "partnership__name",
                      "partnership__contact_email")  # what the alert shows (panels/includes/cluster_alert.html)
                .order_by("sin_notified_on", "created_at"))
    ours = [row for row in rows if row.partnership_id == case.partnership_id]
    theirs = [{"partnership": row.partnership, "notified_on": row.sin_notified_on, "home": home}
              for row in rows if row.partnership_id != case.partnership_id]
    return ours, theirs


def cluster_for(case) -> list[Case]:
    """Other cases of the case's leading partnership whose notification was within the cluster window of this
    one's (empty when none)."""
    return _notified_near(case, own=True, neighbours=False)[0]


def neighbouring_notifications(case) -> list[dict]:
    """Incidents other partnerships notified within the cluster window of this case's, about a child whose home
    local authority is this child's (issue 18 §5): each {"partnership", "notified_on", "home"}, soonest first.

    Only that: no reference and nothing about the other child, whose case this partnership may not see. It tells the
    business unit whom to call, so that the partnerships and the National Panel can look at them together. The
    leading partnership's own cases are ``cluster_for``'s.
    """
    return _notified_near(case, own=False, neighbours=True)[1]


def cluster_alert(user, case) -> dict:
    """What the clustered-notifications alert on a case's panel section and page shows ``user``: the leading
    partnership's own cases notified close to this one, and other partnerships' notifications about children of
    the same home authority (one read), and the liaison recorded about them (read only when there is an alert).
    Only for its business unit and chair, while the case is at rapid review."""
    if case.stage != Stage.RAPID_REVIEW or not runs_panel(user, case, Role.BUSINESS_UNIT, Role.RR_CHAIR):
        return {"cluster": [], "neighbours": [], "liaison": None}
    cluster, neighbours = _notified_near(case, own=True, neighbours=True)
    return {"cluster": cluster, "neighbours": neighbours,
            "liaison": liaison_for(case) if cluster or neighbours else None}


def liaison_for(case) -> NationalPanelLiaison | None:
    """The latest liaison the case's leading partnership recorded about it."""
    return (case.national_panel_liaisons.filter(partnership_id=case.partnership_id).select_related("recorded_by")
            .order_by("-liaised_on").first())


def liaison_candidates(*, partnership: Partnership) -> QuerySet[Case]:
    """The cases a liaison of ``partnership`` may be about: those it leads at rapid review, notified."""
    return (Case.objects.filter(partnership=partnership, stage=Stage.RAPID_REVIEW, sin_notified_on__isnull=False)
            .order_by("sin_notified_on"))


def active_clusters(*, partnership: Partnership, today: datetime.date | None = None) -> list[dict]:
    """Groups of ``partnership``'s cases at rapid review, notified in the last ``CLUSTER_RECENT_WORKING_DAYS``,
    whose notifications fall within the window of each other.

    Each: {"cases": [...], "liaison": NationalPanelLiaison | None}. The groups chain: A–B and B–C make one group.
    The recent window is one date bound in the query, so the cases walked here are the few of the last weeks, not
    every case ever left at rapid review (ADR 0019).
    """
    since = add_working_days(today or timezone.localdate(), -CLUSTER_RECENT_WORKING_DAYS, partnership=partnership)
    cases = list(liaison_candidates(partnership=partnership).filter(sin_notified_on__gte=since)
                 .prefetch_related("national_panel_liaisons__cases"))
    groups: list[list[Case]] = []
    for case in cases:
        if groups and add_working_days(groups[-1][-1].sin_notified_on, CLUSTER_WORKING_DAYS,
                                       partnership=partnership) >= case.sin_notified_on:
            groups[-1].append(case)
        else:
            groups.append([case])
    result = []
    for group in groups:
        if len(group) < 2:
            continue
        liaisons = {li for c in group for li in c.national_panel_liaisons.all() if li.partnership_id == partnership.pk}
        covering = [li for li in liaisons if all(c in li.cases.all() for c in group)]
        result.append({"cases": group, "liaison": max(covering, key=lambda li: li.liaised_on) if covering else None})
    return result


def _conflicts() -> QuerySet[ConflictOfInterest]:
    return ConflictOfInterest.objects.select_related("case", "user", "user__agency", "declared_by", "handled_by",
                                                     "substitute")


def _led_visible_cases(user) -> QuerySet[Case]:
    """The cases ``user`` may see that the partnership they act in leads (where its panel is run)."""
    partnership = user.partnership
    if partnership is None:
        return Case.objects.none()
    return visible_cases(user).filter(partnership=partnership)


def conflicts_visible_to(user) -> QuerySet[ConflictOfInterest]:
    """The conflicts on the cases the user's partnership leads and the user may see: its business unit handles them
    and agrees substitutes. A partnership taking part in a case does not."""
    return _conflicts().filter(case__in=_led_visible_cases(user))


def get_visible_conflict(user, conflict_id) -> ConflictOfInterest:
    """One of ``conflicts_visible_to(user)`` (404 for any other)."""
    return get_object_or_404(conflicts_visible_to(user), pk=conflict_id)


def declarable_cases(user) -> QuerySet[Case]:
    """The cases on which ``user`` may declare a conflict by typing the reference: cases they may see, led by the
    partnership they act in, that have (or may have) a panel."""
    return _led_visible_cases(user).exclude(stage__in=[Stage.RECEIVED, Stage.THRESHOLD, Stage.NOT_MET,
                                                       Stage.CLOSED])


def register_candidates(*, partnership: Partnership) -> QuerySet[User]:
    """Whom the business unit may put on ``partnership``'s panel register, or name as a substitute there: active
    people of that partnership."""
    return people_list(partnership=partnership).filter(is_active=True).order_by("full_name")


def panel_register_people(*, partnership: Partnership) -> QuerySet[User]:
    """Active people on ``partnership``'s panel register today."""
    return User.objects.filter(
        is_active=True, pk__in=current_assignments(Role.PANEL_MEMBER, partnership=partnership).values("user_id"))


def substitute_candidates(conflict: ConflictOfInterest) -> QuerySet[User]:
    """Who may be agreed as ``conflict``'s substitute: current members of the case's partnership's panel register
    who are not conflicted on the case and do not already sit on its panel (the current substitute stays in the
    list)."""
    sitting = PanelInvitation.objects.filter(panel__case_id=conflict.case_id).exclude(
        user_id=conflict.substitute_id).values("user_id")
    return (panel_register_people(partnership=conflict.case.partnership_id)
            .exclude(pk__in=conflicted_user_ids(conflict.case)).exclude(pk__in=sitting)
            .select_related("agency").order_by("full_name"))


def registered_substitute(member: User, *, partnership) -> User | None:
    """The substitute ``partnership``'s membership register names for ``member``, if any."""
    assignment = current_assignments(Role.PANEL_MEMBER, partnership=partnership).filter(
        user=member, substitute__isnull=False).first()
    return assignment.substitute if assignment else None


def conflicts_for_case(case) -> QuerySet[ConflictOfInterest]:
    return _conflicts().filter(case_id=case.pk)


# What the case page reads of a conflict: the task to agree a substitute and whether the reader declared one.
_CASE_PAGE_CONFLICT = ("id", "user_id", "substitute_id", "substitute_required_at", "user__id", "user__full_name")


def case_page_conflicts(case) -> list[ConflictOfInterest]:
    """The case's declared conflicts, read once for the case page: the panel's task rows and the pack link (ADR
    0019)."""
    return once_per_case(case, "panels.conflicts", lambda: list(
        ConflictOfInterest.objects.filter(case_id=case.pk).select_related("user").only(*_CASE_PAGE_CONFLICT)))


def conflict_members(case) -> QuerySet[User]:
    """Whom the business unit may record a conflict for on ``case``: its partnership's panel register and anyone
    invited to its panel, less those who already declared one."""
    return (User.objects.filter(
        Q(pk__in=panel_register_people(partnership=case.partnership_id).values("pk"))
        | Q(pk__in=PanelInvitation.objects.filter(panel__case=case).values("user_id")))
        .exclude(pk__in=conflicted_user_ids(case)).select_related("agency"))


def my_panels(user) -> QuerySet[PanelInvitation]:
    """Upcoming panels ``user`` is invited to in the partnership they act in, excluding cases they are conflicted
    on."""
    partnership = user.partnership
    if partnership is None:
        return PanelInvitation.objects.none()
    return (PanelInvitation.objects.filter(user_id=user.pk, panel__state=PanelState.SCHEDULED,
                                           panel__partnership=partnership)
            .exclude(panel__case_id__in=ConflictOfInterest.objects.filter(user_id=user.pk).values("case_id"))
            .select_related("panel", "panel__case", "substitute_for").order_by("panel__meeting_at"))
