"""The panel page offers the actions ``panels.selectors.panel_actions`` decides, and only those."""

import dataclasses

from django.urls import reverse

from panels.models import Panel, PanelState
from panels.selectors import panel_actions
from referrals.models import Case, Stage


def _offered(user, case, panel) -> set[str]:
    case = Case.objects.get(pk=case.pk)
    panel = Panel.objects.filter(pk=panel.pk).first() if panel else None
    return {name for name, on in dataclasses.asdict(panel_actions(user, case, panel)).items() if on}


def test_the_business_unit_is_offered_what_the_panels_state_allows(bu, case, scheduled, traveller):
    assert _offered(bu, case, None) == {"set_up"}
    assert _offered(bu, case, scheduled) == {"change_invitees", "schedule", "write_agenda", "send_invitations",
                                             "cancel"}, "attendance and 'held' wait for the meeting day"
    traveller.move_to(scheduled.meeting_at)
    assert _offered(bu, case, scheduled) == {"change_invitees", "schedule", "write_agenda", "send_invitations",
                                             "record_attendance", "record_held", "cancel"}
    Panel.objects.filter(pk=scheduled.pk).update(agenda="1. Introductions", agenda_version=1, agenda_sent_version=0)
    assert "send_agenda" in _offered(bu, case, scheduled)
    Panel.objects.filter(pk=scheduled.pk).update(state=PanelState.HELD)
    assert _offered(bu, case, scheduled) == {"change_invitees"}


def test_nothing_is_offered_after_the_rapid_review_stage_or_to_a_panel_member(bu, case, scheduled, members):
    assert _offered(members["la"], case, scheduled) == set()
    Case.objects.filter(pk=case.pk).update(stage=Stage.DECISION)
    assert _offered(bu, case, scheduled) == set()


def test_the_page_shows_the_buttons_of_the_offered_actions_only(client, bu, case, scheduled, members, traveller):
    traveller.move_to(scheduled.meeting_at)
    url = reverse("panels:panel", args=[case.pk])
    client.force_login(bu)
    page = client.get(url).content.decode()
    assert reverse("panels:held", args=[case.pk]) in page and reverse("panels:cancel", args=[case.pk]) in page
    Panel.objects.filter(pk=scheduled.pk).update(state=PanelState.HELD)
    page = client.get(url).content.decode()
    assert reverse("panels:held", args=[case.pk]) not in page and reverse("panels:schedule", args=[case.pk]) not in page
    client.force_login(members["la"])
    page = client.get(url).content.decode()
    assert reverse("panels:set_up", args=[case.pk]) not in page
