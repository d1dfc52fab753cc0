"""The installation's administrator adds partnerships and their first business unit user, and sees no case content:
no case list, no case page, and no case-content model in the Django admin (issue 18)."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapidreview.accounts.models import Partnership, Role, RoleAssignment, User
from rapidreview.accounts.signals import partnership_created
from tests.factories import default_partnership, give_role, make_installation_admin, make_partnership, make_user
from tests.forms_as_rendered import page_form
from tests.referrals.factories import CaseFactory

pytestmark = pytest.mark.django_db

INSTALLATION = reverse("accounts:installation")
NEW = reverse("accounts:partnership_new")


@pytest.fixture
def admin_client(client):
    client.force_login(make_installation_admin(email="ida@example.test"))
    return client


def _new_partnership(admin_client, **fields):
    form = page_form(admin_client, NEW)
    return form.fill(**{"name": "City & Hackney Safeguarding Children Partnership", "short_name": "CHSCP",
                        "slug": "city-and-hackney", "contact_email": "chscp@hackney.example", **fields}).submit()


def test_the_administrator_starts_on_the_list_of_partnerships_with_how_many_people_each_has(admin_client):
    ours = default_partnership()
    make_user(Role.BUSINESS_UNIT, partnership=ours)
    make_user(Role.AGENCY_LEAD, Role.PANEL_MEMBER, partnership=ours)
    make_partnership("Neighbouring Safeguarding Children Partnership")
    response = admin_client.get(reverse("home"))
    assert (response.status_code, response["Location"]) == (302, INSTALLATION)
    page = admin_client.get(INSTALLATION).content.decode()
    assert ours.name in page and "Neighbouring Safeguarding Children Partnership" in page
    counts = re.findall(r'govuk-table__cell--numeric">(\d+)<', page)
    assert sorted(counts) == ["0", "2"]


def test_the_administrator_adds_a_partnership_and_a_new_business_unit_user_who_is_sent_a_set_password_link(
        admin_client, django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, partnership, actor, **kwargs):
        seen.append((partnership.slug, actor.email))

    partnership_created.connect(receiver, dispatch_uid="test-partnership-created")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = _new_partnership(admin_client, manager_email="Ayesha@Hackney.example",
                                        manager_name="Ayesha Patel")
    finally:
        partnership_created.disconnect(dispatch_uid="test-partnership-created")
    assert (response.status_code, response["Location"]) == (302, INSTALLATION)
    new = Partnership.objects.get(slug="city-and-hackney")
    assert seen == [("city-and-hackney", "ida@example.test")]
    manager = User.objects.get(email="ayesha@hackney.example")
    assert not manager.has_usable_password()
    assert list(manager.role_assignments.values_list("partnership", "role")) == [(new.pk, Role.BUSINESS_UNIT)]
    [message] = mail.outbox
    assert message.to == ["ayesha@hackney.example"] and new.name in message.subject
    assert message.from_email.startswith('"City & Hackney Safeguarding Children Partnership"') or \
        message.from_email.startswith("City & Hackney Safeguarding Children Partnership")
    assert "/accounts/reset/" in message.body and "City & Hackney Safeguarding Children Partnership business unit" \
        in message.body


def test_someone_with_an_account_elsewhere_is_given_the_role_without_a_new_account(
        admin_client, django_capture_on_commit_callbacks):
    existing = make_user(Role.BUSINESS_UNIT, email="sam@towerhamlets.example", full_name="Sam Okafor")
    with django_capture_on_commit_callbacks(execute=True):
        _new_partnership(admin_client, manager_email="sam@towerhamlets.example")
    new = Partnership.objects.get(slug="city-and-hackney")
    assert User.objects.filter(email__iexact="sam@towerhamlets.example").count() == 1
    assert existing.has_role_in(new, Role.BUSINESS_UNIT) or RoleAssignment.objects.filter(
        user=existing, partnership=new, role=Role.BUSINESS_UNIT).exists()
    existing.refresh_from_db()
    assert existing.has_usable_password()  # their password is theirs: no reset
    [message] = mail.outbox
    assert "/accounts/reset/" not in message.body and "?partnership=city-and-hackney" in message.body


def test_a_new_person_needs_a_name_and_a_slug_cannot_be_taken_twice(admin_client):
    response = _new_partnership(admin_client, manager_email="new@hackney.example")
    assert response.status_code == 200 and "Enter their full name" in response.content.decode()
    make_partnership("Other", slug="city-and-hackney")
    response = _new_partnership(admin_client, manager_email="new@hackney.example", manager_name="New Person")
    assert "A partnership already uses this address name" in response.content.decode()
    assert not User.objects.filter(email="new@hackney.example").exists()


def test_nobody_else_opens_the_installation_pages(client):
    for user in (make_user(Role.BUSINESS_UNIT), make_user(Role.AGENCY_LEAD)):
        client.force_login(user)
        assert client.get(INSTALLATION).status_code == 403
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, {"name": "X", "short_name": "X", "slug": "x", "contact_email": "x@example.test",
                                 "manager_email": "x@example.test", "manager_name": "X"}).status_code == 403
    assert not Partnership.objects.filter(slug="x").exists()


CASE_PAGES = ["referrals:case_list", "clocks:all", "clocks:mine", "notifications:outbox", "audit:log",
              "audit:retention", "accounts:people", "decisions:index", "actionplan:list", "themes:list",
              "agencychecks:index", "panels:calendar", "what_needs_me"]


@pytest.mark.parametrize("name", CASE_PAGES)
def test_the_administrator_opens_no_list_of_case_content(admin_client, name):
    assert admin_client.get(reverse(name)).status_code in (403, 404)


def test_the_administrator_opens_no_case_page(admin_client):
    case = CaseFactory(partnership=default_partnership())
    for name in ("referrals:case_detail", "audit:case_history"):
        assert admin_client.get(reverse(name, args=[case.pk])).status_code in (403, 404), name


def test_the_django_admin_lists_no_case_content_to_the_administrator_whatever_their_permissions(admin_client):
    admin = User.objects.get(email="ida@example.test")
    admin.user_permissions.set(Permission.objects.all())  # even granted everything, a staff account sees no cases
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "/django-admin/accounts/partnership/" in index and "/django-admin/accounts/user/" in index
    for app in ("referrals", "panels", "agencychecks", "decisions", "actionplan", "themes", "clocks", "audit",
                "notifications"):
        assert f"/django-admin/{app}/" not in index, app
    assert admin_client.get("/django-admin/agencychecks/agencycheckform/").status_code == 403
    assert admin_client.get("/django-admin/audit/accesslog/").status_code == 403
    assert admin_client.get("/django-admin/agencychecks/").status_code in (403, 404)


def test_a_superuser_still_reaches_the_case_content_admin(client):
    client.force_login(User.objects.create_superuser("root@example.test", "x-long-password-1", full_name="Root"))
    assert client.get("/django-admin/agencychecks/agencycheckform/").status_code == 200


def test_being_the_administrator_gives_no_role_in_a_partnership_but_a_role_still_does(client):
    admin = make_installation_admin()
    ours = default_partnership()
    give_role(admin, Role.WORKING_GROUP, partnership=ours)
    client.force_login(admin)
    assert client.get(reverse("actionplan:list")).status_code == 200  # their role's pages
    assert client.get(reverse("referrals:case_list")).status_code == 403  # not the business unit's
    assert client.get(INSTALLATION).status_code == 200


def test_the_list_of_partnerships_runs_the_same_queries_for_two_partnerships_as_for_twelve(
        admin_client, django_assert_num_queries):
    for n in range(2):
        make_user(Role.BUSINESS_UNIT, partnership=make_partnership(f"Partnership {n}"))
    admin_client.get(INSTALLATION)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(INSTALLATION)
    for n in range(2, 12):
        make_user(Role.BUSINESS_UNIT, Role.AGENCY_LEAD, partnership=make_partnership(f"Partnership {n}"))
    with django_assert_num_queries(len(few)):
        admin_client.get(INSTALLATION)
