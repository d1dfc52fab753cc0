"""Assurance after "not met": the e-mail says what is asked, the agency's safeguarding lead answers in the app, the
business unit reads the answer on the case."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.notifications.models import Notification
from referrals.models import AssuranceRequest, Stage
from tests.factories import make_user
from tests.forms_as_rendered import page_form

from .factories import CaseFactory, partnership_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(db):
    return partnership_agency(name="Met Police")


@pytest.fixture
def lead(police):
    return make_user(Role.AGENCY_LEAD, agency=police, full_name="Lee Lead")


@pytest.fixture
def case(db):
    return CaseFactory(stage=Stage.NOT_MET, child_first_name="Ada", child_last_name="Brightwater")


def _ask(client, case, police, text="Tell us how the missed strategy meeting was followed up."):
    url = reverse("referrals:assurance_new", args=[case.pk])
    due = timezone.localdate() + datetime.timedelta(days=14)
    return page_form(client, url).fill(agency=police, request=text, due_on=due).submit()


def test_the_request_email_says_what_is_asked_and_links_to_the_answer_page(client, business_unit, case, police,
                                                                           lead):
    client.force_login(business_unit)
    assert _ask(client, case, police).status_code == 302
    item = AssuranceRequest.objects.get()
    email = Notification.objects.get(kind="referrals.assurance", to_email=lead.email)
    assert "Tell us how the missed strategy meeting was followed up." in email.body_text
    assert f"/assurance/{item.pk}/" in email.body_text
    assert "Ada" not in email.body_text and "Brightwater" not in email.body_text
    assert "will contact you with the details" not in email.body_text


def test_a_request_that_names_the_child_is_refused(client, business_unit, case, police):
    client.force_login(business_unit)
    response = _ask(client, case, police, text="Did anyone see Ada at home?")
    assert response.status_code == 200 and "Do not name the child" in response.content.decode()
    assert not AssuranceRequest.objects.exists()


def test_the_agency_lead_answers_in_the_app_and_the_business_unit_sees_it_on_the_case(
        client, business_unit, case, police, lead):
    client.force_login(business_unit)
    _ask(client, case, police)
    item = AssuranceRequest.objects.get()
    client.force_login(lead)
    dashboard = client.get(reverse("home")).content.decode()
    assert item.get_absolute_url() in dashboard
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200 and "missed strategy meeting" in page.content.decode()
    assert case.get_absolute_url() not in page.content.decode()  # the lead cannot open the case
    response = page_form(client, item.get_absolute_url(), response=page).fill(
        response="Strategy meetings are now chased within 24 hours; audited in May.").submit()
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_answered and item.response_recorded_by == lead
    assert Clock.objects.get(kind=ClockKind.ASSURANCE_REQUEST).state == ClockState.MET
    assert Notification.objects.filter(kind="referrals.assurance_answered", to_email=business_unit.email).exists()
    client.force_login(business_unit)
    case_page = client.get(case.get_absolute_url()).content.decode()
    assert "Strategy meetings are now chased within 24 hours" in case_page and "by Lee Lead" in case_page


def test_other_people_cannot_read_or_answer_the_request(client, business_unit, case, police, lead):
    client.force_login(business_unit)
    _ask(client, case, police)
    item = AssuranceRequest.objects.get()
    client.force_login(make_user(Role.AGENCY_LEAD, agency=partnership_agency(name="Other Trust")))
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.post(item.get_absolute_url(), {"response": "Not ours"}).status_code == 404
    client.force_login(make_user(Role.PANEL_MEMBER))
    assert client.post(item.get_absolute_url(), {"response": "Not mine"}).status_code == 403
    client.force_login(business_unit)  # reads it, but answers through "Record response" on the case
    assert client.post(item.get_absolute_url(), {"response": "Typed here"}).status_code == 403
    client.force_login(lead)
    assert client.delete(item.get_absolute_url()).status_code == 405
    item.refresh_from_db()
    assert not item.is_answered
