"""Issue 19 items 4 and 6 on the practice review: regulation 14's time and quality checks (a clock at the
partnership's interval) and written requests to the reviewer, the family's contact, consent and draft, practitioner
events, and the warning (never a block) when a parallel process may delay publication."""

import datetime

import pytest

from decisions import services
from decisions.models import CsprCheckpoint, CsprInformationRequest, FamilyContact, ParallelProcess
from rapidreview.accounts.models import Partnership
from rapidreview.clocks.models import Clock, ClockKind, ClockState, Reminder
from rapidreview.clocks.tasks import sweep
from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification
from referrals.models import Case, Stage
from tests.forms_as_rendered import accepted, page_form

from .factories import LA, the_chair

MARCH_10 = datetime.date(2026, 3, 10)


def _checkpoint_clock(cspr) -> Clock:
    return Clock.objects.get(case_id=cspr.case_id, kind=ClockKind.CSPR_CHECKPOINT,
                             state__in=[ClockState.RUNNING, ClockState.OVERDUE])


def test_commissioning_a_review_sets_the_first_check_due_after_the_partnerships_interval(cspr):
    assert _checkpoint_clock(cspr).due_on == MARCH_10 + datetime.timedelta(weeks=6)


def test_a_partnership_with_a_shorter_interval_checks_sooner(signed, bu):
    Partnership.objects.filter(pk=signed.case.partnership_id).update(cspr_checkpoint_weeks=2)
    services.national_panel_send(case=signed.case, actor=bu, sent_on=MARCH_10, sent_for=the_chair())
    cspr = services.cspr_commission(case=Case.objects.get(pk=signed.case_id), actor=bu, methodology="systems",
                                    methodology_detail="", reviewers="R", terms_of_reference="T", started_on=MARCH_10)
    assert _checkpoint_clock(cspr).due_on == datetime.date(2026, 3, 24)


def test_a_due_check_reminds_the_business_unit_and_recording_it_starts_the_next(
        cspr, bu, _today, django_capture_on_commit_callbacks):
    first = _checkpoint_clock(cspr)
    _today.move_to(datetime.datetime(2026, 4, 21, 9, 0))  # the due date, 6 weeks on
    with django_capture_on_commit_callbacks(execute=True):
        sweep.delay()
    assert Reminder.objects.filter(clock=first, recipient=bu).exists()
    check = services.cspr_checkpoint_record(cspr=cspr, actor=bu, checked_on=datetime.date(2026, 4, 21),
                                            on_time=True, quality_adequate=False,
                                            notes="The chronology is thin: the partners asked for more.")
    first.refresh_from_db()
    assert first.state == ClockState.MET
    assert check.next_due_on == datetime.date(2026, 6, 2) == _checkpoint_clock(cspr).due_on
    assert check.recorded_by == bu


def test_a_check_that_finds_a_problem_needs_notes_and_a_future_check_is_refused(cspr, bu):
    with pytest.raises(DomainError, match="what falls short"):
        services.cspr_checkpoint_record(cspr=cspr, actor=bu, checked_on=MARCH_10, on_time=False,
                                        quality_adequate=True, notes=" ")
    with pytest.raises(DomainError, match="today or in the past"):
        services.cspr_checkpoint_record(cspr=cspr, actor=bu, checked_on=MARCH_10 + datetime.timedelta(days=1),
                                        on_time=True, quality_adequate=True, notes="")
    assert not CsprCheckpoint.objects.exists()


def test_no_check_is_recorded_once_the_case_has_left_the_practice_review_stage(cspr, bu):
    Case.objects.filter(pk=cspr.case_id).update(stage=Stage.CLOSED)
    with pytest.raises(DomainError, match="practice review stage"):
        services.cspr_checkpoint_record(cspr=cspr, actor=bu, checked_on=MARCH_10, on_time=True,
                                        quality_adequate=True, notes="")


