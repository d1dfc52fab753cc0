"""Rules of the referral stages: receipt, threshold, SIN and the "not met" path."""

import datetime

import pytest
import time_machine
from django.core import mail

from rapidreview.accounts.models import Role
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.clocks.services import clock_start
from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification
from rapidreview.pdf import Marking
from referrals.models import Case, ReferrerLetter, Source, Stage, ThresholdOutcome, YesNoUnknown
from referrals.services import (
    assurance_request_answer,
    assurance_request_create,
    case_close_without_review,
    case_record_sin,
    case_send_to_threshold,
    letter_save,
    letter_send,
    referral_record_threshold,
    referral_submit,
)
from tests.factories import default_partnership, make_user
from tests.pdfs import assert_pdf_of_record, pdf_text

from .factories import CaseFactory, partnership_agency

TODAY = datetime.date(2026, 3, 10)  # a Tuesday


def _data(**extra):
    return {"child_first_name": "Tobias", "child_last_name": "Fenwright", "child_dob": datetime.date(2016, 1, 5),
            "harm": "serious_harm", "incident_date": datetime.date(2026, 3, 2),
            "la_aware_on": datetime.date(2026, 3, 3), "referrer_name": "Rita Referrer",
            "referrer_email": "rita@agency.example", "description": "Found injured.", **extra}


def _submit(**kwargs):
    """A referral to the partnership tests work in."""
    return referral_submit(partnership=default_partnership(), **kwargs)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, 0), tick=False):
        yield


@pytest.fixture
def met_case(business_unit, threshold_makers):
    case = CaseFactory(stage=Stage.THRESHOLD, la_aware_on=datetime.date(2026, 3, 3),
                       incident_date=datetime.date(2026, 3, 2))
    referral_record_threshold(case=case, actor=business_unit, discussed_on=datetime.date(2026, 3, 5),
                              la_participant=threshold_makers["local_authority"],
                              health_participant=threshold_makers["health"],
                              police_participant=threshold_makers["police"], outcome=ThresholdOutcome.MET,
                              rationale="Neglect suspected and serious harm.")
    return case


@pytest.fixture
def not_met_case(business_unit, threshold_makers):
    case = CaseFactory(stage=Stage.THRESHOLD)
    referral_record_threshold(case=case, actor=business_unit, discussed_on=TODAY,
                              la_participant=threshold_makers["local_authority"],
                              health_participant=threshold_makers["health"],
                              police_participant=threshold_makers["police"], outcome=ThresholdOutcome.NOT_MET,
                              rationale="No abuse or neglect suspected.")
    return case


