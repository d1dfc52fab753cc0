"""The case page offers "Record response" on an assurance request only when ``can_answer_assurance`` allows it."""

import datetime

from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.models import Role
from referrals.models import Case, Stage
from referrals.selectors import can_answer_assurance
from referrals.services import assurance_request_answer, assurance_request_create
from tests.factories import make_user
from tests.referrals.factories import CaseFactory, partnership_agency


def _not_met_case_with_request(business_unit):
    case = CaseFactory(stage=Stage.NOT_MET)
    item = assurance_request_create(case=case, actor=business_unit, agency=partnership_agency(), request="Assure us.",
                                    due_on=timezone.localdate() + datetime.timedelta(days=14))
    return case, item


def test_the_business_unit_is_offered_the_answer_while_the_case_is_not_met_and_unanswered(client, business_unit):
    case, item = _not_met_case_with_request(business_unit)
    answer_url = reverse("referrals:assurance_answer", args=[case.pk, item.pk])
    client.force_login(business_unit)
    assert answer_url in client.get(case.get_absolute_url()).content.decode()
    Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED)
    assert answer_url not in client.get(case.get_absolute_url()).content.decode()
    Case.objects.filter(pk=case.pk).update(stage=Stage.NOT_MET)
    assurance_request_answer(item=item, actor=business_unit, response="Training done.")
    item.refresh_from_db()
    assert not can_answer_assurance(business_unit, case, item)
    assert answer_url not in client.get(case.get_absolute_url()).content.decode()


def test_a_threshold_decision_maker_sees_the_request_but_is_not_offered_the_answer(client, business_unit):
    case, item = _not_met_case_with_request(business_unit)
    member = make_user(Role.THRESHOLD)
    client.force_login(member)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Assure us." in page
    assert reverse("referrals:assurance_answer", args=[case.pk, item.pk]) not in page
    assert not can_answer_assurance(member, case, item)