def test_publication_stops_the_checks(cspr, bu, _today):
    services.cspr_update(cspr=cspr, actor=bu, methodology="systems", methodology_detail="", reviewers="R",
                         terms_of_reference="T", planned_publication_on=datetime.date(2026, 9, 30))
    _today.move_to(datetime.datetime(2026, 10, 1, 10, 0))
    services.cspr_report_sent(cspr=cspr, actor=bu, sent_on=datetime.date(2026, 9, 18))
    services.cspr_publish(cspr=cspr, actor=bu, published_on=datetime.date(2026, 9, 30), pseudonym="Child Q",
                          published_url="")
    assert not Clock.objects.filter(case_id=cspr.case_id, kind=ClockKind.CSPR_CHECKPOINT,
                                    state__in=[ClockState.RUNNING, ClockState.OVERDUE]).exists()
    with pytest.raises(DomainError, match="has been published"):
        services.cspr_checkpoint_record(cspr=cspr, actor=bu, checked_on=datetime.date(2026, 10, 1), on_time=True,
                                        quality_adequate=True, notes="")


def test_a_written_request_to_the_reviewer_is_an_e_mail_that_does_not_name_the_child_with_a_clock_for_the_reply(
        cspr, bu, _today):
    case = cspr.case
    request = services.cspr_request_information(
        cspr=cspr, actor=bu, kind="draft", detail="The draft report's analysis section.", addressed_to="Rowan Reviewer",
        addressed_to_email="rowan@reviewers.example.org", due_on=datetime.date(2026, 3, 24))
    note = Notification.objects.get(kind="decisions.reviewer_request")
    assert note.to_email == "rowan@reviewers.example.org"
    assert "regulation 14(2) and (3)" in note.body_text and "a draft report" in note.body_text
    assert "The draft report's analysis section." in note.body_text and "24 March 2026" in note.body_text
    assert case.reference in note.subject and case.child_first_name not in note.body_text + note.subject
    clock = Clock.objects.get(kind=ClockKind.REVIEWER_REQUEST, subject_id=request.pk)
    assert clock.due_on == datetime.date(2026, 3, 24)
    _today.move_to(datetime.datetime(2026, 3, 20, 10, 0))
    services.cspr_request_answered(request=request, actor=bu, received_on=datetime.date(2026, 3, 19),
                                   notes="Draft received.")
    clock.refresh_from_db()
    assert clock.state == ClockState.MET
    with pytest.raises(DomainError, match="already been recorded"):
        services.cspr_request_answered(request=request, actor=bu, received_on=datetime.date(2026, 3, 20), notes="")


def test_a_request_naming_the_child_is_refused_and_nothing_is_sent(cspr, bu):
    with pytest.raises(DomainError, match="What is asked for"):
        services.cspr_request_information(
            cspr=cspr, actor=bu, kind="information", detail=f"Notes of visits to {cspr.case.child_name}.",
            addressed_to="R", addressed_to_email="r@example.org", due_on=datetime.date(2026, 3, 24))
    assert not CsprInformationRequest.objects.exists()
    assert not Notification.objects.filter(kind="decisions.reviewer_request").exists()


def test_family_consent_can_be_given_then_withdrawn_and_the_draft_shared_before_publication(cspr, bu):
    contact = services.family_contact_save(cspr=cspr, actor=bu, relationship="Mother", contacted_on=MARCH_10,
                                           consent="given", advocate_offered=True, notes="Met at home.")
    services.family_contact_save(cspr=cspr, actor=bu, contact=contact, relationship="Mother", contacted_on=MARCH_10,
                                 consent="withdrawn", advocate_offered=True, notes="Withdrew by letter.")
    contact.refresh_from_db()
    assert contact.consent == "withdrawn"
    assert [h.consent for h in contact.history.order_by("history_date")] == ["given", "withdrawn"]
    services.cspr_record_family_draft(cspr=cspr, actor=bu, shared_on=MARCH_10, response="They asked for changes.")
    cspr.refresh_from_db()
    assert cspr.draft_shared_with_family_on == MARCH_10
    with pytest.raises(DomainError, match="consent stands"):
        services.family_contact_save(cspr=cspr, actor=bu, relationship="Father", contacted_on=MARCH_10,
                                     consent="unsure", advocate_offered=False, notes="")


