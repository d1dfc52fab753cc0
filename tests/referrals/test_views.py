"""Pages: the wizard, the public form, the case list and pages, the threshold and SIN forms."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessLog
from referrals.models import Case, Source, Stage
from referrals.selectors import open_cases_by_stage
from tests.factories import AgencyFactory, default_partnership, make_user

from .factories import CaseFactory

TODAY = timezone.localdate()


def _date(prefix, d):
    return {f"{prefix}_0": str(d.day), f"{prefix}_1": str(d.month), f"{prefix}_2": str(d.year)}


def _public_post(**extra):
    data = {"referrer_name": "Mo Parent", "child_first_name": "Ada", "child_last_name": "Brightwater",
            "harm": "serious_harm", "description": "She was hurt.", "referrer_email": "mo@example.test",
            **_date("incident_date", TODAY - datetime.timedelta(days=3))}
    data.update(extra)
    return data


@pytest.fixture
def one_partnership(db):
    """The installation's one partnership (made by the migrations; here too when tests run without them)."""
    return default_partnership()


@pytest.mark.usefixtures("one_partnership")
@pytest.mark.django_db
class TestPublicReferral:
    def test_a_parent_can_refer_without_an_account_and_sees_only_the_reference(self, client):
        assert client.get(reverse("referrals:public_start")).status_code == 200
        response = client.post(reverse("referrals:public_referral"), _public_post())
        assert response.status_code == 302 and response["Location"] == reverse("referrals:public_check")
        assert b"Brightwater" in client.get(reverse("referrals:public_check")).content
        response = client.post(reverse("referrals:public_check"), follow=True)
        case = Case.objects.get()
        assert case.source == Source.PUBLIC and case.reference.encode() in response.content
        assert b"govuk-panel--confirmation" in response.content
        assert client.get(reverse("referrals:case_detail", args=[case.pk])).status_code == 302  # sign in

    @pytest.mark.parametrize("extra, message", [
        ({"incident_date_0": "1", "incident_date_1": "1", "incident_date_2": str(TODAY.year + 1)},
         b"The date it happened must be today or in the past"),
        ({"incident_date_0": "31", "incident_date_1": "2", "incident_date_2": "2025"},
         b"The date it happened must be a real date"),
        ({"incident_date_0": "x", "incident_date_1": "2", "incident_date_2": "2025"}, b"Enter a valid date"),
        ({"child_first_name": ""}, b"Enter the child&#x27;s first name"),
    ])
    def test_bad_input_shows_an_error_summary_and_keeps_what_was_typed(self, client, extra, message):
        response = client.post(reverse("referrals:public_referral"), _public_post(**extra))
        assert response.status_code == 200
        assert b"govuk-error-summary" in response.content and message in response.content
        assert b"She was hurt." in response.content and not Case.objects.exists()

    def test_the_honeypot_refuses_bots(self, client):
        response = client.post(reverse("referrals:public_referral"), _public_post(website="http://spam"))
        assert response.status_code == 400 and not Case.objects.exists()

    def test_submissions_are_rate_limited_per_address(self, client, settings):
        settings.PUBLIC_REFERRAL_RATE_LIMIT = 2
        for _ in range(2):
            client.post(reverse("referrals:public_referral"), _public_post())
            assert client.post(reverse("referrals:public_check")).status_code == 302
        client.post(reverse("referrals:public_referral"), _public_post())
        assert client.post(reverse("referrals:public_check")).status_code == 429
        assert Case.objects.count() == 2

    def test_the_public_form_refuses_other_methods(self, client):
        assert client.put(reverse("referrals:public_referral")).status_code == 405


def _walk_wizard(client, source="professional", **overrides):
    client.post(reverse("referrals:referral_start"), {"source": source})
    steps = {
        "referrer": {"referrer_name": "Lead Person", "discussed_with_manager": "on",
                     **_date("cdop_discussed_on", TODAY - datetime.timedelta(days=9)), "cdop_forum": "cdop"},
        "child": {"child_first_name": "Ada", "child_last_name": "Brightwater", **_date("child_dob",
                                                                                        datetime.date(2015, 1, 2))},
        "household": {"household-TOTAL_FORMS": "1", "household-INITIAL_FORMS": "0", "household-0-name": "Dad"},
        "incident": {"harm": "died", "description": "Died.", **_date("incident_date", TODAY - datetime.timedelta(
            days=10)), **_date("la_aware_on", TODAY - datetime.timedelta(days=9))},
        "agencies": {},
        "criteria": {"criteria_reasons": "Neglect suspected."},
    }
    for step, data in steps.items():
        data = {**data, **overrides.get(step, {})}
        response = client.post(reverse("referrals:referral_step", args=[step]), data)
        if response.status_code != 302:
            return response
    return client.post(reverse("referrals:referral_check"))


