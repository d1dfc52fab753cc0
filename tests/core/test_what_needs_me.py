"""The combined "What needs me" page (issue 18): for someone with roles in several partnerships, what needs them in
each, every item naming its partnership and linking into it. It is built from the same dashboard cards as the home
page, computed in each partnership in turn."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from rapidreview import registry
from rapidreview.accounts.middleware import PARTNERSHIP_SESSION_KEY
from rapidreview.accounts.models import Agency, Role, StatutoryPartner
from rapidreview.views import _links_in
from tests.clocks.factories import make_clock
from tests.factories import (
    AgencyFactory,
    default_partnership,
    give_role,
    make_executive,
    make_partnership,
    make_user,
)

pytestmark = pytest.mark.django_db
WHAT_NEEDS_ME = reverse("what_needs_me")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 9, 10, 0), tick=False):
        yield


@pytest.fixture
def core_cards_only(monkeypatch):
    """Only the core's own cards (deadlines), so that the page's mechanism is tested on its own."""
    monkeypatch.setattr(registry, "_cards", [c for c in registry._cards if c.template.startswith("clocks/")])


@pytest.fixture
def ours():
    return default_partnership()


@pytest.fixture
def neighbour():
    return make_partnership("Neighbouring Safeguarding Children Partnership", short_name="NSCP")


@pytest.fixture
def police_lead(ours, neighbour, monkeypatch):
    police = AgencyFactory(name="Metropolitan Police")
    lead = make_user(Role.AGENCY_LEAD, agency=police, full_name="Aisha Begum", partnership=ours)
    give_role(lead, Role.AGENCY_LEAD, partnership=neighbour)
    monkeypatch.setattr(Agency, "get_absolute_url", lambda self: f"/agency-checks/{self.pk}/", raising=False)
    return lead


def test_each_partnerships_items_are_listed_under_it_and_link_into_it(client, police_lead, ours, neighbour,
                                                                      core_cards_only):
    police = police_lead.agency
    ours_form = make_clock(start=datetime.date(2026, 3, 2), partnership=ours, owner_agency=police)
    theirs_form = make_clock(start=datetime.date(2026, 2, 2), partnership=neighbour, owner_agency=police)
    client.force_login(police_lead)
    page = client.get(WHAT_NEEDS_ME).content.decode()
    ours_at, theirs_at = page.index(f'id="partnership-{ours.slug}"'), page.index(f'id="partnership-{neighbour.slug}"')
    assert theirs_at < ours_at  # by name
    their_section, our_section = page[theirs_at:ours_at], page[ours_at:]
    assert f"{theirs_form.url}?partnership={neighbour.slug}" in their_section
    assert f"{ours_form.url}" not in their_section
    assert f"{ours_form.url}?partnership={ours.slug}" in our_section
    assert f'href="{reverse("clocks:mine")}?partnership={ours.slug}"' in our_section
    assert "NSCP" in their_section and "SCP" in our_section
    assert "1 overdue</strong>" in their_section and "overdue</strong>" not in our_section


def test_the_page_leaves_the_reader_acting_where_they_were(client, police_lead, ours, neighbour, core_cards_only):
    client.force_login(police_lead)
    client.get(f"{reverse('clocks:mine')}?partnership={ours.slug}")
    client.get(WHAT_NEEDS_ME)
    assert client.session[PARTNERSHIP_SESSION_KEY] == ours.pk


def test_an_executive_of_two_partnerships_sees_both(client, ours, neighbour, core_cards_only):
    person = make_executive(StatutoryPartner.HEALTH, partnership=ours)
    give_role(person, Role.EXECUTIVE, partnership=neighbour, statutory_partner=StatutoryPartner.HEALTH)
    client.force_login(person)
    page = client.get(WHAT_NEEDS_ME).content.decode()
    assert ours.name in page and neighbour.name in page
    assert page.count("Nothing needs you in") == 2


def test_the_home_page_links_to_it_only_for_someone_with_several_partnerships(client, police_lead, ours,
                                                                              core_cards_only):
    client.force_login(police_lead)
    assert WHAT_NEEDS_ME in client.get(reverse("home")).content.decode()
    client.force_login(make_user(Role.AGENCY_LEAD, partnership=ours))
    assert WHAT_NEEDS_ME not in client.get(reverse("home")).content.decode()


def test_a_partnership_where_the_reader_has_no_role_is_not_shown(client, police_lead, core_cards_only):
    elsewhere = make_partnership("Faraway Safeguarding Children Partnership")
    make_clock(start=datetime.date(2026, 2, 2), partnership=elsewhere, owner_agency=police_lead.agency)
    client.force_login(police_lead)
    assert "Faraway" not in client.get(WHAT_NEEDS_ME).content.decode()


def test_links_into_the_service_carry_the_partnership_and_others_are_left_alone(ours):
    html = ('<a href="/cases/1/">a</a> <a href="/x/?page=2#top">b</a> <a href="https://gov.uk/">c</a> '
            '<a href="#main">d</a>')
    assert _links_in(html, ours) == (
        f'<a href="/cases/1/?partnership={ours.slug}">a</a> <a href="/x/?page=2&amp;partnership={ours.slug}#top">b</a> '
        '<a href="https://gov.uk/">c</a> <a href="#main">d</a>')
