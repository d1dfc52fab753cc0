"""The audit pages show the acting partnership's entries only, never another partnership's (issue 18): the access
log and its filters, a case's list of who opened it, retention periods, the cases past them, legal holds and what
was anonymised. Lines from before partnerships belong to the installation's first partnership."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.audit.models import (
    AccessAction,
    AccessLog,
    LegalHold,
    RecordType,
    RetentionAction,
    RetentionProposal,
    RetentionRule,
)
from rapidreview.audit.tasks import retention_review
from rapidreview.notifications.models import Notification
from referrals.models import Case, Stage
from tests.factories import act_in, default_partnership, give_role, make_partnership, make_user
from tests.forms_as_rendered import page_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours():
    return default_partnership()


@pytest.fixture
def neighbour():
    return make_partnership("Neighbouring Safeguarding Children Partnership", short_name="NSCP")


@pytest.fixture
def both_bu(ours, neighbour):
    """Someone in the business unit of both partnerships."""
    person = make_user(Role.BUSINESS_UNIT, full_name="Bea Both", partnership=ours)
    give_role(person, Role.BUSINESS_UNIT, partnership=neighbour)
    return person


def _closed_case(partnership, reference, **fields):
    fields.setdefault("child_first_name", "Old")
    return Case.objects.create(reference=reference, source="professional", stage=Stage.CLOSED,
                               partnership=partnership, child_last_name="Case",
                               closed_at=timezone.make_aware(datetime.datetime(2010, 1, 10, 12)), **fields)


def _log_page(client, **query):
    return client.get(reverse("audit:log"), query).content.decode()


def test_someone_in_two_partnerships_sees_each_partnerships_access_log_only_while_acting_in_it(
        client, both_bu, ours, neighbour):
    reader_here = make_user(Role.AGENCY_LEAD, full_name="Olive Ours", partnership=ours)
    reader_there = make_user(Role.AGENCY_LEAD, full_name="Nora Neighbour", partnership=neighbour)
    AccessLog.objects.create(user=reader_here, partnership=ours, action=AccessAction.VIEW, path="/ours-was-read/")
    AccessLog.objects.create(user=reader_there, partnership=neighbour, action=AccessAction.DENIED,
                             path="/theirs-was-refused/")
    client.force_login(both_bu)
    act_in(client, ours)
    page = _log_page(client)
    assert "/ours-was-read/" in page and "/theirs-was-refused/" not in page
    form = page_form(client, reverse("audit:log"))
    people = {label for _, label in form.options("user")}
    assert "Olive Ours" in people and "Nora Neighbour" not in people
    act_in(client, neighbour)
    page = _log_page(client)
    assert "/theirs-was-refused/" in page and "/ours-was-read/" not in page
    assert "/theirs-was-refused/" in _log_page(client, action="denied")
    assert "/theirs-was-refused/" not in _log_page(client, user=both_bu.pk)


def test_each_line_records_the_partnership_the_reader_was_acting_in(client, both_bu, neighbour):
    client.force_login(both_bu)
    act_in(client, neighbour)
    client.get(reverse("accounts:people"))
    line = AccessLog.objects.filter(path=reverse("accounts:people")).latest("at")
    assert line.partnership == neighbour
    client.get("/no-such-page/")
    assert AccessLog.objects.get(action=AccessAction.DENIED, path="/no-such-page/").partnership == neighbour


def test_lines_from_before_partnerships_belong_to_the_first_partnership_and_later_unattributed_lines_to_none(
        client, ours, neighbour):
    with time_machine.travel(ours.created_at - datetime.timedelta(days=30), tick=False):
        AccessLog.objects.create(action=AccessAction.VIEW, path="/from-before-partnerships/")
    AccessLog.objects.create(action=AccessAction.SIGN_IN_FAILED, path="/a-failed-sign-in-since/")
    client.force_login(make_user(Role.BUSINESS_UNIT, partnership=ours))
    page = _log_page(client)
    assert "/from-before-partnerships/" in page and "/a-failed-sign-in-since/" not in page
    client.force_login(make_user(Role.BUSINESS_UNIT, partnership=neighbour))
    page = _log_page(client)
    assert "/from-before-partnerships/" not in page and "/a-failed-sign-in-since/" not in page


def test_the_kind_of_record_filter_offers_the_kinds_in_the_partnerships_own_lines_only(client, ours, neighbour):
    """The choices come from a skip scan of the lines (issue 20): each kind once, the first partnership's including
    those from before partnerships, never another partnership's nor a later line that names none."""
    with time_machine.travel(ours.created_at - datetime.timedelta(days=30), tick=False):
        AccessLog.objects.create(action=AccessAction.VIEW, object_type="before.kind")
    AccessLog.objects.create(action=AccessAction.SIGN_IN_FAILED, object_type="since.kind")
    for kind in ("ours.kind", "ours.kind", "ours.another"):
        AccessLog.objects.create(partnership=ours, action=AccessAction.VIEW, object_type=kind)
    AccessLog.objects.create(partnership=neighbour, action=AccessAction.VIEW, object_type="theirs.kind")
    client.force_login(make_user(Role.BUSINESS_UNIT, partnership=ours))
    kinds = [value for value, _ in page_form(client, reverse("audit:log")).options("object_type") if value]
    assert kinds == sorted(kinds) and len(kinds) == len(set(kinds))
    assert {"before.kind", "ours.another", "ours.kind"} <= set(kinds)
    assert not {"since.kind", "theirs.kind"} & set(kinds)
    client.force_login(make_user(Role.BUSINESS_UNIT, partnership=neighbour))
    kinds = [value for value, _ in page_form(client, reverse("audit:log")).options("object_type") if value]
    assert "theirs.kind" in kinds and not {"before.kind", "since.kind", "ours.kind", "ours.another"} & set(kinds)