@pytest.mark.django_db
class TestProfessionalReferral:
    def test_an_agency_lead_refers_for_their_own_agency(self, client):
        agency = AgencyFactory(name="Barts")
        lead = make_user(Role.AGENCY_LEAD, agency=agency)
        client.force_login(lead)
        response = _walk_wizard(client)
        assert response.status_code == 302 and response["Location"] == reverse("referrals:referral_done")
        case = Case.objects.get()
        assert case.referral.referrer_agency == agency and case.referral.discussed_with_manager
        assert case.referral.household.get().name == "Dad"
        # An agency lead sees nothing of the case unless a later stage grants it.
        assert client.get(reverse("referrals:case_detail", args=[case.pk])).status_code == 404

    def test_a_professional_must_confirm_discussing_it_with_their_manager(self, client):
        client.force_login(make_user(Role.AGENCY_LEAD))
        response = _walk_wizard(client, referrer={"discussed_with_manager": ""})
        assert b"Confirm that you discussed" in response.content

    def test_awareness_before_the_incident_is_refused_and_the_answers_kept(self, client, bu_client):
        response = _walk_wizard(bu_client, incident={
            **_date("la_aware_on", TODAY - datetime.timedelta(days=20))})
        assert b"must be on or after the date of the incident" in response.content
        assert b"Died." in response.content

    def test_a_cdop_referral_made_late_is_flagged_on_the_case_and_the_list(self, bu_client):
        _walk_wizard(bu_client, source="cdop_jar")
        case = Case.objects.get()
        assert case.referral.is_late
        assert b"Referred late" in bu_client.get(reverse("referrals:case_list")).content

    def test_a_matching_child_gets_a_warning_before_saving(self, bu_client):
        CaseFactory(child_first_name="Ada", child_last_name="Brightwater", child_dob=datetime.date(2015, 1, 2))
        response = _walk_wizard(bu_client)
        assert response.status_code == 200 and b"may already have a case" in response.content
        assert Case.objects.count() == 1
        bu_client.post(reverse("referrals:referral_check"), {"confirm_duplicate": "1"})
        assert Case.objects.count() == 2

    def test_a_panel_member_cannot_make_a_referral(self, client):
        client.force_login(make_user(Role.PANEL_MEMBER))
        assert client.get(reverse("referrals:referral_start")).status_code == 403


@pytest.mark.django_db
class TestCasePages:
    def test_the_list_runs_a_constant_number_of_queries(self, bu_client, django_assert_num_queries):
        CaseFactory.create_batch(2)
        bu_client.get(reverse("referrals:case_list"))  # warm the partnership cache
        two = _count(bu_client)
        CaseFactory.create_batch(28)
        with django_assert_num_queries(two):
            response = bu_client.get(reverse("referrals:case_list"))
        assert response.context["page"].paginator.count == 30

    def test_the_list_filters_by_stage_and_searches_by_name(self, bu_client):
        CaseFactory(child_first_name="Zebedee", stage=Stage.THRESHOLD)
        CaseFactory(child_first_name="Quentin")
        content = bu_client.get(reverse("referrals:case_list"), {"stage": "threshold"}).content
        assert b"Zebedee" in content and b"Quentin" not in content
        content = bu_client.get(reverse("referrals:case_list"), {"q": "quent"}).content
        assert b"Quentin" in content and b"Zebedee" not in content

    def test_the_page_links_keep_the_filters(self, bu_client):
        CaseFactory.create_batch(26, stage=Stage.THRESHOLD)
        first = bu_client.get(reverse("referrals:case_list"), {"stage": "threshold"}).content.decode()
        assert "Page 1 of 2" in first and 'href="?stage=threshold&amp;page=2" rel="next"' in first
        second = bu_client.get(reverse("referrals:case_list"), {"stage": "threshold", "page": 2}).content.decode()
        assert "Page 2 of 2" in second and 'href="?stage=threshold&amp;page=1" rel="prev"' in second

    def test_the_list_scrolls_sideways_in_its_own_labelled_region(self, bu_client):
        CaseFactory()
        content = bu_client.get(reverse("referrals:case_list")).content.decode()
        assert '<div class="app-table-scroll" role="region" aria-label="Cases" tabindex="0">' in content

    def test_a_threshold_maker_sees_only_cases_sent_for_threshold(self, client, threshold_makers):
        CaseFactory(child_first_name="Zebedee", stage=Stage.THRESHOLD)
        hidden = CaseFactory(child_first_name="Quentin")
        client.force_login(threshold_makers["police"])
        content = client.get(reverse("referrals:case_list")).content
        assert b"Zebedee" in content and b"Quentin" not in content
        assert client.get(reverse("referrals:case_detail", args=[hidden.pk])).status_code == 404

    def test_an_agency_lead_cannot_open_the_case_list(self, client, agency_lead):
        client.force_login(agency_lead)
        assert client.get(reverse("referrals:case_list")).status_code == 403

    def test_every_view_of_a_case_is_logged(self, bu_client, case):
        assert bu_client.get(reverse("referrals:case_detail", args=[case.pk])).status_code == 200
        assert AccessLog.objects.filter(case_id=case.pk, object_id=str(case.pk)).count() == 1

    def test_the_case_page_refuses_post(self, bu_client, case):
        assert bu_client.post(reverse("referrals:case_detail", args=[case.pk])).status_code == 405


