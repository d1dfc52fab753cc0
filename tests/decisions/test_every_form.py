"""Every form of the decisions app, submitted as its page rendered it (tests/forms_as_rendered.py).

Among them: a vote recorded on a member's behalf by the business unit, and a sheet signed by an executive who signs
for two statutory partners and chooses which, after "Confirm it's you".
"""

import datetime

import pytest

from decisions.forms.cspr_conduct import (
    CheckpointForm,
    FamilyContactForm,
    FamilyDraftForm,
    InformationRequestForm,
    RequestAnsweredForm,
)
from decisions.forms.meeting import ImmediateActionForm, MeetingRecordForm, VoteForm
from decisions.forms.outcome import (
    ActionRowForm,
    CsprCommissionForm,
    CsprUpdateForm,
    DateNotesForm,
    MilestoneForm,
    NationalPanelCorrectForm,
    NationalPanelResponseForm,
    NationalPanelSendForm,
    NoCsprForm,
    ParallelProcessForm,
    ParticipationForm,
    PublicationCorrectionForm,
    PublishForm,
    ReportSentForm,
)
from decisions.forms.sheets import DisputeMeetingForm, EscalateForm, ResolveForm, SheetForm, SignForm, WithdrawForm
from decisions.models import (
    Cspr,
    CsprCheckpoint,
    CsprInformationRequest,
    Dispute,
    FamilyContact,
    SheetStatus,
    Signature,
    Vote,
)
from rapidreview.accounts.forms import ReauthenticateForm
from referrals.models import Stage
from tests.factories import PASSWORD, AgencyFactory, RoleAssignmentFactory
from tests.forms_as_rendered import accepted as _ok
from tests.forms_as_rendered import page_form, submits

from .factories import FULL_SHEET, HEALTH, LA, POLICE, the_chair

pytestmark = pytest.mark.django_db


@submits(MeetingRecordForm, ImmediateActionForm)
def test_the_business_unit_writes_the_meeting_record_and_an_immediate_action(client, case, people, bu):
    client.force_login(bu)
    form = page_form(client, f"/decisions/case/{case.pk}/meeting/edit/")
    form.fill(meeting_date=datetime.date(2026, 3, 9), chair_overview="A calm overview.",
              cspr_criteria_met="yes", cspr_criteria_reasons="Serious harm.", national_issues="no")
    _ok(form.submit())
    form = page_form(client, f"/decisions/case/{case.pk}/meeting/actions/new/")
    form.fill(description="Review the escalation policy", learning="Escalation", agency=form.options("agency")[1][0],
              due_on=datetime.date(2026, 4, 30))
    _ok(form.submit())


@submits(VoteForm)
def test_a_member_votes_and_the_business_unit_records_a_vote_on_a_members_behalf(client, case, people, bu):
    client.force_login(people[LA])
    _ok(page_form(client, f"/decisions/case/{case.pk}/vote/", containing="own-choice").fill(
        **{"own-choice": "yes"}).submit())
    client.force_login(bu)
    form = page_form(client, f"/decisions/case/{case.pk}/vote/", containing="behalf-member")
    form.fill(**{"behalf-member": people[POLICE], "behalf-choice": "abstain"})
    _ok(form.submit())
    vote = Vote.objects.get(member=people[POLICE])
    assert vote.choice == "abstain" and vote.on_behalf and vote.recorded_by == bu


@submits(SheetForm, SignForm, ReauthenticateForm)
def test_the_sheet_is_written_and_signed_for_a_partner_chosen_by_an_executive_of_two(client, decision_case, bu,
                                                                                   executives, _today):
    case = decision_case
    client.force_login(bu)
    _ok(page_form(client, f"/decisions/case/{case.pk}/sheet/", action=f"/decisions/case/{case.pk}/sheet/start/")
        .submit())
    form = page_form(client, f"/decisions/case/{case.pk}/sheet/edit/")
    form.fill(**FULL_SHEET)
    _ok(form.submit())
    _ok(page_form(client, f"/decisions/case/{case.pk}/sheet/", action=f"/decisions/case/{case.pk}/sheet/send/")
        .submit())

    both = executives[LA]
    RoleAssignmentFactory(user=both, role="executive", statutory_partner=POLICE, starts_on=datetime.date(2026, 1, 1))
    client.force_login(both)
    _today.shift(datetime.timedelta(minutes=16))  # past the 15 minutes since signing in
    response = client.get(f"/decisions/case/{case.pk}/sheet/sign/")
    _ok(response, "/accounts/confirm-its-you/")
    _ok(page_form(client, response["Location"]).fill(password=PASSWORD).submit(),
        f"/decisions/case/{case.pk}/sheet/sign/")
    form = page_form(client, f"/decisions/case/{case.pk}/sheet/sign/")
    assert {value for value, _ in form.options("partner")} == {LA, POLICE}
    form.fill(partner=POLICE, outcome="agree")
    _ok(form.submit())
    assert Signature.objects.get(sheet__case=case, signer=both).partner == POLICE


