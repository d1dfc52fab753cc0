"""Who may see which actions, and the reads the action plan pages share."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.accounts.selectors import agency_leads
from referrals.selectors import may_open_case

from .models import OPEN_STATUSES, Action, ActionUpdate, WorkingGroupMeeting


def _is_executive_chair(user) -> bool:
    return any(r.role == Role.EXECUTIVE and r.is_chair for r in user.active_roles)


def actions_visible_to(user) -> QuerySet[Action]:
    """Working group and business unit: every action. Agency leads: their own agency's. Everyone else: none.

    The rapid review chair and the chair of the Executive also see every action (read only; the services decide who
    may change one), because overdue actions escalate to them and the reminder links here.
    """
    if not user or not user.is_authenticated or not user.is_active:
        return Action.objects.none()
    if user.has_role(Role.WORKING_GROUP, Role.BUSINESS_UNIT, Role.RR_CHAIR) or _is_executive_chair(user):
        return Action.objects.all()
    if user.has_role(Role.AGENCY_LEAD) and user.agency_id:
        return Action.objects.filter(agency_id=user.agency_id)
    return Action.objects.none()


def action_list(user) -> QuerySet[Action]:
    """Visible actions with what the list shows, in a constant number of queries."""
    return (actions_visible_to(user).select_related("case", "agency", "owner")
            .annotate(update_count=Count("updates", distinct=True))
            .order_by("due_on", "created_at"))


def get_visible_action(user, action_id) -> Action:
    return get_object_or_404(actions_visible_to(user).select_related("case", "agency", "owner",
                                                                     "completion_confirmed_by"), pk=action_id)


def case_link(user, action: Action) -> str:
    """The address of the action's case page when ``user`` may open it, else "" (the reference is shown as text):
    the working group sees the whole plan but not the cases behind it."""
    if action.case_id and may_open_case(user, action.case_id):
        return action.case.get_absolute_url()
    return ""


def overdue_q(today: datetime.date | None = None) -> Q:
    return Q(status__in=OPEN_STATUSES, due_on__lt=today or timezone.localdate())


def overdue_actions(user) -> QuerySet[Action]:
    return actions_visible_to(user).filter(overdue_q()).select_related("case", "agency")


def actions_due_soon(user, days: int = 30) -> QuerySet[Action]:
    today = timezone.localdate()
    return (actions_visible_to(user).filter(status__in=OPEN_STATUSES, due_on__lte=today + datetime.timedelta(days))
            .select_related("case", "agency").order_by("due_on"))


def case_actions(user, case) -> QuerySet[Action]:
    return actions_visible_to(user).filter(case=case).select_related("agency", "owner").order_by("due_on")


def changes_since(*, since: datetime.date, until: datetime.date | None = None) -> dict:
    """What changed on the plan after ``since`` (and up to ``until``, inclusive): new actions, status changes,
    progress updates. For the working group's meeting view; the working group sees every action."""
    start = timezone.make_aware(datetime.datetime.combine(since + datetime.timedelta(days=1), datetime.time.min))
    window = Q(at__gte=start)
    created = Q(created_at__gte=start)
    if until:
        end = timezone.make_aware(datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min))
        window &= Q(at__lt=end)
        created &= Q(created_at__lt=end)
    new_actions = list(Action.objects.filter(created).select_related("case", "agency").order_by("created_at"))
    new_ids = {a.pk for a in new_actions}
    updates = list(ActionUpdate.objects.filter(window).exclude(action_id__in=new_ids)
                   .select_related("action", "action__case", "action__agency", "author").order_by("at"))
    status_changes = [u for u in updates if u.status_changed]
    progress = [u for u in updates if not u.status_changed]
    return {"new_actions": new_actions, "status_changes": status_changes, "progress": progress}


def meetings() -> QuerySet[WorkingGroupMeeting]:
    return WorkingGroupMeeting.objects.select_related("recorded_by").order_by("-held_on")


def meeting_with_previous(meeting_id) -> tuple[WorkingGroupMeeting, WorkingGroupMeeting | None]:
    """A working group meeting (404 when there is none) and the one held before it, if any."""
    meeting = get_object_or_404(WorkingGroupMeeting, pk=meeting_id)
    previous = WorkingGroupMeeting.objects.filter(held_on__lt=meeting.held_on).order_by("-held_on").first()
    return meeting, previous


def action_reminder_owners(action: Action, clock) -> list:
    """The owning agency's leads and the owner (registered with the clocks in ``ActionPlanConfig.ready``)."""
    people = list(agency_leads(action.agency))
    if action.owner_id and action.owner.is_active and all(p.pk != action.owner_id for p in people):
        people.append(action.owner)
    return people
