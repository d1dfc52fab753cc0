"""Demo panels: a scheduled panel with its invitations in the outbox, the clustered pair with its alert, and held,
quorate panels for the cases at later stages. Keyed on the case (one panel per case), so loading twice changes
nothing. Cases come from ``context["cases"]`` (the referrals demo); a missing key is skipped. Everything here is
Tower Hamlets' (``context["partnership"]``): its register, its calendar, its panels."""

import datetime
import uuid
from zoneinfo import ZoneInfo

from django.utils import timezone

from rapidreview.accounts.models import Role, RoleAssignment
from rapidreview.workdays import add_working_days

from . import selectors, services
from .models import Attendance, ConflictOfInterest, Panel, PanelState

LONDON = ZoneInfo("Europe/London")
# Later-stage cases: the working day after the notification on which their panel met.
HELD = {"out_for_signature": 9, "disputed": 8, "sent_to_national_panel": 9, "cspr_in_progress": 9}
AGENDA = """1. Welcome, introductions and declarations of conflicts of interest
2. Overview of the case by the chair
3. Agency check forms: each agency presents
4. Key themes and areas for learning
5. Immediate learning and actions
6. Has the threshold for a Child Safeguarding Practice Review been met? Vote on the recommendation
7. Any other business"""


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def _case_by_case(users, *names) -> list:
    return [users[n].pk for n in names if n in users]


def load(context: dict) -> None:
    users, cases = context["users"], context.get("cases", {})
    partnership = context["partnership"]
    manager = users["manager"]
    today = timezone.localdate()
    _register_substitutes(users, partnership)

    case = cases.get("panel_scheduled")
    if case is not None and not Panel.objects.filter(case=case).exists() and case.sin_notified_on:
        involved = [users[n].agency for n in ("housing", "earlyhelp") if n in users]
        case.involved_agencies.add(*[a for a in involved if a])
        panel = services.panel_set_up(case=case, invitee_ids=_case_by_case(users, "housing", "earlyhelp"),
                                      actor=manager)
        services.panel_schedule(panel=panel, meeting_at=_at(add_working_days(today, 4, partnership=partnership)),
                                actor=manager,
                                venue="Tower Hamlets Town Hall, 160 Whitechapel Road, Committee Room 2",
                                online_link="https://meet.example.org/thscp-rapid-review")
        services.panel_agenda_save(panel=panel, agenda=AGENDA, actor=manager)
        services.panel_send_invitations(panel=panel, actor=manager)
        services.panel_agenda_send(panel=panel, actor=manager)
        if "police.panel" in users and "police.deputy" in users:
            # A conflict declared before the meeting, with the agreed substitute seated in the member's place.
            conflict = _conflict(case, users["police.panel"], manager,
                                 "I led the investigation into an earlier allegation about the child's father.",
                                 "I cannot review the police response independently.",
                                 "Access to the case removed; DI Joy Adebayo sits in her place for this case.")
            services.conflict_agree_substitute(conflict=conflict, substitute=users["police.deputy"], actor=manager)

    case = cases.get("forms_in_progress")
    if case is not None and not Panel.objects.filter(case=case).exists() and case.sin_notified_on:
        panel = services.panel_set_up(case=case, invitee_ids=_case_by_case(users, "school"), actor=manager)
        services.panel_schedule(panel=panel, meeting_at=_at(add_working_days(today, 6, partnership=partnership), 14),
                                actor=manager,
                                venue="", online_link="https://meet.example.org/thscp-rapid-review")
        services.panel_send_invitations(panel=panel, actor=manager)

    case = cases.get("clustered_a")
    if case is not None and not Panel.objects.filter(case=case).exists():
        services.panel_set_up(case=case, invitee_ids=_case_by_case(users, "youthjustice"), actor=manager)

    for key, day in HELD.items():
        case = cases.get(key)
        if case is None or case.sin_notified_on is None or Panel.objects.filter(case=case).exists():
            continue
        meeting_day = add_working_days(case.sin_notified_on, day, partnership=partnership)
        for _ in range(day):  # never on the day of, or next to, another of the partnership's panels (rule 23)
            if not (selectors.panels_on(meeting_day, partnership=partnership).exists()
                    or selectors.panels_next_to(meeting_day, partnership=partnership).exists()):
                break
            meeting_day = add_working_days(meeting_day, -1, partnership=partnership)
        else:
            continue
        if meeting_day >= today:
            continue
        _held_panel(case, meeting_day, users, manager)

    case = cases.get("cspr_in_progress")
    if case is not None and "elft" in users and not ConflictOfInterest.objects.filter(case=case).exists():
        _conflict(case, users["elft"], manager, "My team is providing ongoing therapeutic support to a sibling.",
                  "I cannot review my own team's practice independently in the practice review.",
                  "Declared at the start of the panel; took no part in the vote. Access to the case removed.")
        services.conflict_require_substitutes(case, actor=manager)


def _conflict(case, member, manager, nature: str, implications: str, handling: str):
    """A conflict the member declared themselves, with how the business unit handles it."""
    conflict = services.conflict_declare(case=case, user=member, actor=member, nature=nature,
                                         implications=implications)
    return services.conflict_record_handling(conflict=conflict, actor=manager, handling=handling)


def _register_substitutes(users, partnership) -> None:
    """Agreed substitutes in the partnership's membership register (the process asks for one per member)."""
    for member, substitute in (("police.panel", "police.lead"), ("nurse", "doctor"), ("chair", "csc.lead")):
        if member in users and substitute in users:
            RoleAssignment.objects.filter(user=users[member], partnership=partnership, role=Role.PANEL_MEMBER,
                                          substitute__isnull=True).update(substitute=users[substitute])


def _held_panel(case, meeting_day, users, manager) -> None:
    """A panel that met in the past, written directly: the services only schedule meetings in the future."""
    meeting_at = _at(meeting_day)
    panel = Panel.objects.create(
        case=case, state=PanelState.SCHEDULED, meeting_at=meeting_at, meeting_date=meeting_day,
        venue="Tower Hamlets Town Hall, Committee Room 2", agenda=AGENDA, agenda_version=1, agenda_sent_version=1,
        agenda_sent_at=meeting_at - datetime.timedelta(days=3), ics_uid=f"panel-{uuid.uuid4()}@rapidreview",
        invitations_sent_at=meeting_at - datetime.timedelta(days=6), created_by=manager)
    services.invitations_sync(panel=panel, invitee_ids=_case_by_case(users, "housing"))
    for inv in panel.invitations.select_related("user"):
        inv.sent_sequence = 0
        inv.attendance = Attendance.PRESENT
        if inv.user == users.get("gp"):
            inv.attendance = Attendance.APOLOGIES
        if inv.user == users.get("police.panel") and case.reference.endswith(("1", "3", "5", "7", "9")):
            inv.attendance, inv.substitute_name = Attendance.SUBSTITUTE, users["police.lead"].full_name
        inv.save()
    panel.state = PanelState.HELD
    panel.held_at = meeting_at + datetime.timedelta(hours=2)
    panel.held_recorded_by = manager
    panel.notes = "Quorate. Every agency presented its check form; themes and learning agreed."
    panel.save()
