"""The decision sheet PDF: the National Panel's sections filled from the case, its marking, and each version's
own status and signatures (issues 17.1, 17.2 and 16.14)."""

import datetime
import re
from pathlib import Path

import pytest

from decisions import services
from decisions.document import render_sheet_pdf
from rapidreview.audit.models import AccessAction, AccessLog
from rapidreview.pdf import Marking
from referrals.models import HouseholdMember, SinNotification
from tests.pdfs import assert_pdf_of_record, pdf_text
from tests.referrals.factories import ReferralFactory

from .conftest import sign_all
from .factories import FULL_SHEET, HEALTH, LA, POLICE

DOC = Path(__file__).resolve().parents[2] / "docs" / "national-templates.md"


def documented_headings() -> list[str]:
    text = DOC.read_text()
    start, end = "<!-- decision-sheet-headings:start -->", "<!-- decision-sheet-headings:end -->"
    block = text[text.index(start):text.index(end)]
    return [m.group(1).strip() for m in re.finditer(r"^\d+\. (.+)$", block, flags=re.MULTILINE)]


@pytest.fixture
def facts(case, bu):
    """What the case already holds about the child and the family."""
    case.incident_date, case.la_aware_on = datetime.date(2026, 2, 24), datetime.date(2026, 2, 25)
    case.child_dob, case.harm = datetime.date(2022, 1, 10), "serious_harm"
    case.save()
    referral = ReferralFactory(case=case, child_sex="female", child_ethnicity="Bangladeshi",
                               child_disability="Global developmental delay", looked_after="no",
                               child_protection_plan="yes", police_investigation="yes", inquest="no")
    HouseholdMember.objects.create(referral=referral, name="Hasina Example", relationship="Mother", age="29")
    HouseholdMember.objects.create(referral=referral, name="Rafi Example", relationship="Brother", age="6")
    SinNotification.objects.create(case=case, notified_on=datetime.date(2026, 3, 2),
                                   notification_reference="SIN-2026-0457", recorded_by=bu)
    return referral


def _pdf(client, user, case, number=None):
    client.force_login(user)
    url = (f"/decisions/case/{case.pk}/sheet/versions/{number}/pdf/" if number else
           f"/decisions/case/{case.pk}/sheet/pdf/")
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_the_pdf_has_every_heading_of_the_national_template_in_order_filled_from_the_case(
        client, facts, signed, executives):
    case = signed.case
    headings = documented_headings()
    assert len(headings) == 16
    response = _pdf(client, executives[HEALTH], case)
    assert response["Content-Disposition"] == (
        f'inline; filename="rapid-review-decision-sheet-{case.reference}-v2.pdf"')
    assert_pdf_of_record(response.content, marking=Marking.OFFICIAL_SENSITIVE,
                         title=f"Rapid review decision sheet, case {case.reference}, version 2")
    text = pdf_text(response.content)
    position = 0
    for number, heading in enumerate(headings, start=1):
        found = text.find(f"{number}. {heading}", position)
        assert found > position, f"{number}. {heading} missing or out of order"
        position = found
    # Facts from the case, never typed into the sheet.
    for fact in ["SIN-2026-0457", "24 February 2026", "25 February 2026", "2 March 2026",
                 "4 years at the incident", "Female", "Bangladeshi", "Global developmental delay",
                 "Child protection plan Yes", "Mother 29", "Brother 6", "Police investigation Yes",
                 "Voter local_authority", "Conflicted Voter", "declared a conflict of interest",
                 "Yes, recommend a practice review 3"]:
        assert fact in text, fact
    # What only the panel can say, from the form.
    for words in ["Language barriers and the mother's disability", FULL_SHEET["siblings_safety"],
                  FULL_SHEET["reg11_c_reason"], "Systems approach", FULL_SHEET["family_involvement"],
                  FULL_SHEET["parallel_processes"], "Child in need Yes"]:
        assert words in text, words
    # The household is described by relationship, never by name; the child by reference only.
    assert "Hasina" not in text and case.child_first_name not in text
    for person in executives.values():
        assert person.full_name in text
    assert "SIGNED" in text and "Signed by all three safeguarding partners." in text
    assert AccessLog.objects.filter(action=AccessAction.PDF, case_id=case.pk).exists()