def test_the_retention_page_lists_this_partnerships_periods_and_cases_only(client, both_bu, ours, neighbour):
    _closed_case(ours, "OURS-0001")
    theirs_case = _closed_case(neighbour, "THEIRS-0001")
    theirs_rule = RetentionRule.for_type(RecordType.NOT_MET, partnership=neighbour)
    theirs_rule.years_after_closure = 40
    theirs_rule.save()
    LegalHold.objects.create(case_id=theirs_case.pk, reason="Their inquest", set_by=both_bu)
    RetentionAction.objects.create(case_id=theirs_case.pk, reference="THEIRS-0002", partnership=neighbour,
                                   kind=RetentionAction.Kind.ANONYMISED)
    client.force_login(both_bu)
    act_in(client, ours)
    page = client.get(reverse("audit:retention")).content.decode()
    assert "OURS-0001" in page
    assert "THEIRS-0001" not in page and "Their inquest" not in page and "THEIRS-0002" not in page
    assert client.get(reverse("audit:retention_rule", args=[theirs_rule.pk])).status_code == 404
    assert client.post(reverse("audit:retention_rule", args=[theirs_rule.pk]),
                       {"years_after_closure": 1}).status_code == 404
    theirs_rule.refresh_from_db()
    assert theirs_rule.years_after_closure == 40
    our_rule = RetentionRule.for_type(RecordType.NOT_MET, partnership=ours)
    page_form(client, reverse("audit:retention_rule", args=[our_rule.pk])).fill(years_after_closure=9).submit()
    our_rule.refresh_from_db()
    theirs_rule.refresh_from_db()
    assert (our_rule.years_after_closure, theirs_rule.years_after_closure) == (9, 40)
    act_in(client, neighbour)
    page = client.get(reverse("audit:retention")).content.decode()
    assert "OURS-0001" not in page and "Their inquest" in page and "THEIRS-0002" in page


def test_another_partnerships_case_cannot_be_proposed_for_anonymising_nor_its_proposal_confirmed(
        client, ours, neighbour):
    theirs_case = _closed_case(neighbour, "THEIRS-0001")
    proposer = make_user(Role.BUSINESS_UNIT, partnership=neighbour)
    client.force_login(proposer)
    client.post(reverse("audit:retention_propose", args=[theirs_case.pk]))
    proposal = RetentionProposal.objects.get()
    client.force_login(make_user(Role.BUSINESS_UNIT, partnership=ours))
    assert client.post(reverse("audit:retention_propose", args=[theirs_case.pk])).status_code == 404
    assert client.post(reverse("audit:retention_confirm", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("audit:retention_withdraw", args=[proposal.pk])).status_code == 404
    theirs_case.refresh_from_db()
    assert theirs_case.child_first_name == "Old" and not RetentionAction.objects.exists()


def test_subject_access_searches_this_partnerships_cases_only(client, ours, neighbour):
    _closed_case(ours, "OURS-0001", child_first_name="Zephyrine")
    _closed_case(neighbour, "THEIRS-0001", child_first_name="Zephyrine")
    client.force_login(make_user(Role.BUSINESS_UNIT, partnership=ours))
    page = page_form(client, reverse("audit:subject_access")).fill(name="Zephyrine").submit().content.decode()
    assert "OURS-0001" in page and "THEIRS-0001" not in page


def test_the_weekly_retention_review_tells_each_business_unit_about_its_own_cases(ours, neighbour):
    _closed_case(ours, "OURS-0001")
    _closed_case(ours, "OURS-0002")
    _closed_case(neighbour, "THEIRS-0001")
    make_user(Role.BUSINESS_UNIT, email="bu@ours.test", partnership=ours)
    make_user(Role.BUSINESS_UNIT, email="bu@theirs.test", partnership=neighbour)
    assert retention_review.delay().get() == 3
    by_address = {note.to_email: note for note in Notification.objects.all()}
    assert set(by_address) == {"bu@ours.test", "bu@theirs.test"}
    assert by_address["bu@ours.test"].subject.startswith("SCP: 2 case(s)")
    assert by_address["bu@theirs.test"].subject.startswith("NSCP: 1 case(s)")
    assert by_address["bu@theirs.test"].partnership == neighbour
    assert "Neighbouring Safeguarding Children Partnership business unit" in by_address["bu@theirs.test"].body_text


def test_a_partnership_taking_part_in_a_case_cannot_place_a_legal_hold_on_it(client, ours, neighbour):
    from referrals.models import CaseParticipation

    joint = _closed_case(neighbour, "THEIRS-0003")
    our_bu = make_user(Role.BUSINESS_UNIT, partnership=ours)
    CaseParticipation.objects.create(case=joint, partnership=ours, reason="The child lives here", added_by=our_bu)
    client.force_login(our_bu)
    assert client.post(reverse("audit:legal_hold", args=[joint.pk]), {"reason": "Ours"}).status_code == 403
    assert not LegalHold.objects.exists()
