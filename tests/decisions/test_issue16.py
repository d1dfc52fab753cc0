"""Issue 16, points 4, 6, 19 and 24 in the decisions stage: the date sent to the National Panel (validated,
correctable with a reason, the clock met on that date), who sent it for the Executive, the chair's card of disputes
waiting for the meeting, a closed case's task list, and the meeting record's date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions import services
from decisions.models import NationalPanelSubmission
from panels.models import Panel
from rapidreview.clocks.models import ClockKind, ClockState
from rapidreview.clocks.services import clock_start
from rapidreview.db import DomainError
from referrals.models import CaseEvent, Stage
from tests.forms_as_rendered import accepted, page_form
from tests.referrals.factories import CaseFactory

from .conftest import LONDON
from .factories import HEALTH, LA, the_chair

SIN = datetime.date(2026, 3, 2)
SIGNED_ON = datetime.date(2026, 3, 10)  # the conftest signs on Tuesday 10 March 2026


@pytest.fixture
def np_clock(signed):
    return clock_start(kind=ClockKind.NATIONAL_PANEL, subject=signed.case, start=SIN, case_id=signed.case_id,
                       partnership=signed.case.partnership)


def _send_page(client, case):
    url = reverse("decisions:national_panel_send", args=[case.pk])
    return url, page_form(client, url, containing="sent_on_0")


def test_a_date_sent_before_the_sheet_was_signed_is_refused(client, signed, bu, executives):
    client.force_login(bu)
    url, form = _send_page(client, signed.case)
    response = form.fill(sent_on=SIGNED_ON - datetime.timedelta(days=1)).submit()
    assert response.status_code == 200
    assert "cannot be before the decision sheet was signed on 10 March 2026" in response.content.decode()
    signed.case.refresh_from_db()
    assert signed.case.stage == Stage.DECISION and not NationalPanelSubmission.objects.exists()


def test_a_date_sent_in_the_future_is_refused(signed, bu, executives):
    with pytest.raises(DomainError, match="today or in the past"):
        services.national_panel_send(case=signed.case, actor=bu, sent_on=SIGNED_ON + datetime.timedelta(days=1),
                                     sent_for=the_chair())
    assert not NationalPanelSubmission.objects.exists()


def test_the_send_page_records_who_sent_it_for_the_executive_and_the_clock_is_met_on_that_date(
        client, signed, bu, executives, np_clock, _today):
    _today.move_to(datetime.datetime(2026, 3, 13, 10, 0, tzinfo=LONDON))
    client.force_login(bu)
    url, form = _send_page(client, signed.case)
    assert form["sent_for"] == [str(the_chair().pk)]  # the Executive chair is proposed
    assert {e.full_name for e in executives.values()} <= {label.split(",")[0] for _, label in form.options("sent_for")}
    police = executives["police"]
    accepted(form.fill(sent_for=police, sent_on=datetime.date(2026, 3, 11)).submit())
    submission = NationalPanelSubmission.objects.get()
    assert (submission.sent_on, submission.sent_for, submission.sent_by) == (datetime.date(2026, 3, 11), police, bu)
    np_clock.refresh_from_db()
    assert np_clock.state == ClockState.MET
    assert timezone.localtime(np_clock.met_at).date() == datetime.date(2026, 3, 11)
    for page in (reverse("decisions:sheet", args=[signed.case_id]),
                 reverse("referrals:case_detail", args=[signed.case_id])):
        assert f"for the Executive by {police.full_name}" in client.get(page).content.decode(), page


def test_the_business_unit_corrects_the_date_sent_after_the_stage_moved_on_with_a_reason(
        client, signed, bu, executives, np_clock, _today):
    services.national_panel_send(case=signed.case, actor=bu, sent_on=SIGNED_ON, sent_for=the_chair())
    _today.move_to(datetime.datetime(2026, 3, 16, 10, 0, tzinfo=LONDON))
    client.force_login(bu)
    sheet_page = client.get(reverse("decisions:sheet", args=[signed.case_id])).content.decode()
    url = reverse("decisions:national_panel_correct", args=[signed.case_id])
    assert url in sheet_page
    form = page_form(client, url, containing="reason")
    assert form["sent_on_0"] == "10"

    without_reason = form.fill(sent_on=datetime.date(2026, 3, 12)).submit()
    assert "Enter the reason for the correction" in without_reason.content.decode()
    too_early = form.fill(reason="Typo", sent_on=datetime.date(2026, 3, 9)).submit()
    assert "before the decision sheet was signed" in too_early.content.decode()
    assert NationalPanelSubmission.objects.get().sent_on == SIGNED_ON

    accepted(form.fill(reason="The e-mail went on Thursday; Tuesday was when it was drafted.",
                       sent_on=datetime.date(2026, 3, 12)).submit())
    submission = NationalPanelSubmission.objects.get()
    assert submission.sent_on == datetime.date(2026, 3, 12) and submission.working_day == 8
    latest = submission.history.first()
    assert latest.history_change_reason.startswith("The e-mail went on Thursday") and latest.history_user == bu
    np_clock.refresh_from_db()
    assert timezone.localtime(np_clock.met_at).date() == datetime.date(2026, 3, 12)
    event = CaseEvent.objects.filter(case=signed.case, kind="national_panel").latest("at")
    assert "corrected from 10 March 2026 to 12 March 2026" in event.summary and "Thursday" in event.note
    signed.case.refresh_from_db()
    assert signed.case.stage == Stage.NATIONAL_PANEL


def test_only_the_business_unit_corrects_the_date_sent(client, signed, bu, executives):
    services.national_panel_send(case=signed.case, actor=bu, sent_on=SIGNED_ON, sent_for=the_chair())
    client.force_login(executives["police"])
    url = reverse("decisions:national_panel_correct", args=[signed.case_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x", "sent_on_0": "10", "sent_on_1": "3", "sent_on_2": "2026"}
                       ).status_code == 403
    assert NationalPanelSubmission.objects.get().history.count() == 1


def test_the_rapid_review_chairs_dashboard_shows_disputes_waiting_for_the_meeting(
        client, out_for_signature, executives, rr_chair):
    services.signature_record(sheet=out_for_signature, signer=executives[LA], partner=LA, outcome="agree")
    services.signature_record(sheet=out_for_signature, signer=executives[HEALTH], partner=HEALTH,
                              outcome="dispute", reasons="The analysis misses the housing history.")
    client.force_login(rr_chair)
    home = client.get("/").content.decode()
    assert "Disputed decisions waiting for your meeting" in home
    assert out_for_signature.case.reference in home
    dispute = out_for_signature.disputes.get()
    assert reverse("decisions:dispute_meeting", args=[dispute.pk]) in home
    services.dispute_record_meeting(dispute=dispute, actor=rr_chair, meeting_on=SIGNED_ON, notes="Add it.")
    assert "Disputed decisions waiting for your meeting" not in client.get("/").content.decode()


def test_a_closed_not_met_case_lists_no_rapid_review_tasks(client, bu):
    case = CaseFactory(stage=Stage.CLOSED)
    client.force_login(bu)
    page = client.get(reverse("referrals:case_detail", args=[case.pk])).content.decode()
    for task in ("Record the panel meeting", "Take the vote", "Draft the decision sheet", "Executive signatures",
                 "Send to the National Panel"):
        assert task not in page


def test_a_closed_case_after_a_rapid_review_shows_only_what_was_done(signed, bu):
    from decisions.registrations import case_tasks

    services.national_panel_send(case=signed.case, actor=bu, sent_on=SIGNED_ON, sent_for=the_chair())
    case = signed.case
    case.stage = Stage.CLOSED
    case.save()
    rows = case_tasks(case)
    assert [r["label"] for r in rows] == ["Take the vote", "Draft the decision sheet", "Executive signatures"]
    assert all(r["status"] == "done" for r in rows)


def test_the_meeting_record_starts_with_the_panels_date(client, case, people, bu):
    Panel.objects.filter(pk=people["panel"].pk).update(meeting_date=datetime.date(2026, 3, 9))
    client.force_login(bu)
    form = page_form(client, reverse("decisions:meeting_edit", args=[case.pk]), containing="meeting_date_0")
    assert (form["meeting_date_0"], form["meeting_date_1"], form["meeting_date_2"]) == ("9", "3", "2026")


def test_a_recorded_meeting_date_is_not_replaced_by_the_panels(client, case, people, bu):
    Panel.objects.filter(pk=people["panel"].pk).update(meeting_date=datetime.date(2026, 3, 9))
    services.meeting_save(case=case, actor=bu, meeting_date=datetime.date(2026, 3, 6), chair_overview="",
                          themes=[], areas_for_learning="", cspr_criteria_met="", cspr_criteria_reasons="",
                          national_issues="", national_issues_detail="")
    client.force_login(bu)
    form = page_form(client, reverse("decisions:meeting_edit", args=[case.pk]), containing="meeting_date_0")
    assert form["meeting_date_0"] == "6"


def test_a_case_without_a_panel_still_opens_the_meeting_record(client, bu):
    case = CaseFactory(stage=Stage.RAPID_REVIEW, sin_notified_on=SIN)
    client.force_login(bu)
    assert client.get(reverse("decisions:meeting_edit", args=[case.pk])).status_code == 200