def _count(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("referrals:case_list")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
class TestThresholdAndSinPages:
    def test_the_business_unit_sends_a_case_for_threshold(self, bu_client, case):
        assert bu_client.post(reverse("referrals:send_threshold", args=[case.pk])).status_code == 302
        case.refresh_from_db()
        assert case.stage == Stage.THRESHOLD

    def test_a_threshold_maker_cannot_send_a_case_for_threshold(self, client, threshold_makers, case):
        client.force_login(threshold_makers["local_authority"])
        assert client.post(reverse("referrals:send_threshold", args=[case.pk])).status_code == 403

    def test_the_threshold_form_needs_a_rationale_and_keeps_what_was_typed(self, client, threshold_makers):
        case = CaseFactory(stage=Stage.THRESHOLD)
        client.force_login(threshold_makers["local_authority"])
        response = client.post(reverse("referrals:threshold_record", args=[case.pk]), {
            **_date("discussed_on", TODAY), "la_participant": threshold_makers["local_authority"].pk,
            "outcome": "met", "rationale": "", "absence_reason": "Health on leave"})
        assert b"Enter the rationale" in response.content and b"Health on leave" in response.content

    def test_the_threshold_form_offers_each_partner_only_the_people_who_decide_for_it(self, bu_client,
                                                                                      threshold_makers):
        make_user(Role.PANEL_MEMBER, full_name="Not A Threshold Maker")
        case = CaseFactory(stage=Stage.THRESHOLD)
        page = bu_client.get(reverse("referrals:threshold_record", args=[case.pk])).content.decode()
        for field, partner in (("la_participant", "local_authority"), ("health_participant", "health"),
                               ("police_participant", "police")):
            select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', page, re.S).group(1)
            offered = [value for value in re.findall(r'<option value="([^"]*)"', select) if value]
            assert offered == [str(threshold_makers[partner].pk)], field

    def test_recording_the_threshold_at_the_wrong_stage_shows_an_error(self, bu_client, threshold_makers, case):
        response = bu_client.post(reverse("referrals:threshold_record", args=[case.pk]), {
            **_date("discussed_on", TODAY), "la_participant": threshold_makers["local_authority"].pk,
            "health_participant": threshold_makers["health"].pk,
            "police_participant": threshold_makers["police"].pk, "outcome": "met", "rationale": "Yes"})
        assert response.status_code == 200 and b"govuk-error-summary" in response.content

    def test_the_sin_page_refuses_a_case_without_a_met_decision(self, bu_client, case):
        response = bu_client.post(reverse("referrals:sin_record", args=[case.pk]), {
            **_date("notified_on", TODAY), "notification_reference": "X"})
        assert response.status_code == 200 and b"threshold" in response.content

    def test_an_agency_lead_cannot_open_the_sin_page(self, client, agency_lead, case):
        client.force_login(agency_lead)
        assert client.get(reverse("referrals:sin_record", args=[case.pk])).status_code == 403


@pytest.mark.django_db
def test_the_business_unit_dashboard_shows_open_cases_by_stage_in_constant_queries(client):
    partnership = default_partnership()
    client.force_login(make_user(Role.BUSINESS_UNIT))
    CaseFactory(stage=Stage.RAPID_REVIEW)
    CaseFactory(stage=Stage.CLOSED)
    page = client.get("/").content.decode()
    assert "Cases by stage" in page and "Rapid review" in page
    with CaptureQueriesContext(connection) as few:
        open_cases_by_stage(partnership=partnership)
    for _ in range(12):
        CaseFactory(stage=Stage.DECISION)
    with CaptureQueriesContext(connection) as many:
        rows = open_cases_by_stage(partnership=partnership)
    assert len(many) == len(few) == 1
    assert {row["stage"]: row["total"] for row in rows} == {Stage.RAPID_REVIEW: 1, Stage.DECISION: 12}
    assert ">12<" in client.get("/").content.decode()
