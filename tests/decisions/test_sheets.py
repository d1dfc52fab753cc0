"""The decision sheet: drafting, versions, signing, disputes, escalation, re-authentication and the PDF."""

import datetime

import pytest
from django.core import mail
from pytest_django.asserts import assertInHTML

from decisions import services
from decisions.models import DecisionSheetVersion, DisputeStatus, SheetStatus, Signature
from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification
from tests.factories import make_executive

from .conftest import sign_all
from .factories import FULL_SHEET, HEALTH, LA, POLICE


def test_the_draft_is_prefilled_from_the_meeting_record(decision_case, bu):
    services.meeting_save(case=decision_case, actor=bu, meeting_date=None, chair_overview="The chair's overview.",
                          themes=[], areas_for_learning="Think family.", cspr_criteria_met="yes",
                          cspr_criteria_reasons="Serious harm.", national_issues="no", national_issues_detail="")
    sheet = services.sheet_start(case=decision_case, actor=bu)
    assert sheet.current.number == 1
    assert sheet.current.case_summary == "The chair's overview."
    assert sheet.current.learning == "Think family."
    assert sheet.current.criteria_met == "yes"
    assert sheet.current.recommendation == "cspr"  # three yes votes


def test_each_edit_of_a_draft_saves_a_new_version(draft, bu):
    services.sheet_edit(sheet=draft, actor=bu, content={**FULL_SHEET, "learning": "Changed"})
    assert list(draft.versions.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    assert draft.versions.get(number=2).learning == FULL_SHEET["learning"]


def test_a_sheet_cannot_be_sent_with_sections_missing(decision_case, bu, executives):
    sheet = services.sheet_start(case=decision_case, actor=bu)
    with pytest.raises(DomainError, match="analysis"):
        services.sheet_send(sheet=sheet, actor=bu)


def test_sending_freezes_the_version_and_asks_each_executive_once(draft, bu, executives,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.sheet_send(sheet=draft, actor=bu)
    assert version.frozen_at is not None
    assert Notification.objects.filter(kind="decisions.sign_request").count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.email for e in executives.values())


def test_a_sheet_out_for_signature_cannot_be_edited(out_for_signature, bu):
    with pytest.raises(DomainError, match="Withdraw it first"):
        services.sheet_edit(sheet=out_for_signature, actor=bu, content=FULL_SHEET)
    assert DecisionSheetVersion.objects.filter(sheet=out_for_signature).count() == 2


def test_the_edit_page_refuses_a_sheet_out_for_signature(client, out_for_signature, bu):
    client.force_login(bu)
    url = f"/decisions/case/{out_for_signature.case_id}/sheet/edit/"
    assert client.get(url).status_code == 302
    response = client.post(url, {**FULL_SHEET, "learning": "Sneaky change"})
    assert response.status_code == 400
    assert "Withdraw it first" in response.content.decode()
    assert not DecisionSheetVersion.objects.filter(learning="Sneaky change").exists()


def test_withdrawing_opens_a_new_version_and_signatures_are_collected_again(out_for_signature, bu, executives):
    services.signature_record(sheet=out_for_signature, signer=executives[LA], partner=LA, outcome="agree")
    version = services.sheet_withdraw(sheet=out_for_signature, actor=bu, reason="Typo")
    services.sheet_edit(sheet=out_for_signature, actor=bu, content=FULL_SHEET)
    services.sheet_send(sheet=out_for_signature, actor=bu)
    out_for_signature.refresh_from_db()
    assert version.number == 3 and out_for_signature.current.number == 4
    assert not out_for_signature.current.signatures.exists()


def test_the_sheet_is_signed_when_all_three_partners_agree_to_the_same_version(out_for_signature, executives):
    services.signature_record(sheet=out_for_signature, signer=executives[LA], partner=LA, outcome="agree")
    services.signature_record(sheet=out_for_signature, signer=executives[HEALTH], partner=HEALTH, outcome="agree")
    out_for_signature.refresh_from_db()
    assert out_for_signature.status == SheetStatus.OUT_FOR_SIGNATURE
    services.signature_record(sheet=out_for_signature, signer=executives[POLICE], partner=POLICE, outcome="agree")
    out_for_signature.refresh_from_db()
    assert out_for_signature.status == SheetStatus.SIGNED
    signature = Signature.objects.get(partner=POLICE)
    assert signature.signer == executives[POLICE] and signature.version == out_for_signature.current
    assert signature.signed_at is not None


def test_an_executive_cannot_sign_for_another_partner(out_for_signature, executives):
    with pytest.raises(DomainError, match="do not sign"):
        services.signature_record(sheet=out_for_signature, signer=executives[LA], partner=POLICE, outcome="agree")


def test_a_partner_answers_once_per_version(out_for_signature, executives):
    services.signature_record(sheet=out_for_signature, signer=executives[LA], partner=LA, outcome="agree")
    with pytest.raises(DomainError, match="already answered"):
        services.signature_record(sheet=out_for_signature, signer=executives[LA], partner=LA, outcome="agree")


def test_a_draft_cannot_be_signed(draft, executives):
    with pytest.raises(DomainError, match="not out for signature"):
        services.signature_record(sheet=draft, signer=executives[LA], partner=LA, outcome="agree")


def test_a_dispute_needs_reasons(out_for_signature, executives):
    with pytest.raises(DomainError, match="reasons"):
        services.signature_record(sheet=out_for_signature, signer=executives[HEALTH], partner=HEALTH,
                                  outcome="dispute", reasons=" ")


def test_dispute_meeting_revision_and_every_partner_signing_again(out_for_signature, executives, bu, rr_chair):
    services.signature_record(sheet=out_for_signature, signer=executives[LA], partner=LA, outcome="agree")
    services.signature_record(sheet=out_for_signature, signer=executives[HEALTH], partner=HEALTH,
                              outcome="dispute", reasons="The analysis misses the housing history.")
    out_for_signature.refresh_from_db()
    assert out_for_signature.status == SheetStatus.DISPUTED
    dispute = out_for_signature.disputes.get()
    with pytest.raises(DomainError, match="meeting with the rapid review chair"):
        services.sheet_revise(sheet=out_for_signature, actor=bu)
    services.dispute_record_meeting(dispute=dispute, actor=rr_chair, meeting_on=datetime.date(2026, 3, 9),
                                    notes="Add the housing history.")
    revised = services.sheet_revise(sheet=out_for_signature, actor=bu)
    services.sheet_edit(sheet=out_for_signature, actor=bu, content={**FULL_SHEET, "analysis": "With housing."})
    services.sheet_send(sheet=out_for_signature, actor=bu)
    out_for_signature.refresh_from_db()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.RESOLVED and dispute.revised_version == revised
    assert out_for_signature.status == SheetStatus.OUT_FOR_SIGNATURE
    # The local authority's earlier signature was on the old version: it signs again.
    with pytest.raises(DomainError):
        services.signature_record(sheet=out_for_signature, signer=executives[LA], partner=POLICE, outcome="agree")
    sign_all(out_for_signature, executives)
    assert out_for_signature.status == SheetStatus.SIGNED
    assert Signature.objects.filter(version=out_for_signature.current, outcome="agree").count() == 3
    assert Signature.objects.count() == 5


def test_an_escalation_goes_to_the_executive_chair_who_alone_resolves_it(out_for_signature, executives, bu):
    services.signature_record(sheet=out_for_signature, signer=executives[POLICE], partner=POLICE,
                              outcome="dispute", reasons="Disagree with the recommendation.")
    dispute = out_for_signature.disputes.get()
    services.dispute_escalate(dispute=dispute, actor=bu, reason="No agreement at the meeting.")
    assert Notification.objects.get(kind="decisions.escalated").recipient == executives[LA]
    with pytest.raises(DomainError, match="chair of the Executive"):
        services.dispute_resolve(dispute=dispute, actor=executives[HEALTH], resolution="Mine")
    services.dispute_resolve(dispute=dispute, actor=executives[LA], resolution="Hold a learning review instead.")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.RESOLVED and dispute.resolved_by == executives[LA]
    version = services.sheet_revise(sheet=out_for_signature, actor=bu)
    assert version.frozen_at is None


def test_signing_asks_for_the_password_again_after_15_minutes(client, out_for_signature, executives, _today):
    client.force_login(executives[LA])
    url = f"/decisions/case/{out_for_signature.case_id}/sheet/sign/"
    assert client.get(url).status_code == 200
    _today.shift(datetime.timedelta(minutes=16))
    response = client.post(url, {"outcome": "agree"})
    assert response.status_code == 302 and "next=" in response["Location"]
    assert not Signature.objects.exists()


def test_an_executive_signs_through_the_page(client, out_for_signature, executives):
    client.force_login(executives[HEALTH])
    response = client.post(f"/decisions/case/{out_for_signature.case_id}/sheet/sign/",
                           {"outcome": "dispute", "reasons": ""})
    assert response.status_code == 200 and "Give your reasons" in response.content.decode()
    response = client.post(f"/decisions/case/{out_for_signature.case_id}/sheet/sign/", {"outcome": "agree"})
    assert response.status_code == 302
    assert Signature.objects.get().signer == executives[HEALTH]


def test_the_business_unit_cannot_sign(client, out_for_signature, bu):
    client.force_login(bu)
    assert client.get(f"/decisions/case/{out_for_signature.case_id}/sheet/sign/").status_code == 403


def test_an_executive_not_signing_for_a_partner_cannot_sign(client, out_for_signature):
    client.force_login(make_executive(""))
    assert client.get(f"/decisions/case/{out_for_signature.case_id}/sheet/sign/").status_code == 403


def test_the_sign_page_refuses_put(client, out_for_signature, executives):
    client.force_login(executives[LA])
    assert client.put(f"/decisions/case/{out_for_signature.case_id}/sheet/sign/").status_code == 405


def test_only_the_executive_chair_opens_the_resolve_page(client, out_for_signature, executives, bu):
    services.signature_record(sheet=out_for_signature, signer=executives[POLICE], partner=POLICE,
                              outcome="dispute", reasons="No.")
    dispute = out_for_signature.disputes.get()
    services.dispute_escalate(dispute=dispute, actor=bu, reason="Stuck.")
    client.force_login(executives[HEALTH])
    assert client.get(f"/decisions/disputes/{dispute.pk}/resolve/").status_code == 403
    client.force_login(executives[LA])
    response = client.post(f"/decisions/disputes/{dispute.pk}/resolve/", {"resolution": "Agreed way forward."})
    assert response.status_code == 302


def test_an_agency_lead_cannot_download_the_pdf(client, signed, agency_lead):
    client.force_login(agency_lead)
    assert client.get(f"/decisions/case/{signed.case_id}/sheet/pdf/").status_code == 403


def test_a_panel_member_cannot_read_the_sheet(client, signed, people):
    client.force_login(people[LA])
    assert client.get(f"/decisions/case/{signed.case_id}/sheet/").status_code == 403


def test_the_executive_sees_sheets_awaiting_their_signature(client, out_for_signature, executives,
                                                            django_assert_num_queries):
    client.force_login(executives[POLICE])
    response = client.get("/decisions/awaiting-signature/")
    assert out_for_signature.case.reference in response.content.decode()
    services.signature_record(sheet=out_for_signature, signer=executives[POLICE], partner=POLICE, outcome="agree")
    assert out_for_signature.case.reference not in client.get("/decisions/awaiting-signature/").content.decode()


def test_the_business_unit_starts_and_edits_the_sheet_in_the_browser(client, decision_case, bu):
    client.force_login(bu)
    response = client.post(f"/decisions/case/{decision_case.pk}/sheet/start/")
    assert response.status_code == 302
    page = client.get(f"/decisions/case/{decision_case.pk}/sheet/edit/").content.decode()
    assert 'type="radio"' in page and "---------" not in page  # no empty choice offered as a radio
    response = client.post(f"/decisions/case/{decision_case.pk}/sheet/edit/", FULL_SHEET)
    assert response.status_code == 302
    assert decision_case.decision_sheet.versions.count() == 2


def test_the_sheet_cannot_be_started_before_the_vote_closes(case, people, bu):
    with pytest.raises(DomainError, match="vote has closed"):
        services.sheet_start(case=case, actor=bu)


def _error_summary(page: str) -> str:
    start = page.index('<div class="govuk-error-summary"')
    return page[start:page.index("</ul>", start)]


def test_a_refused_send_lists_each_missing_section_in_the_error_summary(client, decision_case, bu, executives):
    sheet = services.sheet_start(case=decision_case, actor=bu)
    client.force_login(bu)
    response = client.post(f"/decisions/case/{decision_case.pk}/sheet/send/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: Decision sheet" in page
    summary = _error_summary(page)
    assert 'tabindex="-1"' in summary and 'role="alert"' in summary and "There is a problem" in summary
    assertInHTML('<li><a href="#section-analysis">Write the analysis</a></li>', summary)
    assertInHTML('<li><a href="#section-recommendation">Give the rationale for the recommendation</a></li>',
                 summary)
    assert 'id="section-analysis"' in page and 'id="section-recommendation"' in page
    assert "govuk-notification-banner" not in page  # not a flash message as well
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT and sheet.current.frozen_at is None


def test_a_refused_send_links_a_missing_executive_to_the_partners_signature_row(client, draft, bu):
    client.force_login(bu)
    response = client.post(f"/decisions/case/{draft.case_id}/sheet/send/")
    assert response.status_code == 400
    page = response.content.decode()
    summary = _error_summary(page)
    assertInHTML('<li><a href="#signature-police">Ask an administrator to add an executive member of Safeguarding '
                 "Children Partnership who signs for police</a></li>", summary)
    assert 'id="signature-police"' in page and "#section-" not in summary


def test_a_refusal_with_nowhere_to_point_is_listed_without_a_link(client, out_for_signature, bu):
    client.force_login(bu)
    response = client.post(f"/decisions/case/{out_for_signature.case_id}/sheet/send/")
    assert response.status_code == 400
    assertInHTML("<li>Only a draft decision sheet can be sent for signature.</li>",
                 _error_summary(response.content.decode()))


def test_the_sheet_page_has_no_error_summary_when_nothing_was_refused(client, draft, bu):
    client.force_login(bu)
    page = client.get(f"/decisions/case/{draft.case_id}/sheet/").content.decode()
    assert "govuk-error-summary" not in page and "<title>Error:" not in page