@submits(WithdrawForm)
def test_the_business_unit_withdraws_a_sheet_from_signature(client, out_for_signature, bu):
    client.force_login(bu)
    _ok(page_form(client, f"/decisions/case/{out_for_signature.case_id}/sheet/withdraw/").fill(
        reason="A date is wrong").submit())
    out_for_signature.refresh_from_db()
    assert out_for_signature.status == SheetStatus.DRAFT


@submits(DisputeMeetingForm, EscalateForm, ResolveForm)
def test_a_dispute_is_met_escalated_and_resolved_through_its_pages(client, out_for_signature, executives, rr_chair,
                                                                   bu):
    from decisions import services

    services.signature_record(sheet=out_for_signature, signer=executives[HEALTH], partner=HEALTH, outcome="dispute",
                              reasons="The analysis is thin")
    dispute = Dispute.objects.get(sheet=out_for_signature)
    client.force_login(rr_chair)
    _ok(page_form(client, f"/decisions/disputes/{dispute.pk}/meeting/").fill(
        meeting_on=datetime.date(2026, 3, 9), notes="Not agreed").submit())
    client.force_login(bu)
    _ok(page_form(client, f"/decisions/disputes/{dispute.pk}/escalate/").fill(reason="Still not agreed").submit())
    client.force_login(executives[LA])  # the chair of the Executive
    _ok(page_form(client, f"/decisions/disputes/{dispute.pk}/resolve/").fill(resolution="Sheet stands").submit())
    dispute.refresh_from_db()
    assert dispute.resolution == "Sheet stands"


@submits(NationalPanelSendForm, NationalPanelCorrectForm, NationalPanelResponseForm, NoCsprForm, ActionRowForm)
def test_the_decision_goes_to_the_national_panel_and_the_case_ends_without_a_review(client, signed, bu):
    case = signed.case
    client.force_login(bu)
    _ok(page_form(client, f"/decisions/case/{case.pk}/national-panel/send/").fill(
        sent_on=datetime.date(2026, 3, 10)).submit())
    form = page_form(client, f"/decisions/case/{case.pk}/national-panel/correct/")
    chair = str(the_chair().pk)
    other = next(value for value, _label in form.options("sent_for") if value and value != chair)
    _ok(form.fill(sent_for=other, reason="It was sent for the health executive, not the chair.").submit())
    _ok(page_form(client, f"/decisions/case/{case.pk}/national-panel/response/").fill(
        response_on=datetime.date(2026, 3, 10), response="agree", text="Agreed").submit())
    form = page_form(client, f"/decisions/case/{case.pk}/no-review/")
    form.fill(kind=form.options("kind")[0][0], learning="Escalation matters", **{
        "actions-0-description": "Audit escalation", "actions-0-agency": form.options("actions-0-agency")[1][0],
        "actions-0-due_on": "30/4/2026"})
    _ok(form.submit())
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED


@submits(CsprCommissionForm, CsprUpdateForm, MilestoneForm, ParticipationForm, ParallelProcessForm, ReportSentForm,
         PublishForm, PublicationCorrectionForm, DateNotesForm)
