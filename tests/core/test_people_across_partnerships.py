"""A business unit manages its own partnership's people, roles, settings and agencies, and nothing of another's
(issue 18). Someone who works for two partnerships is one account with roles in each: each business unit sees only
the roles held with it."""

import pytest
from django.urls import reverse

from rapidreview.accounts.models import Agency, Role, RoleAssignment, User
from tests.factories import AgencyFactory, default_partnership, give_role, make_partnership, make_user
from tests.forms_as_rendered import page_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours():
    return default_partnership()


@pytest.fixture
def neighbour():
    return make_partnership("Neighbouring Safeguarding Children Partnership", short_name="NSCP")


@pytest.fixture
def our_bu(client, ours):
    client.force_login(make_user(Role.BUSINESS_UNIT, full_name="Bea Unit", partnership=ours))
    return client


@pytest.fixture
def shared_person(ours, neighbour):
    """A police lead who is an agency lead here and a panel member with a title next door."""
    person = make_user(Role.AGENCY_LEAD, full_name="Pat Police", email="pat@police.test", partnership=ours)
    give_role(person, Role.PANEL_MEMBER, partnership=neighbour, title="Neighbouring Secret Seat")
    return person


def test_the_people_list_shows_only_this_partnerships_people_and_their_roles_here(our_bu, shared_person, neighbour):
    make_user(Role.BUSINESS_UNIT, full_name="Nell Neighbour", partnership=neighbour)
    page = our_bu.get(reverse("accounts:people")).content.decode()
    assert "Pat Police" in page and "Agency safeguarding lead" in page
    assert "Nell Neighbour" not in page and "Panel member" not in page


def test_a_persons_page_shows_only_their_roles_here_and_their_account_is_not_ours_to_change(
        our_bu, shared_person):
    page = our_bu.get(reverse("accounts:person", args=[shared_person.public_id])).content.decode()
    assert "Agency safeguarding lead" in page
    assert "Neighbouring Secret Seat" not in page and "Panel member" not in page
    assert reverse("accounts:person_edit", args=[shared_person.public_id]) not in page
    response = our_bu.post(reverse("accounts:person_edit", args=[shared_person.public_id]),
                           {"full_name": "Renamed", "email": "renamed@example.test", "is_active": ""})
    assert response.status_code == 403
    shared_person.refresh_from_db()
    assert (shared_person.full_name, shared_person.email, shared_person.is_active) == (
        "Pat Police", "pat@police.test", True)


def test_another_partnerships_person_is_not_found_here(our_bu, neighbour):
    theirs = make_user(Role.BUSINESS_UNIT, full_name="Nell Neighbour", partnership=neighbour)
    for name in ("accounts:person", "accounts:person_edit", "accounts:role_add"):
        assert our_bu.get(reverse(name, args=[theirs.public_id])).status_code == 404, name
    assert our_bu.post(reverse("accounts:role_add", args=[theirs.public_id]),
                       {"role": Role.WORKING_GROUP, "starts_on": "2026-01-01"}).status_code == 404
    assert theirs.role_assignments.count() == 1


