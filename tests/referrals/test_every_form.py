"""Every form of the referrals app, submitted as its page rendered it (tests/forms_as_rendered.py)."""

import datetime

import pytest
from django.utils import timezone

from rapidreview.accounts.models import Role
from referrals.forms.cdop import CdopDiscussionForm, NoReferralForm
from referrals.forms.children import IncidentChildForm, RemoveChildForm
from referrals.forms.intake import (
    AgenciesForm,
    ChildForm,
    CriteriaForm,
    HouseholdMemberForm,
    IncidentForm,
    KindForm,
    ReferrerForm,
)
from referrals.forms.not_met import (
    AssuranceAnswerForm,
    AssuranceReplyForm,
    AssuranceRequestForm,
    CloseForm,
    LetterForm,
    LetterManualSendForm,
)
from referrals.forms.participation import AnswerLeadForm, EndParticipationForm, InvitePartnershipForm, ProposeLeadForm
from referrals.forms.public import PartnershipChoiceForm, PartnershipSearchForm, PublicReferralForm
from referrals.forms.sin import SinForm
from referrals.forms.threshold import ThresholdForm
from referrals.models import Case, CaseParticipation, CdopDiscussion, Source, Stage
from referrals.views.public import LIST_AT_MOST
from tests.factories import AgencyFactory, default_partnership, make_partnership, make_user
from tests.forms_as_rendered import accepted, page_form, submits

from .factories import CaseFactory, partnership_agency

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@submits(PublicReferralForm)
def test_a_member_of_the_public_refers_a_child(client):
    default_partnership()  # the installation's one partnership: /refer/ is its start page
    form = page_form(client, "/refer/form/")
    form.fill(referrer_name="Mo Parent", referrer_email="mo@example.test", child_first_name="Ada",
              child_last_name="Brightwater", harm="serious_harm", description="She was hurt.",
              incident_date=TODAY - datetime.timedelta(days=3))
    accepted(form.submit(), "/refer/check/")
    accepted(page_form(client, "/refer/check/", action="").submit(), "/refer/done/")
    assert Case.objects.get().source == Source.PUBLIC


@submits(KindForm, ReferrerForm, ChildForm, HouseholdMemberForm, IncidentForm, AgenciesForm, CriteriaForm)
def test_the_business_unit_records_a_cdop_referral_through_every_step_of_the_wizard(bu_client):
    AgencyFactory(name="Barts Health")
    accepted(page_form(bu_client, "/referrals/new/").fill(source=Source.CDOP_JAR).submit())
    steps = {
        "referrer": {"referrer_name": "Dr Lee", "referrer_role": "Paediatrician", "cdop_forum": "cdop",
                     "cdop_discussed_on": TODAY - datetime.timedelta(days=2)},
        "child": {"child_first_name": "Ada", "child_last_name": "Brightwater",
                  "child_dob": datetime.date(2015, 1, 2)},
        "household": {"household-0-name": "Dad"},
        "incident": {"harm": "died", "description": "Died.", "incident_date": TODAY - datetime.timedelta(days=10),
                     "la_aware_on": TODAY - datetime.timedelta(days=9)},
        "agencies": {"agencies": ["Barts Health"]},
        "criteria": {"criteria_reasons": "Neglect suspected."},
    }
    for step, values in steps.items():
        form = page_form(bu_client, f"/referrals/new/{step}/")
        if step == "household":
            form.add_another("household")
        accepted(form.fill(**values).submit())
    accepted(page_form(bu_client, "/referrals/new/check/", action="").submit(), "/referrals/new/sent/")
    case = Case.objects.get()
    assert case.source == Source.CDOP_JAR and case.referral.household.get().name == "Dad"
    assert [a.name for a in case.involved_agencies.all()] == ["Barts Health"]


@submits(ThresholdForm, SinForm)
def test_the_threshold_is_met_and_the_business_unit_records_the_notification(client, business_unit,
                                                                           threshold_makers):
    case = CaseFactory(stage=Stage.THRESHOLD)
    client.force_login(threshold_makers["local_authority"])
    form = page_form(client, f"/cases/{case.pk}/threshold/")
    form.fill(discussed_on=TODAY, la_participant=threshold_makers["local_authority"],
              health_participant=threshold_makers["health"], police_participant=threshold_makers["police"],
              outcome="met", rationale="Neglect suspected and serious harm.")
    accepted(form.submit())
    client.force_login(business_unit)
    form = page_form(client, f"/cases/{case.pk}/sin/")
    accepted(form.fill(notified_on=TODAY, notification_reference="SIN-123", late_reason="Waiting for police")
             .submit())
    case.refresh_from_db()
    assert case.sin_notified_on == TODAY


