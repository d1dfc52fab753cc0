"""Issue 21, finding 8: a panel member declares a conflict only on a case they can see; nothing else is revealed."""

import pytest
from django.urls import reverse

from panels.models import ConflictOfInterest
from rapidreview.notifications.models import Notification
from referrals.models import CaseEvent, Stage
from tests.forms_as_rendered import page_form

from .world import build_world

DETAILS = {"nature": "I know the family", "implications": "I should not take part"}


def _declare(client, reference):
    return page_form(client, reverse("panels:conflict_declare"), containing="reference").fill(
        reference=reference, **DETAILS).submit()


@pytest.mark.django_db
def test_a_member_cannot_declare_on_a_case_they_cannot_see_and_learns_nothing_about_it(client, settings):
    settings.MFA_REQUIRED = False
    world = build_world()
    member = world.users["panel"]
    other = world.objects["B"]["case"]  # a case whose panel the member does not sit on
    closed = world.objects["A"]["case"].__class__.objects.create(
        partnership=world.partnership, reference="MX-2026-000C", stage=Stage.CLOSED, source="professional",
        child_first_name="Cassius", child_last_name="Closed")
    client.force_login(member)
    counts = (ConflictOfInterest.objects.count(), Notification.objects.count(), CaseEvent.objects.count())
    answers = set()
    for reference in (other.reference, other.reference.lower(), closed.reference, "MX-2026-9999", "nonsense"):
        response = _declare(client, reference)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Enter the reference of a case whose panel you sit on" in page
        assert other.get_stage_display() not in page.split("<main", 1)[1]
        answers.add(page.split("govuk-error-summary", 1)[1].split("</div>", 1)[0])
    assert len(answers) == 1, "the error differs between references: it tells something about them"
    assert (ConflictOfInterest.objects.count(), Notification.objects.count(), CaseEvent.objects.count()) == counts


@pytest.mark.django_db
def test_a_member_can_declare_on_a_case_whose_panel_they_sit_on(client, settings):
    settings.MFA_REQUIRED = False
    world = build_world()
    member = world.users["panel"]
    case = world.objects["A"]["case"]
    client.force_login(member)
    response = _declare(client, case.reference)
    assert response.status_code == 302
    assert ConflictOfInterest.objects.filter(case=case, user=member).exists()
