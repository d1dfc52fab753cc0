"""Issue 19 items 4 and 5 on the decision pages: the review criteria of regulations 11 and 3 answered one by one at
the panel and on the sheet, the National Panel's view on each national criterion, signers shown as Delegated
Safeguarding Partners, and the partnership chair and independent scrutineer told of decisions without the child's
name."""

import datetime

import pytest
from django.core import mail

from decisions import services
from decisions.models import MeetingRecord, NationalPanelSubmission
from decisions.services.sheets import SheetNotReady
from rapidreview.accounts.models import LeadSafeguardingPartner, Partnership
from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification
from referrals.models import Stage
from tests.factories import make_user
from tests.forms_as_rendered import accepted, page_form
from tests.pdfs import pdf_text

from .conftest import sign_all
from .factories import FULL_SHEET, HEALTH, LA, POLICE, the_chair

CRITERIA = {"reg11_a": "yes", "reg11_a_reason": "Escalation between agencies needs improving.",
            "reg11_b": "yes", "reg11_b_reason": "Invisible fathers again.",
            "reg11_c": "yes", "reg11_c_reason": "Police did not tell health.",
            "reg11_d": "no", "reg11_d_reason": "Not considered by the Panel.",
            "reg3_a": "yes", "reg3_a_reason": "Interpreting may need national guidance.",
            "reg3_b": "no", "reg3_b_reason": "No change to the law is suggested.",
            "reg3_c": "no", "reg3_c_reason": "Not a recurrent national theme."}


def _tell_chair_and_scrutineer(partnership: Partnership):
    Partnership.objects.filter(pk=partnership.pk).update(
        chair_name="Pat Chair", chair_email="chair@partnership.example.org",
        scrutineer_name="Sam Scrutineer", scrutineer_email="scrutineer@partnership.example.org")


def test_the_panel_answers_each_criterion_of_regulations_11_and_3_and_the_sheet_starts_from_them(
        client, case, people, bu):
    client.force_login(bu)
    form = page_form(client, f"/decisions/case/{case.pk}/meeting/edit/")
    form.fill(meeting_date=datetime.date(2026, 3, 9), chair_overview="Overview.", cspr_criteria_met="yes",
              cspr_criteria_reasons="Serious harm.", national_issues="yes",
              national_issues_detail="Regulation 3 (a) applies.", **CRITERIA)
    accepted(form.submit())
    meeting = MeetingRecord.objects.get(case=case)
    assert [(r["letter"], r["answer"]) for r in meeting.regulation_3()] == [("a", "Yes"), ("b", "No"), ("c", "No")]
    page = client.get(f"/decisions/case/{case.pk}/meeting/").content.decode()
    assert "Police did not tell health." in page and "No change to the law is suggested." in page
    for partner in (LA, HEALTH, POLICE):
        services.vote_record(case=case, member=people[partner], choice="yes", actor=people[partner])
    services.vote_close(case=case, actor=bu)
    case.refresh_from_db()
    sheet = services.sheet_start(case=case, actor=bu)
    assert {f: getattr(sheet.current, f) for f in CRITERIA} == CRITERIA
    edit = page_form(client, f"/decisions/case/{case.pk}/sheet/edit/")
    assert edit.controls["reg3_a"].value == "yes" and edit.controls["reg3_b"].value == "no"


def test_the_meeting_record_refuses_an_answer_that_is_not_yes_or_no_and_a_case_past_the_decision(case, bu):
    kwargs = dict(meeting_date=None, chair_overview="", themes=[], areas_for_learning="", cspr_criteria_met="",
                  cspr_criteria_reasons="", national_issues="", national_issues_detail="")
    with pytest.raises(DomainError, match="yes or no"):
        services.meeting_save(case=case, actor=bu, criteria={"reg3_a": "maybe"}, **kwargs)
    case.stage = Stage.NATIONAL_PANEL
    case.save()
    with pytest.raises(DomainError, match="rapid review or decision"):
        services.meeting_save(case=case, actor=bu, criteria=CRITERIA, **kwargs)
    assert not MeetingRecord.objects.filter(case=case).exists()


