"""Issue 21, finding 5: lockout per (e-mail address, network address) pair, with a higher limit per network address."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.forms_as_rendered import page_form

OFFICE, ELSEWHERE = "203.0.113.10", "198.51.100.20"


def _sign_in(client, email, password=PASSWORD):
    return page_form(client, reverse("accounts:login"), containing="username").fill(
        username=email, password=password).submit()


@pytest.mark.django_db
def test_failures_from_elsewhere_do_not_lock_the_victim_out(settings):
    UserFactory(email="victim@example.test")
    attacker = Client(REMOTE_ADDR=ELSEWHERE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(attacker, "victim@example.test", "wrong-password-here")
    assert _sign_in(attacker, "victim@example.test").status_code == 429
    assert _sign_in(Client(REMOTE_ADDR=OFFICE), "victim@example.test").status_code == 302


@pytest.mark.django_db
def test_one_persons_mistakes_do_not_lock_everyone_behind_the_same_address(settings):
    UserFactory(email="typist@example.test")
    UserFactory(email="colleague@example.test")
    typist = Client(REMOTE_ADDR=OFFICE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(typist, "typist@example.test", "wrong-password-here")
    locked = _sign_in(typist, "typist@example.test")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "signing in with that e-mail address from this network connection is paused" in page
    assert _sign_in(Client(REMOTE_ADDR=OFFICE), "colleague@example.test").status_code == 302


@pytest.mark.django_db
def test_many_accounts_tried_from_one_address_lock_that_address_with_its_own_message(settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 3 * settings.AXES_FAILURE_LIMIT - 5
    UserFactory(email="innocent@example.test")
    sprayer = Client(REMOTE_ADDR=OFFICE)
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        _sign_in(sprayer, f"guess{n % 3}@example.test", "wrong-password-here")
    response = _sign_in(Client(REMOTE_ADDR=OFFICE), "innocent@example.test")
    assert response.status_code == 429
    page = response.content.decode()
    assert "too many failed attempts to sign in from this network connection" in page
    assert "e-mail address" not in page.split("<main", 1)[1]
    assert "_auth_user_id" not in sprayer.session
    assert _sign_in(Client(REMOTE_ADDR=ELSEWHERE), "innocent@example.test").status_code == 302