@pytest.mark.django_db
class TestReceipt:
    def test_a_referral_gets_a_readable_reference_and_starts_the_sin_decision_clock(self, business_unit, chair):
        case = _submit(source=Source.PROFESSIONAL, data=_data(), actor=business_unit)
        assert case.reference == "SCP-2026-0001"
        clock = Clock.objects.get(case_id=case.pk, kind=ClockKind.SIN_DECISION)
        assert clock.started_on == datetime.date(2026, 3, 3)
        assert clock.due_on == datetime.date(2026, 3, 10)  # 5 working days

    def test_references_count_up_within_a_year(self, business_unit):
        first = _submit(source=Source.PROFESSIONAL, data=_data(), actor=business_unit)
        second = _submit(source=Source.PROFESSIONAL, data=_data(child_first_name="Ada"), actor=business_unit)
        assert (first.reference, second.reference) == ("SCP-2026-0001", "SCP-2026-0002")

    def test_the_business_unit_and_the_chair_are_emailed_once_without_the_childs_name(
            self, business_unit, chair, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            case = _submit(source=Source.PROFESSIONAL, data=_data(), actor=business_unit)
        notes = Notification.objects.filter(kind="referrals.received")
        assert sorted(n.to_email for n in notes) == sorted([business_unit.email, chair.email])
        assert len(mail.outbox) == 2
        assert all(case.reference in m.body and "Tobias" not in m.body and "Fenwright" not in m.body
                   for m in mail.outbox)

    def test_a_public_referrer_who_gives_an_address_gets_one_acknowledgement(
            self, db, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            case = _submit(source=Source.PUBLIC, data=_data(referrer_email="mum@example.test"))
        acks = [m for m in mail.outbox if m.to == ["mum@example.test"]]
        assert len(acks) == 1 and case.reference in acks[0].body and "Tobias" not in acks[0].body

    def test_a_cdop_referral_more_than_seven_days_after_the_discussion_is_flagged_late(self, business_unit):
        late = _submit(source=Source.CDOP_JAR, actor=business_unit,
                               data=_data(cdop_discussed_on=TODAY - datetime.timedelta(days=8), cdop_forum="cdop"))
        on_time = _submit(source=Source.CDOP_JAR, actor=business_unit,
                                  data=_data(cdop_discussed_on=TODAY - datetime.timedelta(days=7), cdop_forum="jar"))
        assert late.referral.is_late and not on_time.referral.is_late

    def test_a_future_incident_is_refused(self, business_unit):
        with pytest.raises(DomainError):
            _submit(source=Source.PROFESSIONAL, data=_data(incident_date=TODAY + datetime.timedelta(days=1)),
                            actor=business_unit)

    def test_a_second_referral_for_the_same_child_is_linked_to_the_first(self, business_unit):
        first = _submit(source=Source.PROFESSIONAL, data=_data(), actor=business_unit)
        second = _submit(source=Source.PUBLIC, data=_data(child_first_name="tobias"))
        assert second.referral.possible_duplicate_of == first


@pytest.mark.django_db
class TestThreshold:
    def test_only_the_business_unit_sends_a_case_for_threshold(self, case, agency_lead, business_unit):
        with pytest.raises(DomainError):
            case_send_to_threshold(case=case, actor=agency_lead)
        case_send_to_threshold(case=case, actor=business_unit)
        assert Case.objects.get(pk=case.pk).stage == Stage.THRESHOLD

    def test_a_case_cannot_be_sent_for_threshold_twice(self, case, business_unit):
        case_send_to_threshold(case=case, actor=business_unit)
        with pytest.raises(DomainError):
            case_send_to_threshold(case=case, actor=business_unit)

    def test_the_threshold_cannot_be_recorded_before_the_case_is_sent(self, case, business_unit, threshold_makers):
        with pytest.raises(DomainError):
            referral_record_threshold(case=case, actor=business_unit, discussed_on=TODAY,
                                      la_participant=threshold_makers["local_authority"],
                                      outcome=ThresholdOutcome.MET, rationale="x", absence_reason="away")

    def test_the_decision_maker_must_be_the_local_authority_participant(self, business_unit, threshold_makers):
        case = CaseFactory(stage=Stage.THRESHOLD)
        with pytest.raises(DomainError, match="local authority"):
            referral_record_threshold(case=case, actor=business_unit, discussed_on=TODAY,
                                      la_participant=threshold_makers["health"],
                                      health_participant=threshold_makers["health"],
                                      police_participant=threshold_makers["police"],
                                      outcome=ThresholdOutcome.MET, rationale="x")

    def test_an_absent_partner_needs_a_reason(self, business_unit, threshold_makers):
        case = CaseFactory(stage=Stage.THRESHOLD)
        with pytest.raises(DomainError, match="did not take part"):
            referral_record_threshold(case=case, actor=business_unit, discussed_on=TODAY,
                                      la_participant=threshold_makers["local_authority"],
                                      health_participant=threshold_makers["health"],
                                      outcome=ThresholdOutcome.MET, rationale="x")

    def test_a_rationale_is_required(self, business_unit, threshold_makers):
        case = CaseFactory(stage=Stage.THRESHOLD)
        with pytest.raises(DomainError, match="rationale"):
            referral_record_threshold(case=case, actor=business_unit, discussed_on=TODAY,
                                      la_participant=threshold_makers["local_authority"],
                                      health_participant=threshold_makers["health"],
                                      police_participant=threshold_makers["police"],
                                      outcome=ThresholdOutcome.MET, rationale="  ")

    def test_an_agency_lead_cannot_record_the_threshold(self, agency_lead, threshold_makers):
        case = CaseFactory(stage=Stage.THRESHOLD)
        with pytest.raises(DomainError):
            referral_record_threshold(case=case, actor=agency_lead, discussed_on=TODAY,
                                      la_participant=threshold_makers["local_authority"],
                                      health_participant=threshold_makers["health"],
                                      police_participant=threshold_makers["police"],
                                      outcome=ThresholdOutcome.MET, rationale="x")

    def test_not_met_moves_the_case_to_not_met_and_stops_the_sin_clock(self, not_met_case):
        not_met_case.refresh_from_db()
        assert not_met_case.stage == Stage.NOT_MET


@pytest.mark.django_db
class TestSin:
    def test_recording_the_sin_starts_the_rapid_review_clocks(self, met_case, business_unit):
        clock_start(kind=ClockKind.SIN_DECISION, subject=met_case, start=met_case.la_aware_on, case_id=met_case.pk,
                    partnership=met_case.partnership)
        case_record_sin(case=met_case, actor=business_unit, notified_on=datetime.date(2026, 3, 9),
                        notification_reference="SIN-123")
        met_case.refresh_from_db()
        assert met_case.stage == Stage.RAPID_REVIEW and met_case.sin_notified_on == datetime.date(2026, 3, 9)
        clocks = {c.kind: c for c in Clock.objects.filter(case_id=met_case.pk)}
        assert clocks[ClockKind.SIN_DECISION].state == ClockState.MET
        assert clocks[ClockKind.PANEL_MEETING].due_on == datetime.date(2026, 3, 23)
        assert clocks[ClockKind.NATIONAL_PANEL].due_on == datetime.date(2026, 3, 30)

    def test_no_sin_without_a_met_threshold_decision(self, case, business_unit):
        with pytest.raises(DomainError, match="threshold"):
            case_record_sin(case=case, actor=business_unit, notified_on=TODAY, notification_reference="X")

    def test_no_sin_after_a_not_met_decision(self, not_met_case, business_unit):
        with pytest.raises(DomainError):
            case_record_sin(case=not_met_case, actor=business_unit, notified_on=TODAY, notification_reference="X")

    def test_a_late_sin_needs_a_reason(self, met_case, business_unit):
        with time_machine.travel(datetime.datetime(2026, 3, 12, 12, 0), tick=False):
            with pytest.raises(DomainError, match="reason"):
                case_record_sin(case=met_case, actor=business_unit, notified_on=datetime.date(2026, 3, 11),
                                notification_reference="X")
            sin = case_record_sin(case=met_case, actor=business_unit, notified_on=datetime.date(2026, 3, 11),
                                  notification_reference="X", late_reason="Awaiting police information")
        assert sin.was_late

    def test_a_looked_after_child_needs_ofsted_and_secretary_of_state_answers(self, met_case, business_unit):
        met_case.referral.looked_after = YesNoUnknown.YES
        met_case.referral.save()
        with pytest.raises(DomainError, match="Ofsted"):
            case_record_sin(case=met_case, actor=business_unit, notified_on=TODAY, notification_reference="X")

    def test_a_threshold_maker_cannot_record_the_sin(self, met_case, threshold_makers):
        with pytest.raises(DomainError):
            case_record_sin(case=met_case, actor=threshold_makers["police"], notified_on=TODAY,
                            notification_reference="X")


@pytest.mark.django_db
class TestNotMet:
    def test_the_letter_is_stored_as_a_pdf_and_emailed_once_to_a_professional(
            self, not_met_case, business_unit, django_capture_on_commit_callbacks):
        letter = letter_save(case=not_met_case, actor=business_unit, next_steps="Talk to your safeguarding lead.")
        assert_pdf_of_record(bytes(letter.pdf), title=f"Letter about referral {not_met_case.reference}",
                             marking=Marking.PRIVATE)
        assert "Talk to your safeguarding lead." in pdf_text(bytes(letter.pdf))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            letter_send(case=not_met_case, actor=business_unit)
        assert len(mail.outbox) == 1
        assert mail.outbox[0].attachments[0][0] == f"letter-to-referrer-{not_met_case.reference}.pdf"
        assert Notification.objects.filter(kind="referrals.letter").count() == 1
        with pytest.raises(DomainError, match="already"):
            letter_send(case=not_met_case, actor=business_unit)

    def test_a_public_referrers_letter_is_never_emailed_by_the_service(self, business_unit, threshold_makers):
        case = CaseFactory(stage=Stage.NOT_MET, source=Source.PUBLIC)
        letter_save(case=case, actor=business_unit, next_steps="Next steps.")
        with pytest.raises(DomainError, match="yourself"):
            letter_send(case=case, actor=business_unit)
        letter_send(case=case, actor=business_unit, sent_by="post", sent_to="1 High Street")
        assert ReferrerLetter.objects.get(case=case).sent_by == "post"

    def test_no_letter_while_the_case_is_at_threshold(self, business_unit):
        case = CaseFactory(stage=Stage.THRESHOLD)
        with pytest.raises(DomainError):
            letter_save(case=case, actor=business_unit, next_steps="x")

    def test_an_assurance_request_runs_a_clock_until_the_answer_is_recorded(self, not_met_case, business_unit):
        agency = partnership_agency()
        lead = make_user(Role.AGENCY_LEAD, agency=agency)
        item = assurance_request_create(case=not_met_case, actor=business_unit, agency=agency, request="Assure us.",
                                        due_on=TODAY + datetime.timedelta(days=14))
        clock = Clock.objects.get(kind=ClockKind.ASSURANCE_REQUEST)
        assert clock.due_on == TODAY + datetime.timedelta(days=14) and clock.case_id == not_met_case.pk
        assert Notification.objects.filter(kind="referrals.assurance", to_email=lead.email).count() == 1
        assurance_request_answer(item=item, actor=business_unit, response="Training done.")
        clock.refresh_from_db()
        assert clock.state == ClockState.MET

    def test_the_case_closes_only_after_the_letter_is_sent(self, not_met_case, business_unit):
        with pytest.raises(DomainError, match="letter"):
            case_close_without_review(case=not_met_case, actor=business_unit)
        letter_save(case=not_met_case, actor=business_unit, next_steps="x")
        letter_send(case=not_met_case, actor=business_unit)
        case_close_without_review(case=not_met_case, actor=business_unit)
        not_met_case.refresh_from_db()
        assert not_met_case.stage == Stage.CLOSED and not_met_case.closed_at
        assert not Clock.objects.filter(case_id=not_met_case.pk, state=ClockState.RUNNING).exists()

    def test_an_unanswered_assurance_request_blocks_closing(self, not_met_case, business_unit):
        letter_save(case=not_met_case, actor=business_unit, next_steps="x")
        letter_send(case=not_met_case, actor=business_unit)
        assurance_request_create(case=not_met_case, actor=business_unit, agency=partnership_agency(), request="x",
                                 due_on=TODAY + datetime.timedelta(days=3))
        with pytest.raises(DomainError, match="assurance"):
            case_close_without_review(case=not_met_case, actor=business_unit)