def test_an_executive_cannot_write_the_panels_answers_and_nothing_changes(client, case, people, bu, executives):
    services.meeting_save(case=case, actor=bu, meeting_date=None, chair_overview="", themes=[], areas_for_learning="",
                          cspr_criteria_met="", cspr_criteria_reasons="", national_issues="",
                          national_issues_detail="", criteria={"reg3_a": "no"})
    client.force_login(executives[LA])
    response = client.post(f"/decisions/case/{case.pk}/meeting/edit/", {"reg3_a": "yes"})
    assert response.status_code == 403
    assert MeetingRecord.objects.get(case=case).reg3_a == "no"


def test_a_sheet_without_an_answer_on_each_national_criterion_cannot_be_sent(decision_case, bu, executives):
    sheet = services.sheet_start(case=decision_case, actor=bu)
    services.sheet_edit(sheet=sheet, actor=bu, content={**FULL_SHEET, "reg3_b": ""})
    with pytest.raises(SheetNotReady, match=r"Answer regulation 3 \(b\)"):
        services.sheet_send(sheet=sheet, actor=bu)


@pytest.fixture
def leads(executives):
    """Each statutory partner's Lead Safeguarding Partner, its executive named as the delegate."""
    partnership = executives[LA].role_assignments.first().partnership
    rows = {}
    for partner, (name, title, organisation) in {
            LA: ("Will Tuckley", "Chief Executive", "Tower Hamlets Council"),
            HEALTH: ("Desmond Achterberg", "Chief Executive", "North East London ICB"),
            POLICE: ("Gareth Pellow", "Commissioner", "the Metropolitan Police Service")}.items():
        lead = LeadSafeguardingPartner.objects.create(partnership=partnership, partner=partner, name=name,
                                                      title=title, organisation=organisation)
        lead.delegates.add(executives[partner])
        rows[partner] = lead
    return rows


def test_the_signed_sheet_names_each_signer_as_the_delegate_of_their_lead_partner_on_the_page_and_the_pdf(
        client, out_for_signature, executives, leads, bu):
    sign_all(out_for_signature, executives)
    case = out_for_signature.case
    police = executives[POLICE].full_name
    expected = (f"{police}, Delegated Safeguarding Partner for Gareth Pellow, Commissioner of the Metropolitan "
                "Police Service")
    client.force_login(bu)
    assert expected in client.get(f"/decisions/case/{case.pk}/sheet/").content.decode()
    text = pdf_text(client.get(f"/decisions/case/{case.pk}/sheet/pdf/").content)
    assert expected in text
    assert "Delegated Safeguarding Partner for Will Tuckley, Chief Executive of Tower Hamlets Council" in text
    # The national review criteria, each answered with reasons.
    assert "National review criteria: regulation 3 (a) to (c)" in text
    assert "raises or may raise issues requiring legislative change" in text
    assert FULL_SHEET["reg3_a_reason"] in text


def _sent(signed, bu):
    return services.national_panel_send(case=signed.case, actor=bu, sent_on=datetime.date(2026, 3, 10),
                                        sent_for=the_chair())


def test_the_national_panels_response_is_recorded_against_each_national_criterion_and_printed(client, signed, bu):
    _sent(signed, bu)
    case = signed.case
    client.force_login(bu)
    form = page_form(client, f"/decisions/case/{case.pk}/national-panel/response/")
    assert form.controls["reg3_a_view"].value == "not_stated"
    page = client.get(f"/decisions/case/{case.pk}/national-panel/response/").content.decode()
    assert "The partners answered: Yes." in page and "The partners answered: No." in page
    form.fill(response_on=datetime.date(2026, 3, 10), response="agree", text="We agree with the decision.",
              reg3_a_view="agrees", reg3_a_comment="Interpreting is a national concern.", reg3_b_view="disagrees",
              reg3_b_comment="Guidance on interpreting may need changing.")
    accepted(form.submit())
    submission = NationalPanelSubmission.objects.get(case=case)
    assert [r["view"] for r in submission.criteria_views()] == ["Agrees", "Disagrees", "Not stated"]
    assert "Regulation 3 (b): disagrees: Guidance on interpreting may need changing." in client.get(
        f"/decisions/case/{case.pk}/sheet/").content.decode()
    text = pdf_text(client.get(f"/decisions/case/{case.pk}/sheet/pdf/").content)
    assert "The National Panel's response on each criterion" in text
    assert "Interpreting is a national concern." in text


