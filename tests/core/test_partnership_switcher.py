"""Someone who works for several partnerships sees which one every page shows and switches between them from the
header (issue 18). A switch is logged; a partnership where they hold no role is refused and changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from rapidreview.accounts.middleware import PARTNERSHIP_SESSION_KEY
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction, AccessLog
from tests.factories import default_partnership, give_role, make_partnership, make_user
from tests.forms_as_rendered import page_form

pytestmark = pytest.mark.django_db

SWITCH = reverse("accounts:switch_partnership")
# Any page has the header; this one shows nothing that other partnerships' apps add.
PAGE = reverse("clocks:mine")


@pytest.fixture
def ours():
    return default_partnership()


@pytest.fixture
def neighbour():
    return make_partnership("Neighbouring Safeguarding Children Partnership", short_name="NSCP")


@pytest.fixture
def two_partnership_lead(ours, neighbour):
    """An agency lead in both partnerships (a police force's safeguarding lead)."""
    lead = make_user(Role.AGENCY_LEAD, full_name="Pat Police", partnership=ours)
    give_role(lead, Role.AGENCY_LEAD, partnership=neighbour)
    return lead


def _header_partnership(response) -> str:
    body = response.content.decode()
    start = body.index('class="moj-identity-bar__title"')
    return body[start:body.index("</span>", body.index("</strong>", start))]


def test_every_page_says_which_partnership_it_shows(client, ours):
    client.force_login(make_user(Role.BUSINESS_UNIT, partnership=ours))
    for url in (reverse("accounts:account"), reverse("clocks:mine"), reverse("accounts:people")):
        response = client.get(url)
        assert ours.name in _header_partnership(response), url
        assert f"– {ours.short_name}</title>" in response.content.decode()


def test_someone_with_one_partnership_gets_no_switcher(client, ours):
    client.force_login(make_user(Role.AGENCY_LEAD, partnership=ours))
    assert SWITCH not in client.get(PAGE).content.decode()


def test_someone_with_two_partnerships_switches_from_the_header_and_lands_on_the_home_page(
        client, two_partnership_lead, ours, neighbour):
    client.force_login(two_partnership_lead)
    assert neighbour.name in _header_partnership(client.get(PAGE))  # the first of their partnerships by name
    form = page_form(client, PAGE, action=SWITCH)
    assert form.options("partnership") == [(neighbour.slug, neighbour.name), (ours.slug, ours.name)]
    response = form.fill(partnership=ours.slug).submit()
    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    assert client.session[PARTNERSHIP_SESSION_KEY] == ours.pk
    assert ours.name in _header_partnership(client.get(PAGE))
    line = AccessLog.objects.get(action=AccessAction.SWITCH)
    assert (line.user, line.partnership, line.object_id) == (two_partnership_lead, ours, str(ours.pk))


def test_switching_to_a_partnership_where_they_hold_no_role_changes_nothing(client, two_partnership_lead, neighbour):
    elsewhere = make_partnership("Faraway Safeguarding Children Partnership")
    make_user(Role.BUSINESS_UNIT, partnership=elsewhere)
    client.force_login(two_partnership_lead)
    client.get(PAGE)
    before = client.session[PARTNERSHIP_SESSION_KEY]
    for slug in (elsewhere.slug, "no-such-partnership", ""):
        assert client.post(SWITCH, {"partnership": slug}).status_code == 404
        assert client.session[PARTNERSHIP_SESSION_KEY] == before == neighbour.pk
    assert not AccessLog.objects.filter(action=AccessAction.SWITCH).exists()
    assert neighbour.name in _header_partnership(client.get(PAGE))


def test_an_ended_role_is_no_partnership_to_switch_to(client, two_partnership_lead, ours, neighbour):
    client.force_login(two_partnership_lead)
    two_partnership_lead.role_assignments.filter(partnership=ours).update(ends_on="2020-01-01")
    assert client.post(SWITCH, {"partnership": ours.slug}).status_code == 404
    assert SWITCH not in client.get(PAGE).content.decode()  # one partnership left: no switcher


def test_the_switcher_takes_only_a_post_with_its_csrf_token(two_partnership_lead, ours):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(two_partnership_lead)
    strict.get(PAGE)
    before = strict.session[PARTNERSHIP_SESSION_KEY]
    assert strict.post(SWITCH, {"partnership": ours.slug}).status_code == 403
    assert strict.session[PARTNERSHIP_SESSION_KEY] == before
    assert strict.get(SWITCH).status_code == 405


def test_a_link_naming_another_of_my_partnerships_opens_there(client, two_partnership_lead, ours, neighbour):
    client.force_login(two_partnership_lead)
    response = client.get(f"{PAGE}?partnership={ours.slug}")
    assert ours.name in _header_partnership(response)
    assert client.session[PARTNERSHIP_SESSION_KEY] == ours.pk
