import pytest
from django.urls import reverse

from rapidreview.accounts.models import Role
from rapidreview.notifications.models import Notification, NotificationStatus
from tests.factories import default_partnership, make_partnership, make_user

pytestmark = pytest.mark.django_db


def _row(status=NotificationStatus.FAILED, key="k", partnership="ours", subject="Agency check form due"):
    return Notification.objects.create(
        to_email="x@example.test", subject=subject, body_text="Hi", kind="clocks.due", idempotency_key=key,
        status=status, attempts=5, last_error="SMTPServerDisconnected: gone",
        partnership=default_partnership() if partnership == "ours" else partnership)


def test_the_outbox_lists_and_opens_the_acting_partnerships_emails_only(bu_client):
    neighbour = make_partnership("Neighbouring Safeguarding Children Partnership")
    _row(key="ours", subject="Our reminder")
    theirs = _row(key="theirs", subject="Their reminder", partnership=neighbour)
    installation = _row(key="installation", subject="Set a new password", partnership=None)
    page = bu_client.get(reverse("notifications:outbox")).content.decode()
    assert "Our reminder" in page and "Their reminder" not in page and "Set a new password" not in page
    for row in (theirs, installation):
        assert bu_client.get(reverse("notifications:detail", args=[row.pk])).status_code == 404
        assert bu_client.post(reverse("notifications:resend", args=[row.pk])).status_code == 404
        row.refresh_from_db()
        assert row.status == NotificationStatus.FAILED
    bu_client.force_login(make_user(Role.BUSINESS_UNIT, partnership=neighbour))
    page = bu_client.get(reverse("notifications:outbox")).content.decode()
    assert "Their reminder" in page and "Our reminder" not in page


def test_the_outbox_shows_what_to_whom_and_its_status(bu_client):
    _row()
    page = bu_client.get(reverse("notifications:outbox")).content.decode()
    assert "Agency check form due" in page and "x@example.test" in page and "SMTPServerDisconnected" in page
    assert "Resend" in page


def test_the_business_unit_resends_a_failed_email_once(bu_client, django_capture_on_commit_callbacks):
    from django.core import mail

    row = _row()
    with django_capture_on_commit_callbacks(execute=True):
        response = bu_client.post(reverse("notifications:resend", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert len(mail.outbox) == 1


def test_resending_a_sent_email_shows_a_message_and_sends_nothing(bu_client):
    from django.core import mail

    row = _row(status=NotificationStatus.SENT)
    response = bu_client.post(reverse("notifications:resend", args=[row.pk]), follow=True)
    assert "Only an e-mail that failed" in response.content.decode()
    assert mail.outbox == []


def test_only_the_business_unit_sees_the_outbox(client, agency_lead):
    row = _row()
    client.force_login(agency_lead)
    assert client.get(reverse("notifications:outbox")).status_code == 403
    assert client.post(reverse("notifications:resend", args=[row.pk])).status_code == 403


def test_resend_refuses_get(bu_client):
    row = _row()
    assert bu_client.get(reverse("notifications:resend", args=[row.pk])).status_code == 405


def test_the_outbox_query_count_is_constant(bu_client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _row(key="a")
    _row(key="b")
    bu_client.get(reverse("notifications:outbox"))
    with CaptureQueriesContext(connection) as two:
        bu_client.get(reverse("notifications:outbox"))
    for i in range(30):
        _row(key=f"many-{i}")
    with django_assert_num_queries(len(two)):
        bu_client.get(reverse("notifications:outbox"))


def test_the_business_unit_dashboard_shows_failed_and_retrying_emails(bu_client, client, agency_lead):
    _row(key="failed")
    retrying = _row(status=NotificationStatus.QUEUED, key="retrying")
    page = bu_client.get(reverse("home")).content.decode()
    assert "E-mails not delivered" in page and "1 failed" in page and "1 retrying" in page
    assert reverse("notifications:detail", args=[retrying.pk]) in page
    client.force_login(agency_lead)
    assert "E-mails not delivered" not in client.get(reverse("home")).content.decode()


def test_the_dashboard_shows_no_card_when_every_email_went(bu_client):
    _row(status=NotificationStatus.SENT)
    assert "E-mails not delivered" not in bu_client.get(reverse("home")).content.decode()


def test_the_outbox_lists_retrying_emails_on_their_own(bu_client):
    _row(key="failed")
    _row(status=NotificationStatus.QUEUED, key="retrying")
    Notification.objects.filter(idempotency_key="retrying").update(subject="Waiting for the mail server")
    page = bu_client.get(reverse("notifications:outbox") + "?status=retrying").content.decode()
    assert "Waiting for the mail server" in page and "Agency check form due" not in page