def test_a_view_the_panel_cannot_hold_is_refused(signed, bu):
    _sent(signed, bu)
    with pytest.raises(DomainError, match="agrees, disagrees or not stated"):
        services.national_panel_record_response(case=signed.case, actor=bu, response_on=datetime.date(2026, 3, 10),
                                                response="agree", text="Agreed", criteria={"a": ("perhaps", "")})
    assert NationalPanelSubmission.objects.get(case=signed.case).response_on is None


def test_an_executive_cannot_record_the_national_panels_response_and_nothing_changes(client, signed, bu,
                                                                                     executives):
    _sent(signed, bu)
    client.force_login(executives[LA])
    url = f"/decisions/case/{signed.case_id}/national-panel/response/"
    response = client.post(url, {"response": "agree", "text": "x", "reg3_a_view": "agrees"})
    assert response.status_code == 403
    submission = NationalPanelSubmission.objects.get(case=signed.case)
    assert submission.response_on is None and submission.reg3_a_view == ""
    client.force_login(bu)
    assert client.put(url).status_code == 405


def _oversight_mail(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=f"decisions.oversight.{kind}").order_by("to_email"))


def test_the_chair_and_the_scrutineer_are_told_when_the_sheet_is_signed_without_the_childs_name(
        out_for_signature, executives, django_capture_on_commit_callbacks):
    case = out_for_signature.case
    _tell_chair_and_scrutineer(case.partnership)
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(out_for_signature, executives)
    sent = _oversight_mail("sheet_signed")
    assert [n.to_email for n in sent] == ["chair@partnership.example.org", "scrutineer@partnership.example.org"]
    delivered = [m for m in mail.outbox if m.to[0] in {n.to_email for n in sent}]
    assert len(delivered) == 2
    for message in delivered:
        body = message.body + message.subject
        assert case.reference in body and "Hold a Child Safeguarding Practice Review" in body
        assert case.child_first_name not in body and case.child_last_name not in body
    assert "independent scrutineer" in next(m.body for m in delivered if m.to[0].startswith("scrutineer"))


def test_the_chair_and_scrutineer_hear_of_the_response_the_commission_and_the_publication(signed, bu, _today):
    case = signed.case
    _tell_chair_and_scrutineer(case.partnership)
    _sent(signed, bu)
    services.national_panel_record_response(case=case, actor=bu, response_on=datetime.date(2026, 3, 10),
                                            response="agree", text=f"About {case.child_first_name}: agreed.")
    case.refresh_from_db()
    cspr = services.cspr_commission(case=case, actor=bu, methodology="systems", methodology_detail="",
                                    reviewers="R Reviewer", terms_of_reference="Terms",
                                    started_on=datetime.date(2026, 3, 10))
    services.cspr_update(cspr=cspr, actor=bu, methodology="systems", methodology_detail="", reviewers="R Reviewer",
                         terms_of_reference="Terms", planned_publication_on=datetime.date(2026, 9, 30))
    _today.move_to(datetime.datetime(2026, 10, 1, 10, 0))
    services.cspr_report_sent(cspr=cspr, actor=bu, sent_on=datetime.date(2026, 9, 18))
    services.cspr_publish(cspr=cspr, actor=bu, published_on=datetime.date(2026, 9, 30), pseudonym="Child Q",
                          published_url="")
    for kind in ("national_panel_response", "cspr_commissioned", "cspr_published"):
        sent = _oversight_mail(kind)
        assert len(sent) == 2, kind
        for note in sent:
            assert case.reference in note.subject and case.child_first_name not in note.body_text, kind
    assert "Agrees with the decision" in _oversight_mail("national_panel_response")[0].body_text
    assert "as “Child Q”" in _oversight_mail("cspr_published")[0].body_text


def test_nobody_is_told_when_the_partnership_holds_no_address_for_its_chair_or_scrutineer(out_for_signature,
                                                                                         executives):
    sign_all(out_for_signature, executives)
    assert not Notification.objects.filter(kind__startswith="decisions.oversight").exists()


def test_an_executive_who_is_no_delegate_still_signs_and_is_not_called_one(client, out_for_signature, executives,
                                                                            leads):
    leads[HEALTH].delegates.clear()
    sign_all(out_for_signature, executives)
    viewer = make_user("business_unit", full_name="Viewer")
    client.force_login(viewer)
    page = client.get(f"/decisions/case/{out_for_signature.case_id}/sheet/").content.decode()
    assert "Delegated Safeguarding Partner for Desmond Achterberg" not in page
    assert "Delegated Safeguarding Partner for Will Tuckley" in page