@submits(LetterForm, LetterManualSendForm, AssuranceRequestForm, AssuranceAnswerForm, CloseForm)
def test_a_case_not_met_gets_its_letter_an_assurance_request_and_is_closed(client, business_unit, threshold_makers):
    case = CaseFactory(stage=Stage.THRESHOLD)
    client.force_login(threshold_makers["local_authority"])
    form = page_form(client, f"/cases/{case.pk}/threshold/")
    form.fill(discussed_on=TODAY, la_participant=threshold_makers["local_authority"], outcome="not_met",
              absence_reason="Health and police on leave", rationale="No abuse or neglect suspected.")
    accepted(form.submit())

    client.force_login(business_unit)
    bu_client = client
    accepted(page_form(bu_client, f"/cases/{case.pk}/letter/").fill(next_steps="Talk to us.").submit("Continue"))
    form = page_form(bu_client, f"/cases/{case.pk}/letter/send/", containing="sent_by")
    form.fill(sent_by=form.options("sent_by")[0][0], sent_to="12 Example Street", sent_on=TODAY)
    accepted(form.submit())
    agency = partnership_agency(name="Assured Trust")
    form = page_form(bu_client, f"/cases/{case.pk}/assurance/")
    form.fill(agency=agency, request="How do you follow up missed appointments?",
              due_on=TODAY + datetime.timedelta(days=14))
    accepted(form.submit())
    item = case.assurance_requests.get()
    accepted(page_form(bu_client, f"/cases/{case.pk}/assurance/{item.pk}/").fill(
        response="We phone the family.", responded_on=TODAY).submit())
    form = page_form(bu_client, f"/cases/{case.pk}/close/")
    if "themes" in form:
        form.fill(themes=[form.options("themes")[0][0]])
    accepted(form.fill(note="Learning shared").submit())
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED


@submits(AssuranceReplyForm)
def test_an_agencys_safeguarding_lead_answers_an_assurance_request_on_its_page(client, business_unit,
                                                                               threshold_makers):
    case = CaseFactory(stage=Stage.NOT_MET)
    agency = partnership_agency(name="Answering Trust")
    lead = make_user(Role.AGENCY_LEAD, agency=agency)
    client.force_login(business_unit)
    form = page_form(client, f"/cases/{case.pk}/assurance/")
    accepted(form.fill(agency=agency, request="How do you follow up missed appointments?",
                       due_on=TODAY + datetime.timedelta(days=14)).submit())
    item = case.assurance_requests.get()
    client.force_login(lead)
    accepted(page_form(client, f"/assurance/{item.pk}/").fill(response="We phone the family the same day.").submit())
    item.refresh_from_db()
    assert item.is_answered and item.response == "We phone the family the same day."


@submits(CdopDiscussionForm, NoReferralForm)
def test_the_business_unit_records_a_cdop_discussion_and_that_no_referral_is_needed(bu_client):
    form = page_form(bu_client, "/referrals/cdop/new/")
    form.fill(forum=form.options("forum")[0][0], discussed_on=TODAY - datetime.timedelta(days=1),
              forum_reference="CDOP/2026/041")
    accepted(form.submit())
    discussion = CdopDiscussion.objects.get()
    accepted(page_form(bu_client, f"/referrals/cdop/{discussion.pk}/").fill(
        reason="The death was expected; no safeguarding concerns.").submit())
    discussion.refresh_from_db()
    assert not discussion.is_open


@submits(InvitePartnershipForm, EndParticipationForm)
def test_the_leading_business_unit_invites_another_partnership_and_ends_its_part(bu_client):
    case = CaseFactory(stage=Stage.RAPID_REVIEW)
    hackney = make_partnership("City and Hackney Safeguarding Children Partnership", slug="city-and-hackney")
    form = page_form(bu_client, f"/cases/{case.pk}/partnerships/invite/")
    accepted(form.fill(partnership=str(hackney.pk), reason="The child lives in Hackney.").submit())
    participation = CaseParticipation.objects.get(case=case, partnership=hackney)
    accepted(page_form(bu_client, f"/cases/{case.pk}/partnerships/{participation.pk}/end/").fill(
        note="The family moved back.").submit())
    participation.refresh_from_db()
    assert participation.ended_at is not None


@submits(PartnershipChoiceForm)
def test_a_member_of_the_public_chooses_the_area_where_it_happened(client):
    default_partnership()
    hackney = make_partnership("City and Hackney Safeguarding Children Partnership", slug="city-and-hackney")
    response = page_form(client, "/refer/").fill(area=hackney.slug).submit()
    assert response.status_code == 302 and response["Location"] == f"/refer/{hackney.slug}/"


