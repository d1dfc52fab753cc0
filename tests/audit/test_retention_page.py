"""Retention from the browser: one business unit member proposes anonymising a case past its period, a different
one confirms; both steps are kept in the case's history."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.audit.models import RetentionAction, RetentionProposal
from referrals.models import Case, Stage
from tests.factories import default_partnership, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 0), tick=False):
        yield


@pytest.fixture
def old_case(db):
    return Case.objects.create(reference="RET-0001", source="professional", stage=Stage.CLOSED,
                               partnership=default_partnership(),
                               child_first_name="Zephyrine", child_last_name="Quillfeather",
                               closed_at=timezone.make_aware(datetime.datetime(2015, 1, 10, 12)))


@pytest.fixture
def sam(db):
    return make_user(Role.BUSINESS_UNIT, full_name="Sam Proposer")


@pytest.fixture
def jo(db):
    return make_user(Role.BUSINESS_UNIT, full_name="Jo Confirmer")


def _page(client):
    return client.get(reverse("audit:retention")).content.decode()


def test_a_second_business_unit_member_confirms_before_a_case_is_anonymised(client, old_case, sam, jo):
    client.force_login(sam)
    assert reverse("audit:retention_propose", args=[old_case.pk]) in _page(client)
    client.post(reverse("audit:retention_propose", args=[old_case.pk]))
    proposal = RetentionProposal.objects.get()
    page = _page(client)
    assert "Waiting for another member of the business unit to confirm" in page
    assert reverse("audit:retention_confirm", args=[proposal.pk]) not in page
    # The proposer cannot confirm their own proposal, even by posting.
    client.post(reverse("audit:retention_confirm", args=[proposal.pk]))
    old_case.refresh_from_db()
    assert old_case.child_first_name == "Zephyrine" and not RetentionAction.objects.exists()
    client.force_login(jo)
    assert reverse("audit:retention_confirm", args=[proposal.pk]) in _page(client)
    assert client.post(reverse("audit:retention_confirm", args=[proposal.pk])).status_code == 302
    old_case.refresh_from_db()
    assert old_case.child_first_name == "Anonymised" and old_case.child_last_name == ""
    assert RetentionAction.objects.get(case_id=old_case.pk).by == jo
    history = " ".join(client.get(reverse("audit:case_history", args=[old_case.pk])).content.decode().split())
    assert "Anonymising proposed by Sam Proposer" in history and "Confirmed by Jo Confirmer" in history


def test_a_withdrawn_proposal_changes_nothing_and_the_case_can_be_proposed_again(client, old_case, sam, jo):
    client.force_login(sam)
    client.post(reverse("audit:retention_propose", args=[old_case.pk]))
    proposal = RetentionProposal.objects.get()
    client.force_login(jo)
    client.post(reverse("audit:retention_withdraw", args=[proposal.pk]))
    assert client.post(reverse("audit:retention_confirm", args=[proposal.pk])).status_code == 404
    old_case.refresh_from_db()
    assert old_case.child_first_name == "Zephyrine"
    assert reverse("audit:retention_propose", args=[old_case.pk]) in _page(client)


def test_other_roles_cannot_propose_or_confirm(client, old_case, sam):
    client.force_login(sam)
    client.post(reverse("audit:retention_propose", args=[old_case.pk]))
    proposal = RetentionProposal.objects.get()
    client.force_login(make_user(Role.RR_CHAIR))
    assert client.post(reverse("audit:retention_confirm", args=[proposal.pk])).status_code == 403
    assert client.post(reverse("audit:retention_propose", args=[old_case.pk])).status_code == 403
    client.force_login(sam)
    assert client.get(reverse("audit:retention_confirm", args=[proposal.pk])).status_code == 405
    old_case.refresh_from_db()
    assert old_case.child_first_name == "Zephyrine" and RetentionProposal.objects.count() == 1
