"""Issue 21, finding 6: password reset tells nobody who has an account, goes through the outbox, and is limited."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.tasks import send_password_reset
from rapidreview.notifications.models import Notification, NotificationStatus
from tests.factories import UserFactory
from tests.forms_as_rendered import page_form


def _ask(client, email):
    return page_form(client, reverse("accounts:password_reset"), containing="email").fill(email=email).submit()


@pytest.mark.django_db
def test_the_page_does_the_same_work_whether_or_not_the_account_exists(client):
    """The request only hands the address to a background task: same answer, same queries, no e-mail in it."""
    UserFactory(email="known@example.test")
    answers, queries = [], []
    with mock.patch.object(send_password_reset, "delay") as delay:
        for email in ("known@example.test", "unknown@example.test"):
            form = page_form(client, reverse("accounts:password_reset"), containing="email").fill(email=email)
            with CaptureQueriesContext(connection) as captured:
                response = form.submit()
            answers.append((response.status_code, response["Location"]))
            queries.append([q["sql"].replace(email, "?") for q in captured.captured_queries])
    assert answers[0] == answers[1] == (302, reverse("accounts:password_reset_done"))
    assert queries[0] == queries[1]
    assert [c.args for c in delay.call_args_list] == [("known@example.test",), ("unknown@example.test",)]
    assert not Notification.objects.exists() and not mail.outbox


@pytest.mark.django_db
def test_the_reset_e_mail_goes_through_the_outbox_and_its_link_sets_a_new_password(
        client, django_capture_on_commit_callbacks):
    person = UserFactory(email="known@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        assert _ask(client, "Known@Example.test").status_code == 302
    note = Notification.objects.get(kind="accounts.password_reset")
    assert note.to_email == "known@example.test" and note.status == NotificationStatus.SENT
    assert len(mail.outbox) == 1
    link = next(word for word in mail.outbox[0].body.split() if "/accounts/reset/" in word)
    page = client.get(link[link.index("/accounts/"):], follow=True)
    assert page.status_code == 200
    new = "a long and unusual passphrase 7"
    response = page_form(client, page.redirect_chain[-1][0], containing="new_password1", response=page).fill(
        new_password1=new, new_password2=new).submit()
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new)


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_page_and_no_e_mail(client):
    response = _ask(client, "nobody@example.test")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert not Notification.objects.exists() and not mail.outbox


@pytest.mark.django_db
def test_resets_are_limited_per_account_silently(settings):
    settings.PASSWORD_RESET_ACCOUNT_LIMIT = 3
    UserFactory(email="target@example.test")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(6):
            clock.shift(datetime.timedelta(minutes=2))  # a new link each time, as in real use
            response = _ask(Client(REMOTE_ADDR=f"192.0.2.{n + 1}"), "target@example.test")
            assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert Notification.objects.filter(kind="accounts.password_reset").count() == 3


@pytest.mark.django_db
def test_resets_are_limited_per_network_address_with_a_message(settings):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 4
    client = Client(REMOTE_ADDR="192.0.2.50")
    for n in range(4):
        UserFactory(email=f"person{n}@example.test")
        assert _ask(client, f"person{n}@example.test").status_code == 302
    UserFactory(email="person9@example.test")
    response = _ask(client, "person9@example.test")
    assert response.status_code == 429 and b"Too many new passwords" in response.content
    assert Notification.objects.filter(kind="accounts.password_reset").count() == 4