def test_a_practice_review_is_commissioned_run_and_published_through_its_pages(client, signed, bu, _today):
    from decisions import services

    case = signed.case
    services.national_panel_send(case=case, actor=bu, sent_on=datetime.date(2026, 3, 10), late_reason="",
                                 sent_for=the_chair())
    client.force_login(bu)
    form = page_form(client, f"/decisions/case/{case.pk}/review/commission/")
    form.fill(methodology=form.options("methodology")[0][0], reviewers="R Reviewer", terms_of_reference="Terms",
              started_on=datetime.date(2026, 3, 10))
    _ok(form.submit())
    cspr = Cspr.objects.get(case=case)
    _ok(page_form(client, f"/decisions/case/{case.pk}/review/edit/").fill(
        planned_publication_on=datetime.date(2026, 9, 30)).submit())
    form = page_form(client, f"/decisions/case/{case.pk}/review/milestones/new/")
    form.fill(kind=form.options("kind")[1][0], planned_on=datetime.date(2026, 5, 1))
    _ok(form.submit())
    _ok(page_form(client, f"/decisions/case/{case.pk}/review/milestones/{cspr.milestones.first().pk}/").fill(
        completed_on=datetime.date(2026, 3, 10)).submit())
    participation = cspr.participations.first()
    if participation is None:
        participation = cspr.participations.create(agency=AgencyFactory(name="Participating Trust"))
    form = page_form(client, f"/decisions/case/{case.pk}/review/participation/{participation.pk}/")
    _ok(form.fill(status=form.options("status")[-1][0]).submit())
    form = page_form(client, f"/decisions/case/{case.pk}/review/processes/new/")
    form.fill(kind=form.options("kind")[1][0], description="Criminal trial", status=form.options("status")[1][0])
    _ok(form.submit())
    _today.move_to(datetime.datetime(2026, 10, 1, 10, 0))
    client.force_login(bu)  # the session from March has expired
    _ok(page_form(client, f"/decisions/case/{case.pk}/review/report-sent/").fill(
        sent_on=datetime.date(2026, 9, 18)).submit())
    _ok(page_form(client, f"/decisions/case/{case.pk}/review/publish/").fill(
        published_on=datetime.date(2026, 9, 30), pseudonym="Child Q").submit())
    _ok(page_form(client, f"/decisions/case/{case.pk}/review/workshop/").fill(
        held_on=datetime.date(2026, 9, 30)).submit())
    cspr.refresh_from_db()
    assert cspr.published_on == datetime.date(2026, 9, 30)
    _ok(page_form(client, f"/decisions/case/{case.pk}/review/publish/correct/").fill(
        pseudonym="Child R", reason="The report was published as Child R.").submit())
    case.refresh_from_db()
    assert case.pseudonym == "Child R"


@submits(CheckpointForm, InformationRequestForm, RequestAnsweredForm, FamilyContactForm, FamilyDraftForm,
         MilestoneForm)
def test_the_business_unit_records_checks_requests_and_the_family_through_the_review_page(client, cspr, bu):
    client.force_login(bu)
    base = f"/decisions/case/{cspr.case_id}/review"
    page = client.get(f"{base}/").content.decode()
    assert "How agencies shared concerns about the baby." in page  # the terms of reference, shown with the review
    for link in ("/checks/new/", "/requests/new/", "/family/new/", "/family/draft/"):
        assert f"{base}{link}" in page
    _ok(page_form(client, f"{base}/checks/new/").fill(
        checked_on=datetime.date(2026, 3, 10), on_time="yes", quality_adequate="yes").submit())
    form = page_form(client, f"{base}/requests/new/")
    assert form.controls["addressed_to"].value == "Rowan Reviewer"
    _ok(form.fill(kind="information", detail="The health visiting chronology.",
                  addressed_to_email="rowan@reviewers.example.org", due_on=datetime.date(2026, 3, 24)).submit())
    request = CsprInformationRequest.objects.get()
    _ok(page_form(client, f"{base}/requests/{request.pk}/reply/").fill(
        received_on=datetime.date(2026, 3, 10), notes="Chronology received.").submit())
    _ok(page_form(client, f"{base}/family/new/").fill(
        relationship="Grandmother", contacted_on=datetime.date(2026, 3, 10), consent="declined",
        advocate_offered=True).submit())
    contact = FamilyContact.objects.get()
    _ok(page_form(client, f"{base}/family/{contact.pk}/").fill(consent="given").submit())
    _ok(page_form(client, f"{base}/family/draft/").fill(
        shared_on=datetime.date(2026, 3, 10), response="No comments.").submit())
    milestone = cspr.milestones.get(kind="practitioner_event")
    _ok(page_form(client, f"{base}/milestones/{milestone.pk}/").fill(
        completed_on=datetime.date(2026, 3, 10), attendees=14, notes="Health, police and school staff.").submit())
    page = client.get(f"{base}/").content.decode()
    for shown in ("Chronology received.", "Grandmother", "Consent given", "No comments.", "14 attended"):
        assert shown in page, shown
    assert CsprCheckpoint.objects.get().recorded_by == bu
