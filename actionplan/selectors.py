"""Who may see which actions, and the reads the action plan pages share.

Every read is one partnership's plan (ADR 0015): the acting partnership's (``user.partnership``) for people, or the
one named. An action belongs to the partnership leading its case, so a partnership taking part in a joint review
does not see the leading partnership's actions.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Upper
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rapidreview.accounts.models import Agency, Role, User
from rapidreview.accounts.selectors import agency_leads, agency_leads_in, partnership_agencies
from rapidreview.db import choice_label
from rapidreview.links import object_url
from referrals.models import Case
from referrals.selectors import may_open_case

from .models import OPEN_STATUSES, Action, ActionUpdate, ImportColumnMapping, WorkingGroupMeeting


def _is_executive_chair(user) -> bool:
    return any(r.role == Role.EXECUTIVE and r.is_chair for r in user.active_roles)


def actions_visible_to(user) -> QuerySet[Action]:
    """The acting partnership's plan. Working group and business unit: every action on it. Agency leads: their own
    agency's. Everyone else: none.

    The rapid review chair and the chair of the Executive also see every action (read only; the services decide who
    may change one), because overdue actions escalate to them and the reminder links here. An agency lead who
    serves several partnerships sees their agency's actions on the plan of the partnership they act in.
    """
    if not user or not user.is_authenticated or not user.is_active or user.partnership is None:
        return Action.objects.none()
    plan = Action.objects.filter(partnership=user.partnership)
    if user.has_role(Role.WORKING_GROUP, Role.BUSINESS_UNIT, Role.RR_CHAIR) or _is_executive_chair(user):
        return plan
    if user.has_role(Role.AGENCY_LEAD) and user.agency_id:
        return plan.filter(agency_id=user.agency_id)
    return Action.objects.none()


def action_list(user) -> QuerySet[Action]:
    """Visible actions with what the list shows, in a constant number of queries. Nothing is counted per action:
    a plan page reads its 25 actions through ``action_plan_idx`` and stops (ADR 0019)."""
    return actions_visible_to(user).select_related("case", "agency", "owner").order_by("due_on", "created_at")


def filter_agencies(user) -> QuerySet[Agency]:
    """The agencies the plan's filter offers: the acting partnership's, or an agency lead's own agency."""
    if user.has_role(Role.WORKING_GROUP, Role.BUSINESS_UNIT):
        return owning_agencies(partnership=user.partnership)
    return Agency.objects.filter(pk=user.agency_id)


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


def may_add_action(user, case) -> bool:
    """The working group and business unit of the partnership leading ``case`` add its actions (to their plan)."""
    acting = user.partnership
    return bool(acting and case.partnership_id == acting.pk and user.has_role(Role.WORKING_GROUP,
                                                                               Role.BUSINESS_UNIT))


def case_actions(user, case) -> QuerySet[Action]:
    return actions_visible_to(user).filter(case=case).select_related("agency", "owner").order_by("due_on")


CHANGES_SHOWN = 50  # of each kind of change on the meeting pages; the counts say how many there were


@dataclass(frozen=True, slots=True)
class ActionRow:
    """What the meeting pages show of an action (``actionplan/_changes.html``, ``meetings.html``), read as plain
    values: a page lists up to 250 actions and changes, and making a model object of each action, its case, its
    agency and each change's author cost more than the page's queries (issue 20)."""

    url: str
    reference: str
    description: str
    agency_name: str
    due_on: datetime.date
    completed_on: datetime.date | None


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """What the meeting pages show of a progress update or status change."""

    at: datetime.datetime
    note: str
    from_label: str
    to_label: str
    author_name: str
    action: ActionRow


ACTION_SHOWN = ("id", "description", "case__reference", "historic_reference", "agency__name", "due_on",
                  "completed_on")


def _action_row(values: dict, prefix: str = "") -> ActionRow:
    return ActionRow(url=object_url("actionplan:detail", values[f"{prefix}id"]),
                     reference=values[f"{prefix}case__reference"] or values[f"{prefix}historic_reference"],
                     description=values[f"{prefix}description"], agency_name=values[f"{prefix}agency__name"] or "",
                     due_on=values[f"{prefix}due_on"], completed_on=values[f"{prefix}completed_on"])


def action_rows(actions: QuerySet[Action]) -> list[ActionRow]:
    """``actions`` (ordered and sliced by the caller) as the rows a meeting page shows, in one query."""
    return [_action_row(values) for values in actions.values(*ACTION_SHOWN)]


