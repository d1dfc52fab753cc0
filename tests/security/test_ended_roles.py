"""Issue 21, finding 1: an ended role opens nothing, from the moment it is ended.

Each person of the security world has their roles ended in turn (through the business unit's own "End role"
button, as it happens in the browser), then every address of the application is asked for as them, with the
objects of the case they were involved in. They must get nothing but their account page: no case page, no
form, no child's name anywhere.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.decorators import AUTH_AT_SESSION_KEY
from rapidreview.accounts.models import Role, RoleAssignment
from rapidreview.accounts.services import role_end
from tests.factories import make_user

from .access_table import PUBLIC
from .matrix import ask, outcome, routes, url_for
from .world import build_world

# Pages a person with no current role may still open: their own account and its security pages.
ACCOUNT_PAGES = {"accounts:account", "accounts:password_change", "accounts:mfa_setup", "accounts:mfa_verify",
                 "accounts:reauthenticate"}
ENDED = ("bu", "chair", "threshold", "panel", "lead", "exec", "wg", "other_lead", "conflicted", "other_exec")


def _end_every_role_in_the_browser(client, bu, person):
    """The business unit presses "End role" for each of ``person``'s current roles."""
    session = client.session
    session[AUTH_AT_SESSION_KEY] = timezone.now().timestamp()
    session.save()
    for assignment in RoleAssignment.objects.filter(user=person):
        if assignment.is_current():
            response = client.post(reverse("accounts:role_end", args=[assignment.pk]))
            assert response.status_code == 302, response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ENDED)
def test_a_person_whose_roles_were_ended_sees_nothing_but_their_account(client, settings, persona):
    settings.MFA_REQUIRED = False
    world = build_world()
    person = world.users[persona]
    admin = make_user(Role.BUSINESS_UNIT, full_name="Ending Admin")
    client.force_login(admin)
    _end_every_role_in_the_browser(client, admin, person)
    person.refresh_from_db()
    assert not [a for a in person.role_assignments.all() if a.is_current()], "the roles are still current today"

    client.logout()
    client.force_login(person)
    names = [world.objects[key]["case"].child_first_name.encode() for key in ("A", "B")]
    failures, asked = [], 0
    for route in routes():
        if route.name in PUBLIC:
            continue
        url, _ = url_for(route, world.objects["A"])
        response = ask(client, "get", url)
        asked += 1
        result = outcome(response)
        body = b"" if getattr(response, "streaming", False) else response.content
        if any(name in body for name in names):
            failures.append(f"GET {route.name}: shows a child's name")
        if route.name in ACCOUNT_PAGES or result in ("deny", "method"):
            continue
        if route.name == "home" and response.status_code == 302 \
                and response["Location"] == reverse("accounts:account"):
            continue
        failures.append(f"GET {route.name} ({url}): {response.status_code}")
    assert asked > 100
    assert not failures, "\n".join(failures)
    assert client.get(reverse("accounts:account")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("persona, role, case_key, pages", [
    # The invitation outlives the membership; the access must not.
    ("panel", Role.PANEL_MEMBER, "A", ("referrals:case_summary", "referrals:case_detail", "panels:panel")),
    ("exec", Role.EXECUTIVE, "B", ("referrals:case_summary", "referrals:case_detail")),
])
def test_ending_one_role_removes_what_it_gave_at_once_even_while_another_role_is_held(
        client, settings, persona, role, case_key, pages):
    settings.MFA_REQUIRED = False
    world = build_world()
    person = world.users[persona]
    RoleAssignment.objects.create(user=person, role=Role.WORKING_GROUP, partnership=world.partnership,
                                  starts_on=timezone.localdate() - datetime.timedelta(days=3))
    case = world.objects[case_key]["case"]
    client.force_login(person)
    summary = reverse("referrals:case_summary", args=[case.pk])
    assert client.get(summary).status_code == 200

    role_end(assignment=person.role_assignments.get(role=role), actor=world.users["bu"])

    for name in pages:
        response = client.get(reverse(name, args=[case.pk]))
        assert response.status_code in (403, 404), name
        assert case.child_first_name.encode() not in response.content


@pytest.mark.django_db
def test_ending_a_role_records_yesterday_as_its_last_day(bu_user):
    person = make_user(Role.WORKING_GROUP)
    assignment = person.role_assignments.get()
    role_end(assignment=assignment, actor=bu_user)
    assignment.refresh_from_db()
    assert assignment.ends_on == timezone.localdate() - datetime.timedelta(days=1)
    assert not assignment.is_current()
