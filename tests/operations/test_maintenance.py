"""The maintenance page an upgrade shows (docs/operations.md, "Upgrading")."""

import pytest

from rapidreview.accounts.models import Role, User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_every_page_answers_503_with_the_maintenance_page_while_on(client, settings):
    client.force_login(make_user(Role.BUSINESS_UNIT))
    settings.MAINTENANCE_MODE = True
    settings.MAINTENANCE_UNTIL = "6pm"
    for path in ("/", "/healthz", "/accounts/login/", "/cases/"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response["Retry-After"] == "600"
        assert b"Sorry, the service is unavailable" in response.content
        assert b"available again by 6pm" in response.content
    settings.MAINTENANCE_MODE = False
    assert client.get("/healthz").status_code == 200


def test_a_sign_in_during_maintenance_is_refused_and_changes_nothing(client, settings):
    user = make_user(Role.BUSINESS_UNIT)
    settings.MAINTENANCE_MODE = True
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 503
    assert User.objects.get(pk=user.pk).last_login is None
    assert "_auth_user_id" not in client.session