def changes_since(*, partnership, since: datetime.date, until: datetime.date | None = None) -> dict:
    """What changed on ``partnership``'s plan after ``since`` (and up to ``until``, inclusive): new actions, status
    changes, progress updates, each the latest ``CHANGES_SHOWN`` (in date order) with how many there were in all.
    For the working group's meeting view; the working group sees its whole plan."""
    start = timezone.make_aware(datetime.datetime.combine(since + datetime.timedelta(days=1), datetime.time.min))
    window = Q(at__gte=start)
    created = Q(created_at__gte=start)
    if until:
        end = timezone.make_aware(datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min))
        window &= Q(at__lt=end)
        created &= Q(created_at__lt=end)
    new_actions = Action.objects.filter(created, partnership=partnership)
    # Through the plan's (partnership, at) index: each update carries its action's plan (ADR 0033). Walking the date
    # index read every partnership's updates of the period (20,000 nationally for 300 of this plan's), and probing
    # the (action, at) index once for each of the plan's older actions read 1,700 actions to find 219 updates (issue
    # 20). Updates to the new actions are part of their being new. The period's updates are read once, four short
    # columns each (a few hundred between two meetings), to count and choose them; then only the ones shown are read,
    # as plain values.
    status_ids, progress_ids = [], []
    for pk, from_status, to_status in (ActionUpdate.objects.filter(window, partnership=partnership)
                                       .exclude(action__in=new_actions.order_by().values("pk"))
                                       .order_by("-at", "-pk").values_list("pk", "from_status", "to_status")):
        (status_ids if to_status and to_status != from_status else progress_ids).append(pk)
    from_field, to_field = ActionUpdate._meta.get_field("from_status"), ActionUpdate._meta.get_field("to_status")
    shown = {values["id"]: ChangeRow(
        at=values["at"], note=values["note"], from_label=choice_label(from_field, values["from_status"]),
        to_label=choice_label(to_field, values["to_status"]), author_name=values["author__full_name"] or "",
        action=_action_row(values, "action__"))
        for values in ActionUpdate.objects.filter(pk__in=status_ids[:CHANGES_SHOWN] + progress_ids[:CHANGES_SHOWN])
        .order_by().values("id", "at", "note", "from_status", "to_status", "author__full_name",
                           *(f"action__{name}" for name in ACTION_SHOWN))}
    return {
        "new_actions": list(reversed(action_rows(new_actions.order_by("-created_at", "-pk")[:CHANGES_SHOWN]))),
        "new_actions_count": new_actions.count(),
        "status_changes": [shown[pk] for pk in reversed(status_ids[:CHANGES_SHOWN])],
        "status_changes_count": len(status_ids),
        "progress": [shown[pk] for pk in reversed(progress_ids[:CHANGES_SHOWN])],
        "progress_count": len(progress_ids),
        "shown": CHANGES_SHOWN,
    }


def meetings(*, partnership) -> QuerySet[WorkingGroupMeeting]:
    """``partnership``'s working group meetings, the latest first."""
    return WorkingGroupMeeting.objects.filter(partnership=partnership).select_related("recorded_by") \
        .order_by("-held_on")


def meeting_with_previous(meeting_id, *, partnership) -> tuple[WorkingGroupMeeting, WorkingGroupMeeting | None]:
    """One of ``partnership``'s working group meetings (404 when there is none, or it is another partnership's)
    and the one held before it, if any."""
    meeting = get_object_or_404(meetings(partnership=partnership), pk=meeting_id)
    previous = meetings(partnership=partnership).filter(held_on__lt=meeting.held_on).first()
    return meeting, previous


def led_case_by_reference(reference: str, *, partnership) -> Case | None:
    """The case ``partnership`` leads with ``reference`` (references are unique within a partnership only)."""
    return Case.objects.filter(partnership=partnership, reference__iexact=(reference or "").strip()).first()


def led_cases_by_reference(references, *, partnership) -> dict[str, Case]:
    """{REFERENCE IN CAPITALS: case} for the cases ``partnership`` leads among ``references``, in one query."""
    wanted = [r.upper() for r in references]
    if not wanted:
        return {}
    return {c.reference.upper(): c for c in Case.objects.annotate(ref_upper=Upper("reference"))
            .filter(partnership=partnership, ref_upper__in=wanted)}


def owning_agencies(*, partnership, keep=None) -> QuerySet[Agency]:
    """The agencies that may own ``partnership``'s actions: the active ones in its arrangements (and ``keep``, the
    id of an action's agency, so that changing an action never drops it)."""
    agencies = Agency.objects.filter(pk__in=partnership_agencies(partnership).values("pk"))
    if keep:
        agencies = Agency.objects.filter(Q(pk__in=agencies.values("pk")) | Q(pk=keep))
    return agencies.order_by("name")


def possible_owners(*, partnership, keep=None) -> QuerySet[User]:
    """The people who may own one of ``partnership``'s actions: anyone holding a role in it today (and ``keep``,
    the id of an action's owner)."""
    today = timezone.localdate()
    current = (Q(role_assignments__partnership=partnership, role_assignments__starts_on__lte=today)
               & (Q(role_assignments__ends_on__isnull=True) | Q(role_assignments__ends_on__gte=today)))
    members = Q(pk__in=User.objects.filter(current).values("pk"), is_active=True)
    if keep:
        members |= Q(pk=keep)
    return User.objects.filter(members).select_related("agency").order_by("full_name")


def plan_actions(*, partnership) -> QuerySet[Action]:
    """Every action on ``partnership``'s plan (for the import, which the working group and business unit run)."""
    return Action.objects.filter(partnership=partnership)


def remembered_mapping(headings, *, partnership) -> dict[str, str]:
    """{folded heading: import field} that ``partnership`` chose in earlier imports."""
    return dict(ImportColumnMapping.objects.filter(partnership=partnership, heading__in=list(headings))
                .values_list("heading", "field"))


def actions_reminder_owners(pairs) -> list[list]:
    """``action_reminder_owners`` for many (action, clock) pairs in two queries (the reminder sweep)."""
    actions = [action for action, _ in pairs]
    prefetch_related_objects(actions, "owner")
    leads = agency_leads_in({(a.agency_id, a.partnership_id) for a in actions})
    out = []
    for action in actions:
        people = list(leads[(action.agency_id, action.partnership_id)])
        if action.owner_id and action.owner.is_active and all(p.pk != action.owner_id for p in people):
            people.append(action.owner)
        out.append(people)
    return out


def action_reminder_owners(action: Action, clock) -> list:
    """The owning agency's leads in the action's partnership, and the owner (registered with the clocks in
    ``ActionPlanConfig.ready``)."""
    people = list(agency_leads(action.agency, partnership=action.partnership))
    if action.owner_id and action.owner.is_active and all(p.pk != action.owner_id for p in people):
        people.append(action.owner)
    return people
