"""A child harmed in another partnership's area: the partnerships agree who leads (issue 19, ADR 0025). The
partnership that received the referral asks the one where the incident happened to lead; it accepts or declines."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from rapidreview.accounts.models import Role
from rapidreview.clocks.models import Clock, ClockKind
from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification
from referrals.models import CaseParticipation, LeadHandover, Stage
from referrals.services import case_answer_lead, case_propose_lead, referral_submit
from tests.factories import default_partnership, make_partnership, make_user
from tests.forms_as_rendered import accepted, page_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(db):
    return make_partnership("Riverside Safeguarding Children Partnership", short_name="RSCP")


@pytest.fixture
def elsewhere_bu(elsewhere):
    return make_user(Role.BUSINESS_UNIT, partnership=elsewhere, full_name="Rhea Riverside")


@pytest.fixture
def received(business_unit):
    today = datetime.date.today()
    return referral_submit(source="professional", partnership=default_partnership(), actor=business_unit, data={
        "child_first_name": "Wilbur", "child_last_name": "Oddingley", "child_dob": datetime.date(2016, 1, 5),
        "harm": "serious_harm", "incident_date": today - datetime.timedelta(days=2),
        "la_aware_on": today - datetime.timedelta(days=1), "referrer_name": "Rita Referrer",
        "referrer_email": "rita@agency.example", "description": "Hurt while visiting a relative in Riverside."})


def test_the_partnership_where_it_happened_accepts_and_the_case_and_its_deadlines_move(
        client, business_unit, elsewhere, elsewhere_bu, received):
    client.force_login(business_unit)
    form = page_form(client, reverse("referrals:propose_lead", args=[received.pk]))
    accepted(form.fill(partnership=elsewhere, reason="The incident happened in Riverside.").submit())
    assert "has been asked to lead this case" in client.get(received.get_absolute_url()).content.decode()

    client.force_login(elsewhere_bu)
    page = client.get(received.get_absolute_url()).content.decode()
    assert "asks your partnership to lead this case" in page
    form = page_form(client, reverse("referrals:answer_lead", args=[received.pk]))
    accepted(form.fill(accept="yes").submit())

    received.refresh_from_db()
    assert received.partnership == elsewhere
    assert CaseParticipation.objects.get(case=received, ended_at__isnull=True).partnership == default_partnership()
    assert set(Clock.objects.filter(case_id=received.pk).values_list("partnership", flat=True)) == {elsewhere.pk}
    assert Clock.objects.filter(case_id=received.pk, kind=ClockKind.SIN_DECISION).exists()
    sent = Notification.objects.filter(kind__startswith="referrals.lead_")
    assert sent.count() == 3 and not any("Wilbur" in n.body_text or "Oddingley" in n.body_text for n in sent)
    assert all("Oddingley" not in message.body for message in mail.outbox)
    # The partnership that received the referral now reads it and changes nothing.
    client.force_login(business_unit)
    assert client.get(reverse("referrals:propose_lead", args=[received.pk])).status_code == 403


def test_declining_needs_a_reason_and_leaves_the_lead_where_it_was(business_unit, elsewhere, elsewhere_bu,
                                                                   received):
    case_propose_lead(case=received, actor=business_unit, partnership=elsewhere, reason="Happened in Riverside.")
    with pytest.raises(DomainError, match="Say why"):
        case_answer_lead(case=received, actor=elsewhere_bu, accept=False)
    case_answer_lead(case=received, actor=elsewhere_bu, accept=False, note="It happened on our border, in yours.")
    received.refresh_from_db()
    assert received.partnership == default_partnership()
    assert LeadHandover.objects.get().accepted is False


def test_only_the_asked_business_unit_answers_and_nothing_changes_otherwise(client, business_unit, chair, elsewhere,
                                                                           received):
    case_propose_lead(case=received, actor=business_unit, partnership=elsewhere, reason="Happened in Riverside.")
    url = reverse("referrals:answer_lead", args=[received.pk])
    third = make_user(Role.BUSINESS_UNIT, partnership=make_partnership("Third SCP", short_name="TSCP"))
    for person, status in ((business_unit, 403), (third, 404), (chair, 403),
                           (make_user(Role.RR_CHAIR, partnership=elsewhere), 403)):
        client.force_login(person)
        assert client.post(url, {"accept": "yes"}).status_code == status
    received.refresh_from_db()
    assert received.partnership == default_partnership() and LeadHandover.objects.get().answered_at is None


def test_the_lead_is_handed_over_only_before_the_threshold_discussion(client, business_unit, elsewhere, received):
    received.stage = Stage.THRESHOLD
    received.save()
    with pytest.raises(DomainError, match="before the case is sent"):
        case_propose_lead(case=received, actor=business_unit, partnership=elsewhere, reason="Riverside.")
    client.force_login(business_unit)
    assert client.get(reverse("referrals:propose_lead", args=[received.pk])).status_code == 302
    assert reverse("referrals:propose_lead", args=[received.pk]) not in client.get(
        received.get_absolute_url()).content.decode()
    assert not LeadHandover.objects.exists()


def test_the_reason_sent_by_e_mail_may_not_name_the_child(business_unit, elsewhere, received):
    with pytest.raises(DomainError, match="Do not name the child"):
        case_propose_lead(case=received, actor=business_unit, partnership=elsewhere, reason="Wilbur was there.")
    assert not LeadHandover.objects.exists()