def test_the_form_asks_only_what_the_case_does_not_hold(client, decision_case, bu):
    services.sheet_start(case=decision_case, actor=bu)
    client.force_login(bu)
    page = client.get(f"/decisions/case/{decision_case.pk}/sheet/edit/").content.decode()
    names = set(re.findall(r'<(?:input|textarea|select)[^>]* name="([a-z0-9_]+)"', page)) - {"csrfmiddlewaretoken"}
    assert names == set(FULL_SHEET)
    for fact in ("ethnicity", "incident", "notification_reference", "household", "attendance", "child_sex"):
        assert not any(fact in name for name in names), fact
    for letter in "abcd":
        assert f"({letter}) Does the case" in page
    response = client.post(f"/decisions/case/{decision_case.pk}/sheet/edit/", {n: FULL_SHEET[n] for n in names})
    assert response.status_code == 302
    assert decision_case.decision_sheet.current.reg11_c_reason == FULL_SHEET["reg11_c_reason"]


def test_a_cspr_recommendation_needs_methodology_scope_reviewer_and_timescale(client, draft, bu, executives):
    services.sheet_edit(sheet=draft, actor=bu, content={**FULL_SHEET, "cspr_reviewer": "", "reg11_b": ""})
    client.force_login(bu)
    response = client.post(f"/decisions/case/{draft.case_id}/sheet/send/")
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#section-cspr-methodology">Name the reviewer, or say how one will be found</a>' in page
    assert '<a href="#section-reg11-a">Answer regulation 11 (b)</a>' in page
    assert 'id="section-cspr-methodology"' in page and 'id="section-reg11-a"' in page
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.current.frozen_at is None
    services.sheet_edit(sheet=draft, actor=bu, content={**FULL_SHEET, "recommendation": "no_further",
                                                         **dict.fromkeys(("cspr_methodology", "cspr_scope",
                                                                          "cspr_reviewer", "cspr_timescale"), "")})
    services.sheet_send(sheet=draft, actor=bu)


def test_each_versions_pdf_shows_only_its_own_signatures_and_status(client, out_for_signature, bu, executives):
    sheet = out_for_signature
    services.signature_record(sheet=sheet, signer=executives[LA], partner=LA, outcome="agree")
    services.sheet_withdraw(sheet=sheet, actor=bu, reason="A date was wrong.")
    sheet.refresh_from_db()
    draft_text = pdf_text(render_sheet_pdf(sheet, sheet.current))
    assert "DRAFT" in draft_text and "Draft: not sent for signature" in draft_text
    assert executives[LA].full_name not in draft_text  # signed version 2, not this draft
    services.sheet_send(sheet=sheet, actor=bu)
    services.signature_record(sheet=sheet, signer=executives[HEALTH], partner=HEALTH, outcome="agree")
    sheet.refresh_from_db()
    awaiting = pdf_text(render_sheet_pdf(sheet, sheet.current))
    assert "Awaiting signature from local authority and police." in awaiting
    assert executives[HEALTH].full_name in awaiting and executives[LA].full_name not in awaiting
    sign_all(sheet, {LA: executives[LA], POLICE: executives[POLICE]})
    sheet.refresh_from_db()
    first = sheet.versions.get(number=2)
    earlier = pdf_text(render_sheet_pdf(sheet, first))
    assert "WITHDRAWN" in earlier and "before health and police signed" in earlier
    assert executives[LA].full_name in earlier and executives[HEALTH].full_name not in earlier
    latest = pdf_text(_pdf(client, executives[HEALTH], sheet.case).content)
    assert "Signed by all three safeguarding partners." in latest
    old = pdf_text(_pdf(client, executives[HEALTH], sheet.case, number=2).content)
    assert "WITHDRAWN" in old and executives[HEALTH].full_name not in old


def test_a_disputed_versions_pdf_says_who_disputed(out_for_signature, executives):
    services.signature_record(sheet=out_for_signature, signer=executives[POLICE], partner=POLICE,
                              outcome="dispute", reasons="The analysis leaves out housing.")
    out_for_signature.refresh_from_db()
    text = pdf_text(render_sheet_pdf(out_for_signature, out_for_signature.current))
    assert "DISPUTED" in text and "Disputed by police." in text
    assert "Disputed: The analysis leaves out housing." in text


def test_an_agency_lead_and_a_panel_member_cannot_download_the_pdf(client, signed, agency_lead, people):
    for user in (agency_lead, people[LA]):
        client.force_login(user)
        assert client.get(f"/decisions/case/{signed.case_id}/sheet/pdf/").status_code in (403, 404)
    assert not AccessLog.objects.filter(action=AccessAction.PDF, case_id=signed.case_id).exists()