@submits(PartnershipSearchForm, PartnershipChoiceForm)
def test_a_member_of_the_public_finds_the_area_by_name_on_an_installation_of_many_partnerships(client):
    default_partnership()
    for n in range(LIST_AT_MOST):
        make_partnership(f"Shire {n:02d} Safeguarding Children Partnership", slug=f"shire-{n:02d}")
    hackney = make_partnership("City and Hackney Safeguarding Children Partnership", slug="city-and-hackney",
                               local_authority_name="London Borough of Hackney")
    found = page_form(client, "/refer/", containing="q").fill(q="Hackney").submit()
    choose = page_form(client, "", response=found, containing="area")
    response = choose.fill(area=f"London Borough of Hackney ({hackney.name})").submit()
    assert response.status_code == 302 and response["Location"] == f"/refer/{hackney.slug}/"


@submits(IncidentChildForm, RemoveChildForm)
def test_the_business_unit_adds_changes_and_removes_another_child_in_the_incident(bu_client):
    case = CaseFactory(stage=Stage.RAPID_REVIEW)
    form = page_form(bu_client, f"/cases/{case.pk}/children/add/")
    form.fill(first_name="Hattie", last_name="Testwood", dob=datetime.date(2020, 8, 4), sex="female",
              relationship="Sister", outcome="serious_harm", looked_after="no")
    accepted(form.submit())
    case.refresh_from_db()
    child = case.other_children.get()
    assert case.children_count == 2 and child.name == "Hattie Testwood" and child.outcome == "serious_harm"
    page = bu_client.get(f"/cases/{case.pk}/").content.decode()
    assert "Child 2: Hattie Testwood" in page and "Not harmed, but at risk" not in page

    form = page_form(bu_client, f"/cases/{case.pk}/children/{child.pk}/")
    accepted(form.fill(outcome="at_risk").submit())
    child.refresh_from_db()
    assert child.outcome == "at_risk" and child.first_name == "Hattie"

    form = page_form(bu_client, f"/cases/{case.pk}/children/{child.pk}/remove/")
    accepted(form.fill(reason="Recorded on the wrong case").submit())
    case.refresh_from_db()
    assert case.children_count == 1 and not case.other_children.exists()
    assert "Hattie" not in " ".join(case.events.values_list("summary", flat=True))


@submits(ThresholdForm, SinForm, CloseForm)
def test_a_looked_after_childs_death_without_abuse_is_notified_and_closed_without_a_rapid_review(
        client, business_unit, threshold_makers):
    case = CaseFactory(stage=Stage.THRESHOLD, harm="died")
    client.force_login(threshold_makers["local_authority"])
    form = page_form(client, f"/cases/{case.pk}/threshold/")
    form.fill(discussed_on=TODAY, la_participant=threshold_makers["local_authority"],
              health_participant=threshold_makers["health"], police_participant=threshold_makers["police"],
              route="lac_death", abuse_or_neglect="no", outcome="notify_only",
              rationale="An expected death in foster care.")
    accepted(form.submit())
    client.force_login(business_unit)
    form = page_form(client, f"/cases/{case.pk}/sin/")
    accepted(form.fill(notified_on=TODAY, notification_reference="DFE-1", ofsted_notified="yes",
                       secretary_of_state_notified="yes", late_reason="Waiting for the foster carers").submit())
    case.refresh_from_db()
    assert case.stage == Stage.NOTIFIED and case.route == "lac_death"
    form = page_form(client, f"/cases/{case.pk}/close/")
    accepted(form.fill(note="Notified and recorded").submit())
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED


@submits(ProposeLeadForm, AnswerLeadForm)
def test_the_business_unit_asks_another_partnership_to_lead_and_it_accepts(client, business_unit):
    case = CaseFactory(stage=Stage.RECEIVED)
    elsewhere = make_partnership("Lead Elsewhere SCP", short_name="LESCP")
    client.force_login(business_unit)
    form = page_form(client, f"/cases/{case.pk}/lead/propose/")
    accepted(form.fill(partnership=elsewhere, reason="The incident happened there.").submit())
    client.force_login(make_user(Role.BUSINESS_UNIT, partnership=elsewhere))
    accepted(page_form(client, f"/cases/{case.pk}/lead/answer/").fill(accept="yes", note="Agreed.").submit())
    case.refresh_from_db()
    assert case.partnership == elsewhere