def test_another_partnerships_role_cannot_be_ended_from_here(our_bu, shared_person, neighbour):
    theirs = shared_person.role_assignments.get(partnership=neighbour)
    assert our_bu.post(reverse("accounts:role_end", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.ends_on is None


def test_a_role_given_here_belongs_to_this_partnership(our_bu, shared_person, ours):
    form = page_form(our_bu, reverse("accounts:role_add", args=[shared_person.public_id]))
    form.fill(role=Role.WORKING_GROUP, starts_on="2026-01-01").submit()
    assert shared_person.role_assignments.get(role=Role.WORKING_GROUP).partnership == ours


def test_a_substitute_is_offered_only_from_this_partnerships_people(our_bu, shared_person, neighbour):
    make_user(Role.PANEL_MEMBER, full_name="Nell Neighbour", partnership=neighbour)
    form = page_form(our_bu, reverse("accounts:role_add", args=[shared_person.public_id]))
    offered = {label for _, label in form.options("substitute")}
    assert "Pat Police" in offered and "Nell Neighbour" not in offered


def test_someone_with_an_account_elsewhere_is_given_a_role_here_by_email_without_showing_their_other_roles(
        our_bu, neighbour, ours):
    theirs = make_user(Role.PANEL_MEMBER, full_name="Nell Neighbour", email="nell@neighbour.test",
                       partnership=neighbour)
    page = our_bu.get(reverse("accounts:people")).content.decode()
    assert reverse("accounts:person_add_existing") in page
    form = page_form(our_bu, reverse("accounts:person_add_existing"))
    response = form.fill(email="Nell@Neighbour.test", role=Role.AGENCY_LEAD, starts_on="2026-01-01").submit()
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:person", args=[theirs.public_id]))
    assert User.objects.filter(email__iexact="nell@neighbour.test").count() == 1
    assert set(theirs.role_assignments.values_list("partnership", "role")) == {
        (neighbour.pk, Role.PANEL_MEMBER), (ours.pk, Role.AGENCY_LEAD)}
    page = our_bu.get(response["Location"]).content.decode()
    assert "Agency safeguarding lead" in page and "Panel member" not in page


def test_giving_a_role_to_an_address_nobody_has_says_so_and_creates_nothing(our_bu):
    form = page_form(our_bu, reverse("accounts:person_add_existing"))
    response = form.fill(email="nobody@example.test", role=Role.AGENCY_LEAD, starts_on="2026-01-01").submit()
    assert response.status_code == 200 and "No one has an account with this e-mail address" in response.content.decode()
    assert not User.objects.filter(email="nobody@example.test").exists()


def test_adding_a_new_person_with_an_address_that_has_an_account_points_to_adding_them_instead(our_bu, neighbour):
    make_user(Role.PANEL_MEMBER, email="nell@neighbour.test", partnership=neighbour)
    form = page_form(our_bu, reverse("accounts:person_new"))
    response = form.fill(full_name="Nell Again", email="nell@neighbour.test", first_role=Role.AGENCY_LEAD).submit()
    assert "Add someone who already has an account" in response.content.decode()
    assert User.objects.filter(email="nell@neighbour.test").count() == 1


def test_the_settings_page_changes_only_this_partnership(our_bu, ours, neighbour):
    police = AgencyFactory(name="Metropolitan Police")
    neighbour.agencies.add(police)
    form = page_form(our_bu, reverse("accounts:partnership"))
    assert "slug" not in form and "is_active" not in form  # the installation's administrator sets those
    assert "agencies" not in form  # chosen on the agencies page, found by name
    form.fill(name="Riverside Safeguarding Children Partnership", shares_benchmarks=True).submit()
    ours.refresh_from_db()
    neighbour.refresh_from_db()
    assert ours.name == "Riverside Safeguarding Children Partnership" and ours.shares_benchmarks
    assert neighbour.name == "Neighbouring Safeguarding Children Partnership" and not neighbour.shares_benchmarks


def test_the_business_unit_finds_agencies_by_name_and_adds_and_removes_them_for_its_partnership_only(
        our_bu, ours, neighbour):
    police, hospital = AgencyFactory(name="Metropolitan Police"), AgencyFactory(name="Barts Health NHS Trust")
    AgencyFactory(name="Closed Police Unit", is_active=False)
    neighbour.agencies.add(police)
    page = our_bu.get(reverse("accounts:agencies"), {"q": "police"}).content.decode()
    assert "Metropolitan Police" in page and "Closed Police Unit" not in page and "Barts" not in page
    form = page_form(our_bu, reverse("accounts:agencies") + "?q=police", action=reverse("accounts:agency_add",
                                                                                      args=[police.pk]))
    assert form.submit().status_code == 302
    assert set(ours.agencies.all()) == {police}
    page = our_bu.get(reverse("accounts:agencies"), {"q": "police"}).content.decode()
    assert reverse("accounts:agency_add", args=[police.pk]) not in page  # already listed: not offered again
    our_bu.post(reverse("accounts:agency_add", args=[hospital.pk]))
    our_bu.post(reverse("accounts:agency_remove", args=[police.pk]))
    assert set(ours.agencies.all()) == {hospital} and set(neighbour.agencies.all()) == {police}
    assert our_bu.get(reverse("accounts:agency_add", args=[police.pk])).status_code == 405
    # Another partnership's agency that is not in ours cannot be "removed" from ours.
    assert our_bu.post(reverse("accounts:agency_remove", args=[police.pk])).status_code == 404


def test_the_agencies_page_lists_this_partnerships_and_a_shared_one_is_not_ours_to_change(our_bu, ours, neighbour):
    police = AgencyFactory(name="Metropolitan Police")
    school = AgencyFactory(name="Riverside School")
    theirs = AgencyFactory(name="Homerton Healthcare NHS Foundation Trust")
    ours.agencies.add(police, school)
    neighbour.agencies.add(police, theirs)
    page = our_bu.get(reverse("accounts:agencies")).content.decode()
    assert "Metropolitan Police" in page and "Riverside School" in page and "Homerton" not in page
    assert "Shared" in page
    assert our_bu.get(reverse("accounts:agency_edit", args=[theirs.pk])).status_code == 404
    shared = our_bu.get(reverse("accounts:agency_edit", args=[police.pk]))
    assert shared.status_code == 200 and "administrator" in shared.content.decode()
    assert our_bu.post(reverse("accounts:agency_edit", args=[police.pk]),
                       {"name": "Renamed Police", "type": "police"}).status_code == 403
    police.refresh_from_db()
    assert police.name == "Metropolitan Police"
    page_form(our_bu, reverse("accounts:agency_edit", args=[school.pk])).fill(name="Riverside Academy").submit()
    school.refresh_from_db()
    assert school.name == "Riverside Academy"


def test_an_agency_added_here_joins_this_partnerships_arrangements_only(our_bu, ours, neighbour):
    form = page_form(our_bu, reverse("accounts:agency_new"))
    form.fill(name="Riverside Youth Service", type=form.options("type")[1][0]).submit()
    agency = Agency.objects.get(name="Riverside Youth Service")
    assert list(agency.partnerships.all()) == [ours]


def test_someone_new_is_added_with_a_first_role_in_this_partnership(our_bu, ours):
    form = page_form(our_bu, reverse("accounts:person_new"))
    form.fill(full_name="Pat Person", email="pat@example.test", first_role=Role.AGENCY_LEAD).submit()
    person = User.objects.get(email="pat@example.test")
    assert list(RoleAssignment.objects.filter(user=person).values_list("partnership", "role")) == [
        (ours.pk, Role.AGENCY_LEAD)]
