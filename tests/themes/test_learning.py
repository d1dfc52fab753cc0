import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.clocks.ladders import reminder_owners
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification
from rapidreview.pdf import Marking
from tests.factories import AgencyFactory, default_partnership, make_partnership, make_user
from tests.pdfs import assert_pdf_of_record, pdf_text
from themes.learning import learning_bulletin_send, learning_create, learning_follow_up_done
from themes.models import LearningItem, LearningKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(db):
    """The tests' partnership's arrangements, and an agency that serves only another partnership."""
    default_partnership().agencies.add(
        AgencyFactory(name="Partner A", distribution_email="a@partners.test"),
        AgencyFactory(name="Partner B", distribution_email="b@partners.test"),
        AgencyFactory(name="Partner C", distribution_email="A@partners.test"),  # same list as A
        AgencyFactory(name="Closed", distribution_email="closed@partners.test", is_active=False))
    make_partnership("Elsewhere SCP").agencies.add(
        AgencyFactory(name="Elsewhere Council", distribution_email="elsewhere@partners.test"))


def bulletin(actor, partnership=None):
    return learning_create(kind=LearningKind.BULLETIN, actor=actor, partnership=partnership or default_partnership(),
                           title="Safe sleep learning", date=timezone.localdate(),
                           body="Talk to every family about safe sleep.")


def test_a_bulletin_is_sent_once_to_each_active_partner_address_and_archived(business_unit, partners):
    item = bulletin(business_unit)
    assert learning_bulletin_send(item=item, actor=business_unit) == 2
    item.refresh_from_db()
    assert item.is_sent and item.sent_to_count == 2
    assert sorted(Notification.objects.values_list("to_email", flat=True)) == ["a@partners.test", "b@partners.test"]
    with pytest.raises(DomainError, match="already been sent"):
        learning_bulletin_send(item=item, actor=business_unit)
    assert Notification.objects.count() == 2


def test_sending_a_bulletin_in_the_browser_delivers_the_emails_exactly_once(client, business_unit, partners,
                                                                          django_capture_on_commit_callbacks):
    item = bulletin(business_unit)
    client.force_login(business_unit)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("themes:bulletin_send", args=[item.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("themes:bulletin_send", args=[item.pk]))
    assert sorted(m.to[0] for m in mail.outbox) == ["a@partners.test", "b@partners.test"]
    assert "Talk to every family" in mail.outbox[0].body
    assert client.get(reverse("themes:bulletin_send", args=[item.pk])).status_code == 405


def test_a_sent_bulletin_cannot_be_changed(client, business_unit, partners):
    item = bulletin(business_unit)
    learning_bulletin_send(item=item, actor=business_unit)
    client.force_login(business_unit)
    response = client.get(reverse("themes:learning_edit", args=[item.pk]))
    assert response.status_code == 302


def test_a_bulletin_is_a_published_pdf_with_no_protective_marking(client, business_unit):
    item = bulletin(business_unit)
    client.force_login(business_unit)
    response = client.get(reverse("themes:bulletin_pdf", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'inline; filename="learning-bulletin-{item.date.isoformat()}.pdf"'
    assert_pdf_of_record(response.content, title=item.title, marking=Marking.NONE)
    assert item.title in pdf_text(response.content)


def test_only_the_business_unit_uses_learning(client, business_unit):
    item = bulletin(business_unit)
    client.force_login(make_user(Role.RR_CHAIR))
    assert client.get(reverse("themes:learning")).status_code == 403
    assert client.post(reverse("themes:bulletin_send", args=[item.pk])).status_code == 403
    with pytest.raises(DomainError):
        learning_create(kind=LearningKind.CONFERENCE, actor=make_user(Role.RR_CHAIR), title="x",
                        partnership=default_partnership(), date=timezone.localdate())


def test_a_follow_up_date_is_a_clock_met_when_the_follow_up_is_done(business_unit):
    due = timezone.localdate() + datetime.timedelta(days=20)
    item = learning_create(kind=LearningKind.CONFERENCE, actor=business_unit, partnership=default_partnership(),
                           title="November conference",
                           date=timezone.localdate() + datetime.timedelta(days=5), audience="All partners",
                           follow_up="Send the slides and survey", follow_up_on=due)
    clock = Clock.objects.get(subject_id=item.pk)
    assert (clock.kind, clock.due_on) == (ClockKind.LEARNING_EVENT, due)
    assert business_unit in reminder_owners(item, clock)
    learning_follow_up_done(item=item, actor=business_unit)
    assert Clock.objects.get(subject_id=item.pk).state == ClockState.MET
    with pytest.raises(DomainError, match="already"):
        learning_follow_up_done(item=item, actor=business_unit)


def test_business_unit_plans_an_event_in_the_browser_and_sees_it_on_the_dashboard(client, business_unit):
    client.force_login(business_unit)
    when = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(reverse("themes:learning_create", args=["agency_visit"]), {
        "title": "Visit to the GP forum", "date_0": when.day, "date_1": when.month, "date_2": when.year,
        "audience": "GPs", "materials_url": "not a url"})
    assert response.status_code == 200 and "Enter a web address" in response.content.decode()
    response = client.post(reverse("themes:learning_create", args=["agency_visit"]), {
        "title": "Visit to the GP forum", "date_0": when.day, "date_1": when.month, "date_2": when.year,
        "audience": "GPs"})
    assert response.status_code == 302
    assert LearningItem.objects.get().kind == LearningKind.AGENCY_VISIT
    assert "Visit to the GP forum" in client.get(reverse("home")).content.decode()
    assert "Visit to the GP forum" in client.get(reverse("themes:learning")).content.decode()
