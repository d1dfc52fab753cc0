"""The Serious Incident Notification page: every answer of the national form in its order, what the case lacks,
the access log, and nobody but the business unit (issue 17.7)."""

import datetime
import re

import pytest

from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction, AccessLog
from referrals.models import HouseholdMember, Referral, SinNotification, Stage, ThresholdOutcome
from referrals.services import referral_record_threshold
from tests.factories import default_partnership, make_user

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

PARTS = ["Notifier and contact details", "Reason for the notification", "The incident", "The child",
         "Looked-after status and other notifications", "Family and other children",
         "Agencies and other processes"]


@pytest.fixture
def met_case(business_unit, threshold_makers):
    case = CaseFactory(stage=Stage.THRESHOLD, child_first_name="Amina", child_last_name="Example",
                       incident_date=datetime.date(2026, 3, 2), la_aware_on=datetime.date(2026, 3, 3))
    Referral.objects.filter(case=case).update(
        child_sex="female", child_ethnicity="Somali", child_home_la="Tower Hamlets", child_address="1 Any Street",
        incident_la="Tower Hamlets", abuse_kinds=["neglect"], looked_after="yes", child_protection_plan="no",
        police_investigation="yes", description="Found alone at home with injuries.")
    HouseholdMember.objects.create(referral=case.referral, name="Sahra Example", relationship="Mother", age="31")
    referral_record_threshold(case=case, actor=business_unit, discussed_on=datetime.date(2026, 3, 5),
                              la_participant=threshold_makers["local_authority"],
                              health_participant=threshold_makers["health"],
                              police_participant=threshold_makers["police"], outcome=ThresholdOutcome.MET,
                              rationale="Neglect suspected and serious harm.")
    partnership = default_partnership()
    partnership.local_authority_name = "London Borough of Tower Hamlets"
    partnership.save()
    return case


def _url(case):
    return f"/cases/{case.pk}/sin/notification/"


def test_the_page_lays_out_the_form_in_order_and_lists_what_the_case_lacks(client, met_case, business_unit):
    business_unit.job_title, business_unit.phone = "Partnership manager", ""
    business_unit.save()
    client.force_login(business_unit)
    response = client.get(_url(met_case))
    assert response.status_code == 200
    page = response.content.decode()
    headings = re.findall(r'<h2 class="govuk-heading-m">\d+\. ([^<]+)</h2>', page)
    assert headings == PARTS
    for answer in ["London Borough of Tower Hamlets", "Partnership manager", "02/03/2026", "03/03/2026",
                   "Amina", "Example", "02/04/2015", "Female", "Somali", "1 Any Street", "Neglect",
                   "Found alone at home with injuries.", "Sahra Example, 31"]:
        assert answer in page, answer
    assert page.index("Notifier&#x27;s name") < page.index("Date of the incident") < page.index("First name")
    missing = page[page.index('id="missing"'):page.index("</ul>", page.index('id="missing"'))]
    for label in ["Time of the incident", "Where it happened (address or place)", "Notifier&#x27;s telephone number",
                  "Ofsted notified", "Secretary of State notified"]:
        assert label in missing, label
    assert "Ethnicity" not in missing and "Date of birth" not in missing
    assert 'data-copy="sin-4-1"' in page
    assert AccessLog.objects.filter(user=business_unit, action=AccessAction.VIEW, case_id=met_case.pk).exists()


def test_a_recorded_notification_fills_the_reference_and_the_looked_after_notifications(client, met_case,
                                                                                       business_unit):
    SinNotification.objects.create(case=met_case, notified_on=datetime.date(2026, 3, 6),
                                   notification_reference="CSPRP-7781", ofsted_notified="yes",
                                   secretary_of_state_notified="yes", recorded_by=business_unit)
    client.force_login(business_unit)
    page = client.get(_url(met_case)).content.decode()
    missing = page[page.index('id="missing"'):page.index("</ul>", page.index('id="missing"'))]
    assert "CSPRP-7781" in page and "06/03/2026" in page
    assert "Ofsted notified" not in missing and "Notification reference" not in missing


def test_the_case_page_links_the_business_unit_to_it(client, met_case, business_unit):
    client.force_login(business_unit)
    assert f'href="{_url(met_case)}"' in client.get(met_case.get_absolute_url()).content.decode()


def test_a_case_whose_threshold_was_not_met_has_no_notification_page(client, business_unit):
    case = CaseFactory(stage=Stage.NOT_MET)
    client.force_login(business_unit)
    response = client.get(_url(case))
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert not AccessLog.objects.filter(action=AccessAction.VIEW, case_id=case.pk).exists()


@pytest.mark.parametrize("role", [Role.RR_CHAIR, Role.THRESHOLD, Role.EXECUTIVE, Role.PANEL_MEMBER,
                                  Role.AGENCY_LEAD, Role.WORKING_GROUP])
def test_every_other_role_is_refused_and_nothing_is_logged_as_seen(client, met_case, role):
    person = make_user(role)
    client.force_login(person)
    response = client.get(_url(met_case))
    assert response.status_code == 403
    assert "Amina" not in response.content.decode()
    assert not AccessLog.objects.filter(user=person, action=AccessAction.VIEW).exists()


def test_the_page_answers_only_get(client, met_case, business_unit):
    client.force_login(business_unit)
    assert client.post(_url(met_case)).status_code == 405
