"""A year of demo actions in every status, with progress, evidence and working group meetings.

Runs after ``themes`` (which adds the historical cases). Keyed on the case and the action's text, so loading twice
changes nothing. Dates are back-dated so the plan reads like a year of work. Everything is on Tower Hamlets' plan
(``context["partnership"]``), the partnership leading those cases; City & Hackney gets one action of its own, on
its own plan, which none of Tower Hamlets' people see.
"""

import datetime

from django.utils import timezone

from rapidreview.clocks.models import Clock, ClockState

from .models import Action, ActionEvidence, ActionSource, ActionStatus, ActionUpdate, WorkingGroupMeeting
from .services import action_confirm_completion, action_create, action_set_status

RR, CSPR, SIN = ActionSource.RAPID_REVIEW, ActionSource.CSPR, ActionSource.SIN
NS, IP, DONE, CONFIRMED, EMB = "not_started", "in_progress", "claimed", "confirmed", "embedded"

# history index (or referrals case key), source, agency index, lead key, learning, action, days from today to the
# due date, days ago created, end state
ACTIONS = [
    (0, RR, 4, "barts", "Safe sleep advice was given once and not repeated when the family moved.",
     "Add safe sleep advice to every postnatal and health visiting contact checklist.", -250, 360, EMB),
    (0, RR, 9, "housing", "Temporary accommodation moves were not shared with health visitors.",
     "Notify the health visiting service within 2 working days of any family with a baby being moved.", -200, 350,
     CONFIRMED),
    (1, CSPR, 2, "police.lead", "Fathers and male carers were not seen or assessed.",
     "Brief all public protection officers on identifying and recording male carers.", -150, 330, CONFIRMED),
    (1, CSPR, 4, "barts", "A bruise on a non-mobile baby was not escalated under the protocol.",
     "Audit emergency department compliance with the bruising protocol and report to the Working Group.", -90,
     300, EMB),
    (2, RR, 7, "education", "School attendance concerns were not linked to exploitation risk.",
     "Add exploitation indicators to the attendance escalation pathway.", -60, 280, IP),
    (3, CSPR, 11, "youthjustice", "Information about the child's associates was held by one agency only.",
     "Set up a monthly exploitation information-sharing meeting with police and children's social care.", -30,
     260, DONE),
    (3, CSPR, 1, "csc.lead", "Strategy meetings did not include the school or youth justice.",
     "Revise the strategy meeting invitation list for adolescents at risk of exploitation.", -20, 240, IP),
    (4, RR, 6, "gp", "Missed health appointments for a baby were not followed up.",
     "Introduce a 'was not brought' protocol for children under two in all GP practices.", 20, 200, IP),
    (5, RR, 5, "elft", "The parent's mental health history was not considered in the child's plan.",
     "Include parental mental health in the think-family section of adult mental health assessments.", 45, 150,
     NS),
    (6, CSPR, 4, "barts", "Domestic abuse disclosures in maternity were not shared.",
     "Share maternity domestic abuse disclosures with the MASH on the same day.", 70, 120, IP),
    (7, RR, 1, "csc.lead", "The child's own views were not recorded in assessments.",
     "Audit 30 assessments for the voice of the child and repeat in six months.", 100, 90, NS),
    (8, RR, 2, "police.lead", "Police attending domestic incidents did not record children present.",
     "Add a mandatory 'children in the household' field to the domestic abuse risk assessment.", 120, 45, DONE),
    (9, SIN, 12, "earlyhelp", "Early help did not ask about the family's culture and identity.",
     "Deliver cultural competence training to early help practitioners.", 150, 20, NS),
    ("sent_to_national_panel", RR, 7, "education", "The school held concerns that did not reach children's "
     "social care.", "Remind designated safeguarding leads of the escalation route to the MASH.", 35, 10, NS),
    ("closed", SIN, 9, "housing", "Housing did not know the family had a child protection plan.",
     "Flag child protection plans on housing records, with consent rules agreed with children's social care.",
     -5, 100, IP),
]


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def load(context: dict) -> None:
    users, agency_list = context["users"], context["agency_list"]
    wg, manager = users["workinggroup"], users["manager"]
    history = context.get("history_cases") or []
    cases = context.get("cases", {})
    today = timezone.localdate()
    for case_key, source, agency_idx, lead_key, learning, description, due_in, created_ago, end in ACTIONS:
        case = history[case_key] if isinstance(case_key, int) and case_key < len(history) else cases.get(case_key)
        if case is None or Action.objects.filter(case=case, description=description).exists():
            continue
        agency = agency_list[agency_idx]
        lead = users.get(lead_key)
        created = today - datetime.timedelta(days=created_ago)
        due = today + datetime.timedelta(days=due_in)
        action = action_create(case=case, source=source, learning=learning, description=description, agency=agency,
                               owner=lead, due_on=due, actor=manager)
        Action.objects.filter(pk=action.pk).update(created_at=_aware(created))
        ActionUpdate.objects.filter(action=action).update(at=_aware(created))
        steps = []
        if end in (IP, DONE, CONFIRMED, EMB):
            steps.append((created + datetime.timedelta(days=min(30, created_ago // 3)), lead, ActionStatus.IN_PROGRESS,
                          "Work started; lead officer identified and plan agreed with the team."))
        if end in (DONE, CONFIRMED, EMB):
            done_on = min(due - datetime.timedelta(days=7), today - datetime.timedelta(days=3)) if end != DONE \
                else today - datetime.timedelta(days=4)
            steps.append((done_on, lead, ActionStatus.COMPLETED, "Completed. Evidence attached."))
        for on, author, status, note in steps:
            action_set_status(action=action, status=status, actor=author, note=note, on=on)
            latest = ActionUpdate.objects.filter(action=action).order_by("-id").first()
            ActionUpdate.objects.filter(pk=latest.pk).update(at=_aware(on))
            if status == ActionStatus.COMPLETED:
                Clock.objects.filter(subject_id=action.pk, state=ClockState.MET).update(met_at=_aware(on))
                ActionEvidence.objects.create(action=action, added_by=author, added_at=_aware(on),
                                              text="Briefing delivered; attendance list and audit results held "
                                                   "by the agency's safeguarding team.")
        if end in (CONFIRMED, EMB):
            action_confirm_completion(action=action, actor=wg)
            confirmed_on = action.completed_on + datetime.timedelta(days=10)
            Action.objects.filter(pk=action.pk).update(completion_confirmed_at=_aware(min(confirmed_on, today)))
            ActionUpdate.objects.filter(action=action, to_status="", note__startswith="Completion confirmed").update(
                at=_aware(min(confirmed_on, today)))
        if end == EMB:
            embedded_on = min(action.completed_on + datetime.timedelta(days=90), today - datetime.timedelta(days=1))
            action_set_status(action=action, status=ActionStatus.EMBEDDED, actor=wg, on=embedded_on,
                              note="Re-audit shows the change is now normal practice.")
            ActionUpdate.objects.filter(action=action, to_status=ActionStatus.EMBEDDED).update(at=_aware(embedded_on))
        if end == IP and due < today:
            action_set_status(action=action, status="", actor=lead,
                              note="Delayed: waiting for the new recording system to go live.")
    partnership = context["partnership"]
    for days_ago, notes in ((63, "Reviewed overdue actions; agreed to escalate two to agency leads."),
                            (21, "Confirmed three completions; one sent back for evidence.")):
        held = today - datetime.timedelta(days=days_ago)
        WorkingGroupMeeting.objects.get_or_create(partnership=partnership, held_on=held,
                                                  defaults={"notes": notes, "recorded_by": wg})
    _neighbour(context, today)


def _neighbour(context: dict, today: datetime.date) -> None:
    """One action on City & Hackney's own plan, from its own history (themes demo)."""
    history = context.get("neighbour_history_cases") or []
    neighbour_users = context.get("neighbour_users") or {}
    if not history or "manager" not in neighbour_users:
        return
    case = history[1] if len(history) > 1 else history[0]
    description = "Map the exploitation pathway with the Youth Justice Service and the Metropolitan Police."
    agency = case.partnership.agencies.order_by("name").first()
    if agency is None or Action.objects.filter(case=case, description=description).exists():
        return
    action_create(case=case, source=CSPR, learning="Information about exploitation risk stayed with one agency.",
                  description=description, agency=agency, owner=None, due_on=today + datetime.timedelta(days=60),
                  actor=neighbour_users["manager"])
