"""People, roles and partnership settings: who may administer them, and what they do."""

import datetime

import pytest
from django.urls import reverse

from rapidreview.accounts.models import Role, RoleAssignment, User
from rapidreview.accounts.selectors import executive_chair, users_with_role
from tests.factories import (
    PASSWORD,
    RoleAssignmentFactory,
    UserFactory,
    default_partnership,
    make_partnership,
    make_user,
)
from tests.forms_as_rendered import page_form


@pytest.mark.django_db
def test_a_person_signs_in_with_their_email_in_any_case(client):
    UserFactory(email="lead@example.test")
    response = client.post(reverse("accounts:login"), {"username": "Lead@Example.TEST", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_a_wrong_password_gives_an_error_that_does_not_say_which_part_was_wrong(client):
    UserFactory(email="lead@example.test")
    response = client.post(reverse("accounts:login"), {"username": "lead@example.test", "password": "nope"})
    assert response.status_code == 200
    assert "Enter a correct e-mail address and password" in response.content.decode()
    assert 'value="lead@example.test"' in response.content.decode()


@pytest.mark.django_db
def test_an_ended_role_no_longer_counts():
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.EXECUTIVE, starts_on=datetime.date(2020, 1, 1),
                          ends_on=datetime.date(2021, 1, 1))
    assert not User.objects.get(pk=user.pk).has_role(Role.EXECUTIVE)
    assert user not in users_with_role(Role.EXECUTIVE, partnership=default_partnership())


@pytest.mark.django_db
def test_a_person_can_hold_several_roles():
    user = make_user(Role.PANEL_MEMBER, Role.AGENCY_LEAD)
    assert user.has_role(Role.PANEL_MEMBER) and user.has_role(Role.AGENCY_LEAD)
    assert not user.has_role(Role.BUSINESS_UNIT)


@pytest.mark.django_db
def test_the_executive_chair_is_found_by_role_attribute():
    chair = UserFactory()
    RoleAssignmentFactory(user=chair, role=Role.EXECUTIVE, statutory_partner="local_authority", is_chair=True)
    RoleAssignmentFactory(role=Role.EXECUTIVE, statutory_partner="police")
    assert executive_chair(partnership=default_partnership()) == chair
    elsewhere = make_partnership("Neighbouring Safeguarding Children Partnership")
    assert executive_chair(partnership=elsewhere) is None  # a chair is the chair of their own partnership only


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["accounts:people", "accounts:partnership", "accounts:agencies",
                                      "accounts:person_new", "accounts:agency_new"])
def test_only_the_business_unit_administers_people_and_settings(client, url_name):
    client.force_login(make_user(Role.AGENCY_LEAD))
    assert client.get(reverse(url_name)).status_code == 403
    assert client.post(reverse(url_name), {}).status_code == 403
    client.force_login(make_user(Role.BUSINESS_UNIT))
    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.django_db
def test_business_unit_changes_a_clock_duration_in_the_app(bu_client):
    response = page_form(bu_client, reverse("accounts:partnership")).fill(panel_meeting_working_days=12).submit()
    assert response.status_code == 302
    assert default_partnership().panel_meeting_working_days == 12


@pytest.mark.django_db
def test_bad_settings_show_an_error_and_keep_what_was_typed(bu_client):
    form = page_form(bu_client, reverse("accounts:partnership"))
    response = form.fill(panel_meeting_working_days="ten", name="A new name").submit()
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert 'value="A new name"' in body
    assert default_partnership().name != "A new name"


@pytest.mark.django_db
def test_business_unit_adds_a_person_and_gives_them_a_role(bu_client):
    form = page_form(bu_client, reverse("accounts:person_new"))
    response = form.fill(full_name="New Person", email="New@Example.test", job_title="Lead",
                         first_role=Role.WORKING_GROUP).submit()
    person = User.objects.get(email="new@example.test")
    assert response.status_code == 302
    assert not person.has_usable_password()
    assert person.role_assignments.get().partnership == default_partnership()
    response = bu_client.post(reverse("accounts:role_add", args=[person.public_id]), {
        "role": Role.EXECUTIVE, "statutory_partner": "", "starts_on": "2026-01-01"})
    assert response.status_code == 200  # an executive must say which partner they sign for
    assert not RoleAssignment.objects.filter(user=person, role=Role.EXECUTIVE).exists()
    bu_client.post(reverse("accounts:role_add", args=[person.public_id]), {
        "role": Role.EXECUTIVE, "statutory_partner": "police", "starts_on": "2026-01-01"})
    assert User.objects.get(pk=person.pk).has_role(Role.EXECUTIVE)


@pytest.mark.django_db
def test_ending_a_role_keeps_its_history(bu_client):
    assignment = RoleAssignmentFactory(role=Role.PANEL_MEMBER, starts_on=datetime.date(2025, 1, 1))
    response = bu_client.post(reverse("accounts:role_end", args=[assignment.pk]))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on is not None
    assert assignment.history.count() == 2


@pytest.mark.django_db
def test_role_end_refuses_get(bu_client):
    assignment = RoleAssignmentFactory()
    assert bu_client.get(reverse("accounts:role_end", args=[assignment.pk])).status_code == 405
