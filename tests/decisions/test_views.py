"""Who may open each decisions page, and with which method; the meeting record in the browser."""

import datetime

import pytest

from actionplan.models import Action
from decisions import services
from decisions.models import ImmediateAction, MeetingRecord
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessLog
from tests.factories import AgencyFactory, default_partnership, make_user
from themes.models import CaseTheme, Theme

from .factories import LA


def test_the_business_unit_writes_the_meeting_record_and_its_themes_are_logged(client, case, people, bu):
    theme = Theme.objects.create(name="Decisions test theme", slug="decisions-test-theme",
                                 partnership=default_partnership())
    client.force_login(bu)
    response = client.post(f"/decisions/case/{case.pk}/meeting/edit/", {
        "meeting_date_0": "9", "meeting_date_1": "3", "meeting_date_2": "2026", "chair_overview": "Overview",
        "themes": [theme.pk], "areas_for_learning": "Think family", "cspr_criteria_met": "yes",
        "cspr_criteria_reasons": "Serious harm", "national_issues": "no"})
    assert response.status_code == 302
    meeting = MeetingRecord.objects.get(case=case)
    assert meeting.meeting_date == datetime.date(2026, 3, 9) and list(meeting.themes.all()) == [theme]
    assert CaseTheme.objects.filter(case=case, theme=theme, log="rapid_review").exists()


def test_criteria_without_reasons_keeps_what_was_typed(client, case, people, bu):
    client.force_login(bu)
    response = client.post(f"/decisions/case/{case.pk}/meeting/edit/",
                           {"chair_overview": "Typed words", "cspr_criteria_met": "yes"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give the reasons" in page and "Typed words" in page


def test_an_immediate_action_goes_into_the_action_plan_with_a_link(client, case, people, bu):
    agency = AgencyFactory()
    client.force_login(bu)
    response = client.post(f"/decisions/case/{case.pk}/meeting/actions/new/", {
        "description": "Review escalation policy", "learning": "Escalation", "agency": agency.pk,
        "due_on_0": "1", "due_on_1": "6", "due_on_2": "2026"})
    assert response.status_code == 302
    item = ImmediateAction.objects.get()
    assert item.action == Action.objects.get(case=case, description="Review escalation policy")


def test_viewing_the_meeting_record_is_logged(client, case, people, bu):
    client.force_login(bu)
    assert client.get(f"/decisions/case/{case.pk}/meeting/").status_code == 200
    assert AccessLog.objects.filter(case_id=case.pk, action="view").exists()


@pytest.mark.parametrize("path", ["meeting/edit/", "meeting/actions/new/", "sheet/edit/", "sheet/withdraw/",
                                  "national-panel/send/", "national-panel/response/", "no-review/",
                                  "review/commission/"])
def test_a_panel_member_cannot_open_the_business_units_pages(client, decision_case, people, path):
    client.force_login(people[LA])
    assert client.get(f"/decisions/case/{decision_case.pk}/{path}").status_code == 403


@pytest.mark.parametrize("path", ["sheet/start/", "sheet/send/", "sheet/revise/", "vote/close/"])
def test_post_only_pages_refuse_get(client, decision_case, bu, path):
    client.force_login(bu)
    assert client.get(f"/decisions/case/{decision_case.pk}/{path}").status_code == 405


@pytest.mark.parametrize("path", ["meeting/edit/", "sheet/edit/", "national-panel/send/", "review/commission/"])
def test_form_pages_refuse_delete(client, decision_case, bu, path):
    client.force_login(bu)
    assert client.delete(f"/decisions/case/{decision_case.pk}/{path}").status_code == 405


def test_an_executive_cannot_see_a_case_before_the_decision_stage(client, case, people, executives):
    client.force_login(executives[LA])
    assert client.get(f"/decisions/case/{case.pk}/meeting/").status_code == 404


def test_an_executive_cannot_escalate_a_dispute(client, out_for_signature, executives):
    services.signature_record(sheet=out_for_signature, signer=executives["police"], partner="police",
                              outcome="dispute", reasons="No")
    dispute = out_for_signature.disputes.get()
    client.force_login(executives[LA])
    assert client.get(f"/decisions/disputes/{dispute.pk}/escalate/").status_code == 403


def test_the_chair_records_the_dispute_meeting_in_the_browser(client, out_for_signature, executives, rr_chair):
    services.signature_record(sheet=out_for_signature, signer=executives["police"], partner="police",
                              outcome="dispute", reasons="No")
    dispute = out_for_signature.disputes.get()
    client.force_login(rr_chair)
    response = client.post(f"/decisions/disputes/{dispute.pk}/meeting/", {
        "meeting_on_0": "9", "meeting_on_1": "3", "meeting_on_2": "2026", "notes": "Agreed changes"})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.meeting_notes == "Agreed changes"


def test_the_decisions_index_lists_decisions_by_year_in_constant_queries(client, signed, executives,
                                                                         django_assert_max_num_queries):
    client.force_login(executives[LA])
    with django_assert_max_num_queries(25):
        response = client.get("/decisions/")
    assert signed.case.reference in response.content.decode()


def test_a_working_group_member_cannot_open_decisions(client, db):
    client.force_login(make_user(Role.WORKING_GROUP))
    assert client.get("/decisions/").status_code == 403


def test_the_decisions_index_shows_one_year_at_a_time(client, signed, executives):
    import datetime

    from decisions.models import DecisionSheet

    client.force_login(executives[LA])
    this_year = signed.signed_at.year
    page = client.get("/decisions/").content.decode()
    assert f"Decisions signed in {this_year} (1)" in page and signed.case.reference in page
    earlier = signed.signed_at - datetime.timedelta(days=800)
    DecisionSheet.objects.filter(pk=signed.pk).update(signed_at=earlier)
    older = earlier.year
    page = client.get("/decisions/").content.decode()
    assert f"?year={older}" in page and signed.case.reference in page
    assert "No signed decisions yet" not in client.get(f"/decisions/?year={older}").content.decode()
    assert signed.case.reference in client.get("/decisions/?year=nonsense").content.decode()


def test_a_form_page_shows_a_refusal_in_the_error_summary(client, draft, bu):
    client.force_login(bu)
    response = client.post(f"/decisions/case/{draft.case_id}/sheet/withdraw/", {"reason": "Typo"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Only a sheet that is out for signature can be withdrawn." in page
    assert "<title>Error: " in page


def test_a_refused_button_goes_back_with_the_reason_as_a_message(client, draft, bu):
    client.force_login(bu)
    response = client.post(f"/decisions/case/{draft.case_id}/sheet/revise/", follow=True)
    assert response.redirect_chain == [(f"/decisions/case/{draft.case_id}/sheet/", 302)]
    assert "Only a disputed decision sheet can be revised." in response.content.decode()