def test_a_parallel_process_that_may_delay_publication_warns_on_the_review_and_publication_pages_but_blocks_nothing(
        client, cspr, bu, _today):
    services.cspr_update(cspr=cspr, actor=bu, methodology="systems", methodology_detail="", reviewers="R",
                         terms_of_reference="T", planned_publication_on=datetime.date(2026, 9, 30))
    services.parallel_process_save(cspr=cspr, actor=bu, kind="criminal", description="Trial of the partner",
                                   status="ongoing", may_delay_publication=True, notes="")
    services.parallel_process_save(cspr=cspr, actor=bu, kind="inquest", description="", status="concluded",
                                   may_delay_publication=True, notes="")
    client.force_login(bu)
    page = client.get(f"/decisions/case/{cspr.case_id}/review/").content.decode()
    assert 'id="publication-warning"' in page and "criminal proceedings (Trial of the partner)" in page
    assert "inquest" not in page.split('id="publication-warning"')[1].split("</div>")[0]
    _today.move_to(datetime.datetime(2026, 10, 1, 10, 0))
    client.force_login(bu)
    services.cspr_report_sent(cspr=cspr, actor=bu, sent_on=datetime.date(2026, 9, 18))
    form = page_form(client, f"/decisions/case/{cspr.case_id}/review/publish/")
    publish_page = client.get(f"/decisions/case/{cspr.case_id}/review/publish/").content.decode()
    assert 'id="publication-warning"' in publish_page
    accepted(form.fill(published_on=datetime.date(2026, 9, 30), pseudonym="Child Q").submit())
    cspr.refresh_from_db()
    assert cspr.published_on == datetime.date(2026, 9, 30)


def test_no_warning_shows_when_no_ongoing_process_may_delay_publication(client, cspr, bu):
    services.parallel_process_save(cspr=cspr, actor=bu, kind="other_review", description="Adults review",
                                   status="ongoing", may_delay_publication=False, notes="")
    client.force_login(bu)
    assert 'id="publication-warning"' not in client.get(f"/decisions/case/{cspr.case_id}/review/").content.decode()


@pytest.mark.parametrize("path", ["checks/new/", "requests/new/", "family/new/", "family/draft/"])
def test_an_executive_cannot_use_the_review_oversight_pages_and_nothing_changes(client, cspr, executives, path):
    client.force_login(executives[LA])
    url = f"/decisions/case/{cspr.case_id}/review/{path}"
    assert client.get(url).status_code == 403
    response = client.post(url, {"checked_on_0": "10", "checked_on_1": "3", "checked_on_2": "2026", "on_time": "yes",
                                 "quality_adequate": "yes", "relationship": "Mother", "consent": "given",
                                 "kind": "information", "detail": "x", "addressed_to": "R",
                                 "addressed_to_email": "r@example.org"})
    assert response.status_code == 403
    assert not CsprCheckpoint.objects.exists() and not FamilyContact.objects.exists()
    assert not CsprInformationRequest.objects.exists()
    cspr.refresh_from_db()
    assert cspr.draft_shared_with_family_on is None


@pytest.mark.parametrize("path", ["checks/new/", "requests/new/", "family/new/", "family/draft/"])
def test_the_review_oversight_pages_take_only_get_and_post(client, cspr, bu, path):
    client.force_login(bu)
    assert client.delete(f"/decisions/case/{cspr.case_id}/review/{path}").status_code == 405


def test_a_reply_page_for_an_id_that_is_not_one_of_the_reviews_requests_is_not_found(client, cspr, bu):
    other = ParallelProcess.objects.create(cspr=cspr, kind="other")
    client.force_login(bu)
    assert client.get(f"/decisions/case/{cspr.case_id}/review/requests/{other.pk}/reply/").status_code == 404
