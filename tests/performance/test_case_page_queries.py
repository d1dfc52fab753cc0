"""The case page reads each thing once: the business unit opening a case at the rapid review stage with twelve
agency forms runs at most 20 queries, and never the same query twice (ADR 0019)."""

import datetime
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencychecks.models import FormStatus
from decisions.models import MeetingRecord, Vote, VoteChoice
from panels.models import NationalPanelLiaison
from rapidreview.accounts.models import Role, StatutoryPartner
from rapidreview.audit.models import LegalHold
from referrals.models import SinNotification, ThresholdDecision, ThresholdOutcome
from tests.agencychecks.factories import (
    AgencyCheckCaseFactory,
    AgencyCheckFormFactory,
    declare_conflict,
    make_panel,
    make_referral,
)
from tests.factories import RoleAssignmentFactory, make_partnership, make_user
from tests.referrals.factories import partnership_agency, take_part

BUDGET = 20


def _case_at_rapid_review(business_unit):
    """A case as the business unit sees it two days after the SIN: referral, threshold decision by three partners,
    the SIN, a panel being set up and twelve agency forms at every status."""
    case = AgencyCheckCaseFactory()
    make_referral(case)
    deciders = []
    for partner in (StatutoryPartner.LOCAL_AUTHORITY, StatutoryPartner.HEALTH, StatutoryPartner.POLICE):
        person = make_user(full_name=f"Threshold {partner}")
        RoleAssignmentFactory(user=person, role=Role.THRESHOLD, statutory_partner=partner)
        deciders.append(person)
    ThresholdDecision.objects.create(
        case=case, discussed_on=timezone.localdate() - datetime.timedelta(days=3), la_participant=deciders[0],
        health_participant=deciders[1], police_participant=deciders[2], outcome=ThresholdOutcome.MET,
        rationale="Serious harm; abuse or neglect known or suspected.", decision_maker=deciders[0],
        recorded_by=business_unit)
    SinNotification.objects.create(case=case, notified_on=case.sin_notified_on, notification_reference="SIN-1",
                                   recorded_by=business_unit)
    make_panel(case, members=[make_user(Role.PANEL_MEMBER) for _ in range(3)])
    statuses = list(FormStatus)
    for n in range(12):
        AgencyCheckFormFactory(case=case, agency=partnership_agency(name=f"Agency {n:02d}"),
                               status=statuses[n % len(statuses)], issued_by=business_unit)
    return case


def _sign_in_with_authenticator(client, user):
    """As in production: signed in with a password and the code from an authenticator app."""
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _open_case_page(client, case):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("referrals:case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db
def test_the_business_unit_opens_a_case_at_rapid_review_with_twelve_forms_in_at_most_twenty_queries(client):
    business_unit = make_user(Role.BUSINESS_UNIT, full_name="Bea Unit")
    case = _case_at_rapid_review(business_unit)
    _sign_in_with_authenticator(client, business_unit)
    client.get(reverse("referrals:case_detail", args=[case.pk]))  # the session and the sign-in checks settle

    response, sql = _open_case_page(client, case)

    body = response.content.decode()
    assert "12 agencies" in body  # the twelve forms are counted on the page
    repeated = {statement: n for statement, n in Counter(sql).items() if n > 1}
    assert repeated == {}, "\n\n".join(repeated)
    assert len(sql) <= BUDGET, "\n".join(sql)


def _case_as_generated(business_unit):
    """The case above as the national data has it a week on: the panel met and its members voted, a member declared
    a conflict of interest, a neighbouring partnership takes part, an inquest put it on legal hold, and the business
    unit liaised with the National Panel about the timeline of it and another case notified the same day."""
    case = _case_at_rapid_review(business_unit)
    panel = case.panel
    members = [invitation.user for invitation in panel.invitations.all()]
    meeting = MeetingRecord.objects.create(case=case, meeting_date=timezone.localdate(),
                                           chair_overview="The panel heard from every agency.")
    for member, choice in zip(members, (VoteChoice.YES, VoteChoice.YES, VoteChoice.NO), strict=True):
        Vote.objects.create(meeting=meeting, member=member, choice=choice, recorded_by=business_unit)
    declare_conflict(case, members[0])
    take_part(case, make_partnership("Neighbouring Safeguarding Children Partnership", slug="neighbouring"),
              by=business_unit)
    close = AgencyCheckCaseFactory(partnership=case.partnership, sin_notified_on=case.sin_notified_on)
    liaison = NationalPanelLiaison.objects.create(
        partnership=case.partnership, liaised_on=timezone.localdate(), contact="The business unit manager",
        timelines_agreed="The rapid review by the end of the month.", recorded_by=business_unit)
    liaison.cases.add(case, close)
    LegalHold.objects.create(case_id=case.pk, reason="Inquest opened", set_by=business_unit)
    return case


@pytest.mark.django_db
def test_the_case_page_of_a_case_with_votes_a_conflict_a_participation_and_a_liaison_stays_in_budget(client):
    business_unit = make_user(Role.BUSINESS_UNIT, full_name="Bea Unit")
    case = _case_as_generated(business_unit)
    _sign_in_with_authenticator(client, business_unit)
    client.get(reverse("referrals:case_detail", args=[case.pk]))

    response, sql = _open_case_page(client, case)

    body = response.content.decode()
    assert "Neighbouring Safeguarding Children Partnership" in body  # the participation is shown
    assert "The rapid review by the end of the month." in body  # the cluster alert, with the liaison
    assert "Legal hold</strong> Inquest opened" in body
    assert re.search(r"Yes[^<]*: 2 · [^<]*: 1", body), "the tally of the three votes is shown"
    vote_task = body[body.index("Take the vote"):]
    assert vote_task.index("In progress") < vote_task.index("govuk-task-list__item"), "votes taken, vote still open"
    repeated = {statement: n for statement, n in Counter(sql).items() if n > 1}
    assert repeated == {}, "\n\n".join(repeated)
    assert len(sql) <= BUDGET, "\n".join(sql)
