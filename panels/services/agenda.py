"""The agenda of a case's panel, and sending it with the link to the papers."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import User
from rapidreview.db import DomainError
from rapidreview.notifications.services import notify
from referrals.services import case_record_event

from .. import selectors
from ..models import Panel, PanelState
from .common import LONDON, lock, long_date, require_stage
from .invitations import papers_url


@transaction.atomic
def panel_agenda_save(*, panel: Panel, agenda: str, actor: User) -> Panel:
    panel = lock(panel)
    require_stage(panel.case)
    if panel.state == PanelState.HELD:
        raise DomainError("The panel has already met.")
    agenda = agenda.strip()
    if not agenda:
        raise DomainError("Enter the agenda.")
    if agenda != panel.agenda:
        panel.agenda = agenda
        panel.agenda_version += 1
        panel._history_user = actor
        panel.save()
    return panel


@transaction.atomic
def panel_agenda_send(*, panel: Panel, actor: User) -> int:
    """E-mail the agenda and the link to the papers to every invitee (once per version of the agenda)."""
    panel = lock(panel)
    require_stage(panel.case)
    if panel.state != PanelState.SCHEDULED:
        raise DomainError("Schedule the meeting before sending the agenda.")
    if not panel.agenda:
        raise DomainError("Write the agenda before sending it.")
    papers = papers_url(panel.case)
    local = panel.meeting_at.astimezone(LONDON)
    sent = 0
    for user in selectors.case_panel_members(panel.case):
        note = notify(to=user, subject=f"Agenda: rapid review panel for case {panel.case.reference}, "
                                       f"{long_date(local.date())}",
                      template="panels/email/agenda",
                      context={"panel": panel, "papers_url": papers, "local_start": local,
                               "panel_url": settings.SITE_URL + panel.get_absolute_url()},
                      kind="panels.agenda", key=f"panels:agenda:{panel.pk}:{user.pk}:{panel.agenda_version}",
                      partnership=panel.case.partnership, related=panel)
        sent += 1 if note else 0
    panel.agenda_sent_version = panel.agenda_version
    panel.agenda_sent_at = timezone.now()
    panel.save(update_fields=["agenda_sent_version", "agenda_sent_at", "updated_at"])
    if sent:
        case_record_event(case=panel.case, kind="panel", actor=actor, summary=f"Panel agenda sent to {sent} people")
    return sent
