"""Cases across partnerships (issue 18, ADR 0015): each partnership sees its own cases and those it takes part in,
changes only those it leads, invites another to a joint cross-border review, and numbers its own references."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification
from referrals.models import (
    AssuranceRequest,
    Case,
    CaseEvent,
    CaseParticipation,
    CdopDiscussion,
    ReferenceCounter,
    Stage,
)
from referrals.selectors import (
    assurance_requests_visible_to,
    case_partnership_ids,
    get_led_case,
    possible_duplicates,
    visible_cases,
)
from referrals.services import (
    case_end_participation,
    case_invite_partnership,
    case_next_reference,
    cdop_discussion_record,
    referral_submit,
)
from referrals.views import public
from tests.factories import RoleAssignmentFactory, default_partnership, make_partnership, make_user
from tests.forms_as_rendered import accepted, page_form
from tests.security.matrix import Writes

from .factories import CaseFactory, partnership_agency, take_part

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def tower(db):
    """The partnership that leads: the tests' default one, named so that pages can be read for it."""
    partnership = default_partnership()
    partnership.name = "Tower Hamlets Safeguarding Children Partnership"
    partnership.save()
    return partnership


@pytest.fixture
def hackney(db):
    return make_partnership("City and Hackney Safeguarding Children Partnership", slug="city-and-hackney",
                            short_name="CHSCP")


@pytest.fixture
def third(db):
    return make_partnership("Newham Safeguarding Children Partnership", slug="newham", short_name="NSCP")


@pytest.fixture
def tower_bu(tower):
    return make_user(Role.BUSINESS_UNIT, full_name="Tess Tower", partnership=tower)


@pytest.fixture
def hackney_bu(hackney):
    return make_user(Role.BUSINESS_UNIT, full_name="Hal Hackney", partnership=hackney)


@pytest.fixture
def third_bu(third):
    return make_user(Role.BUSINESS_UNIT, full_name="Nia Newham", partnership=third)


@pytest.fixture
def case(tower):
    return CaseFactory(partnership=tower, stage=Stage.RECEIVED)


def _client(client, user):
    client.force_login(user)
    return client


def _referral(partnership, **extra):
    data = {"child_first_name": "Tobias", "child_last_name": "Fenwright", "child_dob": datetime.date(2016, 1, 5),
            "harm": "serious_harm", "referrer_name": "Rita Referrer", "description": "Found injured.", **extra}
    return referral_submit(source="professional", data=data, partnership=partnership)


# --- references ----------------------------------------------------------------------------------------------------
class TestReferences:
    def test_two_partnerships_referring_on_the_same_day_never_collide(self, tower, hackney):
        references = [_referral(p, child_first_name=f"Child{n}").reference
                      for n, p in enumerate([tower, hackney, tower, hackney])]
        year = TODAY.year
        assert references == [f"SCP-{year}-0001", f"CHSCP-{year}-0001", f"SCP-{year}-0002", f"CHSCP-{year}-0002"]
        assert Case.objects.filter(partnership=hackney).count() == 2

    def test_a_short_name_another_partnership_uses_gets_the_partnerships_number(self, tower):
        twin = make_partnership("Another Safeguarding Children Partnership", short_name="S.C.P.")
        assert case_next_reference(tower, 2026) == "SCP-2026-0001"
        assert case_next_reference(twin, 2026) == f"SCP{twin.pk}-2026-0001"
        assert case_next_reference(twin, 2027) == "SCP-2027-0001"  # a new year: whoever comes first

    def test_a_count_from_before_partnerships_keeps_its_prefix_for_the_rest_of_its_year(self, tower):
        ReferenceCounter.objects.create(partnership=tower, year=2026, last=14)  # the migration leaves prefix RR
        assert case_next_reference(tower, 2026) == "RR-2026-0015"
        assert case_next_reference(tower, 2027) == "SCP-2027-0001"

    def test_a_reference_fits_its_column_whatever_the_short_name(self, db):
        long = make_partnership("Long Name Partnership", short_name="Safeguarding Partnership Of Somewhere")
        assert len(case_next_reference(long, 2026)) <= Case._meta.get_field("reference").max_length


# --- who sees a case -----------------------------------------------------------------------------------------------
class TestVisibility:
    def test_another_partnerships_business_unit_sees_the_case_only_after_the_invitation(
            self, client, case, tower_bu, hackney_bu, hackney):
        url = reverse("referrals:case_detail", args=[case.pk])
        assert _client(client, hackney_bu).get(url).status_code == 404
        assert case not in visible_cases(hackney_bu)
        case_invite_partnership(case=case, actor=tower_bu, partnership=hackney, reason="The child lives in Hackney.")
        page = client.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert "Tower Hamlets Safeguarding Children Partnership" in text and "Led by" in text
        assert "Your partnership takes part in this review" in text
        assert list(visible_cases(hackney_bu)) == [case]

    def test_a_third_partnership_never_sees_it(self, client, case, tower_bu, hackney, third_bu):
        case_invite_partnership(case=case, actor=tower_bu, partnership=hackney, reason="The child lives there.")
        c = _client(client, third_bu)
        for name in ("case_detail", "case_summary", "send_threshold", "invite_partnership"):
            assert c.get(reverse(f"referrals:{name}", args=[case.pk])).status_code == 404, name
        assert case.reference not in c.get(reverse("referrals:case_list")).content.decode()

    def test_the_leading_business_unit_still_sees_it_and_the_list_marks_cases_taken_part_in(
            self, client, case, tower_bu, hackney, hackney_bu):
        take_part(case, hackney)
        tower_list = _client(client, tower_bu).get(reverse("referrals:case_list")).content.decode()
        assert case.reference in tower_list and "Taking part" not in tower_list
        hackney_list = _client(client, hackney_bu).get(reverse("referrals:case_list")).content.decode()
        assert case.reference in hackney_list and "Taking part" in hackney_list

    def test_only_the_business_unit_of_a_partnership_taking_part_sees_the_case(self, case, hackney):
        take_part(case, hackney)
        for role in (Role.RR_CHAIR, Role.THRESHOLD, Role.EXECUTIVE, Role.PANEL_MEMBER, Role.AGENCY_LEAD):
            assert not visible_cases(make_user(role, partnership=hackney)).exists(), role

    def test_an_ended_participation_hides_the_case_again_and_stays_in_the_history(
            self, client, case, tower_bu, hackney, hackney_bu):
        participation = case_invite_partnership(case=case, actor=tower_bu, partnership=hackney, reason="Lives there.")
        case_end_participation(participation=participation, actor=tower_bu, note="The family moved back.")
        assert _client(client, hackney_bu).get(case.get_absolute_url()).status_code == 404
        assert CaseParticipation.history.filter(id=participation.pk).count() == 2
        page = _client(client, tower_bu).get(case.get_absolute_url()).content.decode()
        assert "took part until" in page
        assert CaseEvent.objects.filter(case=case, kind="participation_ended").exists()

    def test_a_case_of_another_partnership_is_a_404_for_its_threshold_makers_and_executives(self, client, hackney):
        foreign = CaseFactory(partnership=hackney, stage=Stage.DECISION)
        for role in (Role.THRESHOLD, Role.EXECUTIVE, Role.RR_CHAIR, Role.BUSINESS_UNIT):
            response = _client(client, make_user(role)).get(foreign.get_absolute_url())
            assert response.status_code == 404, role

    def test_the_leading_and_taking_part_partnerships_are_the_ones_a_case_is_compared_within(self, case, hackney,
                                                                                               third):
        take_part(case, hackney)
        ended = take_part(case, third)
        ended.ended_at = timezone.now()
        ended.save()
        assert case_partnership_ids(case) == {case.partnership_id, hackney.pk}


# --- a partnership taking part changes nothing ----------------------------------------------------------------------
CASE_POSTS = ["send_threshold", "threshold_record", "sin_record", "letter_edit", "letter_send", "assurance_new",
              "case_close", "invite_partnership"]


class TestReadOnlyForAPartnershipTakingPart:
    def test_every_change_to_the_case_is_refused_with_nothing_written(self, client, tower_bu, hackney, hackney_bu,
                                                                      third):
        case = CaseFactory(stage=Stage.NOT_MET)
        item = AssuranceRequest.objects.create(case=case, agency=partnership_agency(), request="Assure us.",
                                               due_on=TODAY + datetime.timedelta(days=9), requested_by=tower_bu)
        participation = take_part(case, hackney)
        c = _client(client, hackney_bu)
        urls = [reverse(f"referrals:{name}", args=[case.pk]) for name in CASE_POSTS] + [
            reverse("referrals:assurance_answer", args=[case.pk, item.pk]),
            reverse("referrals:end_participation", args=[case.pk, participation.pk])]
        for url in urls:
            assert c.get(url).status_code == 403, url
            with Writes() as writes:
                response = c.post(url, {"partnership": third.pk, "reason": "x", "note": "x", "next_steps": "x",
                                        "response": "x", "action": "email"})
            assert response.status_code == 403, url
            assert writes.changed == [], (url, writes.changed)
        for name in ("sin_sheet", "letter_pdf"):
            assert c.get(reverse(f"referrals:{name}", args=[case.pk])).status_code == 403, name
        case.refresh_from_db()
        assert case.stage == Stage.NOT_MET and list(case.participations.all()) == [participation]

    def test_the_case_page_offers_no_task_or_action(self, client, hackney, hackney_bu):
        case = CaseFactory(stage=Stage.RECEIVED)
        take_part(case, hackney)
        response = _client(client, hackney_bu).get(case.get_absolute_url())
        assert response.status_code == 200
        assert response.context["tasks"] and all(task["url"] is None for task in response.context["tasks"])
        assert not response.context["can_act"] and not response.context["can_invite"]
        page = response.content.decode()
        assert reverse("referrals:send_threshold", args=[case.pk]) not in page
        assert reverse("referrals:invite_partnership", args=[case.pk]) not in page

    def test_get_led_case_is_404_when_invisible_and_403_when_only_taking_part(self, case, hackney, hackney_bu,
                                                                              third_bu, tower_bu):
        assert get_led_case(tower_bu, case.pk) == case
        with pytest.raises(Http404):
            get_led_case(hackney_bu, case.pk)
        take_part(case, hackney)
        with pytest.raises(PermissionDenied):
            get_led_case(hackney_bu, case.pk)
        with pytest.raises(Http404):
            get_led_case(third_bu, case.pk)

    def test_the_services_refuse_someone_who_is_not_of_the_leading_partnership(self, case, hackney, hackney_bu,
                                                                               third):
        take_part(case, hackney)
        with pytest.raises(DomainError):
            case_invite_partnership(case=case, actor=hackney_bu, partnership=third, reason="x")
        assert case.participations.count() == 1


# --- inviting a partnership -----------------------------------------------------------------------------------------
class TestInvitation:
    def test_the_leading_business_unit_invites_and_ends_through_the_case_page(
            self, client, case, tower_bu, hackney, hackney_bu, django_capture_on_commit_callbacks):
        c = _client(client, tower_bu)
        page = c.get(case.get_absolute_url()).content.decode()
        invite_url = reverse("referrals:invite_partnership", args=[case.pk])
        assert invite_url in page
        form = page_form(c, invite_url)
        assert [value for value, _ in form.options("partnership")] == [str(hackney.pk)]
        with django_capture_on_commit_callbacks(execute=True):
            accepted(form.fill(partnership=str(hackney.pk), reason="The child lives in Hackney.").submit())
        participation = CaseParticipation.objects.get(case=case)
        assert participation.partnership == hackney and participation.added_by == tower_bu
        event = CaseEvent.objects.get(case=case, kind="participation")
        assert hackney.name in event.summary and event.note == "The child lives in Hackney."
        email = Notification.objects.get(kind="referrals.participation")
        assert email.recipient == hackney_bu and email.partnership == case.partnership
        assert f"{case.get_absolute_url()}?partnership={hackney.slug}" in email.body_text
        assert case.child_first_name not in email.body_text
        page = c.get(case.get_absolute_url()).content.decode()
        end_url = reverse("referrals:end_participation", args=[case.pk, participation.pk])
        assert end_url in page and "Taking part" in page
        accepted(page_form(c, end_url).fill(note="The family moved.").submit())
        participation.refresh_from_db()
        assert participation.ended_at is not None

    def test_the_link_in_the_email_opens_the_case_in_the_invited_partnership(self, client, case, tower_bu, hackney):
        both = make_user(Role.BUSINESS_UNIT, partnership=case.partnership)
        both.role_assignments.create(role=Role.BUSINESS_UNIT, partnership=hackney, starts_on=TODAY.replace(day=1))
        case_invite_partnership(case=case, actor=tower_bu, partnership=hackney, reason="Lives there.")
        c = _client(client, both)
        c.get("/?partnership=partnership")  # acting in the leading partnership
        response = c.get(f"{case.get_absolute_url()}?partnership={hackney.slug}")
        assert response.status_code == 200 and response.context["leads"] is False

    def test_a_partnership_cannot_be_invited_twice_nor_the_leading_one(self, case, tower, tower_bu, hackney):
        case_invite_partnership(case=case, actor=tower_bu, partnership=hackney, reason="Lives there.")
        with pytest.raises(DomainError, match="already takes part"):
            case_invite_partnership(case=case, actor=tower_bu, partnership=hackney, reason="Again.")
        with pytest.raises(DomainError, match="already leads"):
            case_invite_partnership(case=case, actor=tower_bu, partnership=tower, reason="Us.")

    def test_a_partnership_whose_part_ended_can_be_invited_again(self, case, tower_bu, hackney, hackney_bu):
        first = case_invite_partnership(case=case, actor=tower_bu, partnership=hackney, reason="Lives there.")
        case_end_participation(participation=first, actor=tower_bu)
        again = case_invite_partnership(case=case, actor=tower_bu, partnership=hackney, reason="Moved back.")
        assert again.pk == first.pk and again.ended_at is None and again.reason == "Moved back."
        assert case in visible_cases(hackney_bu)
        assert Notification.objects.filter(kind="referrals.participation", recipient=hackney_bu).count() == 2

    def test_a_closed_case_takes_no_new_partnership(self, tower_bu, hackney):
        closed = CaseFactory(stage=Stage.CLOSED)
        with pytest.raises(DomainError, match="closed"):
            case_invite_partnership(case=closed, actor=tower_bu, partnership=hackney, reason="Lives there.")

    def test_the_invitation_needs_a_reason_and_keeps_the_choice(self, client, case, tower_bu, hackney):
        url = reverse("referrals:invite_partnership", args=[case.pk])
        response = _client(client, tower_bu).post(url, {"partnership": hackney.pk, "reason": ""})
        assert response.status_code == 200 and "Say why the partnership should take part" in response.content.decode()
        assert not CaseParticipation.objects.exists()

    def test_the_invitation_pages_refuse_other_methods_and_roles(self, client, case, tower):
        url = reverse("referrals:invite_partnership", args=[case.pk])
        chair = make_user(Role.RR_CHAIR, partnership=tower)
        assert _client(client, chair).get(url).status_code == 403
        assert _client(client, make_user(Role.BUSINESS_UNIT)).put(url).status_code == 405


# --- lists without a case ---------------------------------------------------------------------------------------------
class TestListsPerPartnership:
    def test_cdop_discussions_belong_to_their_partnership(self, client, tower_bu, hackney, hackney_bu):
        discussion = cdop_discussion_record(forum="cdop", discussed_on=TODAY, forum_reference="CDOP/T/1",
                                            actor=tower_bu, partnership=tower_bu.partnership)
        c = _client(client, hackney_bu)
        assert "CDOP/T/1" not in c.get(reverse("referrals:cdop_list")).content.decode()
        assert c.get(reverse("referrals:cdop_discussion", args=[discussion.pk])).status_code == 404
        assert c.get(reverse("referrals:referral_start") + f"?discussion={discussion.pk}").status_code == 200
        assert "cdop_discussion" not in (client.session.get("referral_wizard") or {})
        with pytest.raises(DomainError):
            cdop_discussion_record(forum="cdop", discussed_on=TODAY, forum_reference="CDOP/H/1", actor=tower_bu,
                                   partnership=hackney)
        assert not CdopDiscussion.objects.filter(partnership=hackney).exists()

    def test_the_dashboard_counts_the_partnerships_own_cases_and_those_it_takes_part_in(
            self, client, tower_bu, hackney, hackney_bu):
        CaseFactory(stage=Stage.RAPID_REVIEW)
        shared = CaseFactory(stage=Stage.RAPID_REVIEW)
        take_part(shared, hackney)
        CaseFactory(partnership=hackney, stage=Stage.RECEIVED)
        home = _client(client, hackney_bu).get("/").content.decode()
        assert "takes part in 1 open case led by another partnership" in home
        assert "Referral received" in home

    def test_a_duplicate_is_looked_for_only_among_the_partnerships_cases(self, tower, hackney):
        first = _referral(tower)
        assert not possible_duplicates(first_name="Tobias", last_name="Fenwright", dob=datetime.date(2016, 1, 5),
                                       partnership=hackney).exists()
        second = _referral(hackney)
        assert second.referral.possible_duplicate_of is None
        take_part(first, hackney)
        assert possible_duplicates(first_name="tobias", last_name="Fenwright", dob=datetime.date(2016, 1, 5),
                                   partnership=hackney, exclude=second).get() == first

    def test_assurance_requests_are_read_in_the_partnership_acting(self, tower_bu, hackney):
        agency = partnership_agency()
        case = CaseFactory(stage=Stage.NOT_MET)
        AssuranceRequest.objects.create(case=case, agency=agency, request="Assure us.", requested_by=tower_bu,
                                        due_on=TODAY + datetime.timedelta(days=5))
        lead_elsewhere = make_user(Role.AGENCY_LEAD, agency=agency, partnership=hackney)
        lead_here = make_user(Role.AGENCY_LEAD, agency=agency)
        assert assurance_requests_visible_to(lead_here).count() == 1
        assert not assurance_requests_visible_to(lead_elsewhere).exists()
        assert not assurance_requests_visible_to(make_user(Role.BUSINESS_UNIT, partnership=hackney)).exists()

    def test_the_threshold_form_offers_only_the_leading_partnerships_decision_makers(self, client, tower_bu,
                                                                                    threshold_makers, hackney):
        elsewhere = make_user(full_name="Elsewhere Threshold")
        RoleAssignmentFactory(user=elsewhere, role=Role.THRESHOLD, statutory_partner="local_authority",
                              partnership=hackney)
        case = CaseFactory(stage=Stage.THRESHOLD)
        form = page_form(_client(client, tower_bu), reverse("referrals:threshold_record", args=[case.pk]))
        offered = [value for value, _ in form.options("la_participant") if value]
        assert offered == [str(threshold_makers["local_authority"].pk)]


# --- referrals to a partnership ---------------------------------------------------------------------------------------
def _public_answers():
    return {"referrer_name": "Mo Parent", "child_first_name": "Ada", "child_last_name": "Brightwater",
            "harm": "serious_harm", "description": "She was hurt.", "incident_date": TODAY - datetime.timedelta(days=3)}


class TestPublicReferralPerPartnership:
    def test_a_member_of_the_public_chooses_the_area_and_the_case_is_that_partnerships(self, client, tower,
                                                                                      hackney):
        choose = page_form(client, "/refer/")
        assert {label for _, label in choose.options("area")} >= {tower.name, hackney.name}
        response = choose.fill(area=hackney.slug).submit()
        assert response.status_code == 302 and response["Location"] == f"/refer/{hackney.slug}/"
        start = client.get(response["Location"]).content.decode()
        assert hackney.name in start and f'href="/refer/{hackney.slug}/form/"' in start
        form = page_form(client, f"/refer/{hackney.slug}/form/")
        accepted(form.fill(**_public_answers()).submit(), f"/refer/{hackney.slug}/check/")
        accepted(page_form(client, f"/refer/{hackney.slug}/check/", action="").submit(),
                 f"/refer/{hackney.slug}/done/")
        case = Case.objects.get()
        assert case.partnership == hackney and case.reference.startswith("CHSCP-")
        done = client.get(f"/refer/{hackney.slug}/done/").content.decode()
        assert case.reference in done and hackney.contact_email in done

    def test_the_older_addresses_send_the_public_to_choose_when_there_are_several_partnerships(self, client, tower,
                                                                                               hackney):
        assert client.get("/refer/form/")["Location"] == "/refer/"
        response = client.post("/refer/form/", {"referrer_name": "Mo"})
        assert response.status_code == 302 and response["Location"] == "/refer/" and "public_referral" not in \
            client.session
        assert client.get("/refer/check/")["Location"] == "/refer/form/"  # which sends them to choose

    def test_answers_checked_for_one_area_are_not_sent_to_another(self, client, tower, hackney):
        form = page_form(client, f"/refer/{tower.slug}/form/")
        accepted(form.fill(**_public_answers()).submit())
        response = client.post(f"/refer/{hackney.slug}/check/")
        assert response["Location"] == f"/refer/{hackney.slug}/form/" and not Case.objects.exists()
        assert "Brightwater" in client.get(response["Location"]).content.decode()  # offered again to confirm

    def test_an_inactive_or_unknown_partnership_has_no_public_form(self, client, tower):
        retired = make_partnership("Retired Partnership", slug="retired", is_active=False)
        assert client.get(f"/refer/{retired.slug}/").status_code == 404
        assert client.get("/refer/nowhere/form/").status_code == 404

    def test_the_area_must_be_chosen(self, client, tower, hackney):
        page = client.get("/refer/", {"area": "nowhere"}).content.decode()
        assert "Select the area where it happened" in page
        unanswered = page_form(client, "/refer/").submit().content.decode()  # Continue with nothing chosen
        assert "Select the area where it happened" in unanswered and "<title>Error:" in unanswered

    def test_with_many_partnerships_the_area_is_found_by_name_not_listed(self, client, tower, hackney):
        for n in range(public.LIST_AT_MOST):
            make_partnership(f"Shire {n:02d} Safeguarding Children Partnership", slug=f"shire-{n:02d}",
                             local_authority_name=f"Shire {n:02d} County Council")
        first = client.get("/refer/").content.decode()
        assert "Shire 00" not in first and tower.name not in first  # nothing is listed before a search
        search = page_form(client, "/refer/", containing="q")
        found = search.fill(q="hack").submit()
        assert found.status_code == 200
        choose = page_form(client, "", response=found, containing="area")
        assert [value for value, _ in choose.options("area")] == [hackney.slug]
        response = choose.fill(area=hackney.slug).submit()
        assert response.status_code == 302 and response["Location"] == f"/refer/{hackney.slug}/"

    def test_a_broad_search_offers_only_the_first_matches_and_says_so(self, client, tower):
        for n in range(public.MATCHES_SHOWN + 5):
            make_partnership(f"Shire {n:02d} Safeguarding Children Partnership", slug=f"shire-{n:02d}")
        found = page_form(client, "/refer/", containing="q").fill(q="shire").submit()
        choose = page_form(client, "", response=found, containing="area")
        assert len(choose.options("area")) == public.MATCHES_SHOWN
        assert f"Only the first {public.MATCHES_SHOWN} areas" in found.content.decode()
        unanswered = choose.submit()
        assert unanswered.status_code == 200 and "Select the area where it happened" in unanswered.content.decode()
        assert len(page_form(client, "", response=unanswered, containing="area").options("area")) == \
            public.MATCHES_SHOWN  # the same matches, offered again
        wrong = client.get("/refer/", {"searched": "shire", "area": tower.slug})  # not among the matches offered
        assert wrong.status_code == 200 and "Select the area where it happened" in wrong.content.decode()
        nothing = page_form(client, "/refer/", containing="q").fill(q="zz").submit().content.decode()
        assert "No area matches" in nothing
        short = page_form(client, "/refer/", containing="q").fill(q="s").submit().content.decode()
        assert "Enter at least 2 letters" in short and "<title>Error:" in short

    def test_the_rate_limit_is_per_address_whatever_the_area(self, client, settings, tower, hackney):
        settings.PUBLIC_REFERRAL_RATE_LIMIT = 1
        accepted(page_form(client, f"/refer/{tower.slug}/form/").fill(**_public_answers()).submit())
        assert client.post(f"/refer/{tower.slug}/check/").status_code == 302
        accepted(page_form(client, f"/refer/{hackney.slug}/form/").fill(**_public_answers()).submit())
        assert client.post(f"/refer/{hackney.slug}/check/").status_code == 429
        assert Case.objects.count() == 1


class TestProfessionalReferralPerPartnership:
    def test_a_referral_goes_to_the_partnership_the_referrer_acts_in(self, client, hackney, hackney_bu,
                                                                   django_capture_on_commit_callbacks):
        c = _client(client, hackney_bu)
        accepted(page_form(c, "/referrals/new/", containing="source").fill(source="professional").submit())
        steps = {"referrer": {"referrer_name": "Dr Lee"},
                 "child": {"child_first_name": "Ada", "child_dob": datetime.date(2015, 1, 2)},
                 "household": {}, "agencies": {},
                 "incident": {"harm": "died", "description": "Died.", "incident_date": TODAY - datetime.timedelta(3)},
                 "criteria": {"criteria_reasons": "Neglect suspected."}}
        for step, answers in steps.items():
            accepted(page_form(c, f"/referrals/new/{step}/").fill(**answers).submit())
        with django_capture_on_commit_callbacks(execute=True):
            accepted(page_form(c, "/referrals/new/check/", action="").submit())
        case = Case.objects.get()
        assert case.partnership == hackney
        email = Notification.objects.get(kind="referrals.received")
        assert email.partnership == hackney and f"?partnership={hackney.slug}" in email.body_text

    def test_switching_partnership_half_way_starts_the_referral_again(self, client, tower, hackney):
        both = make_user(Role.BUSINESS_UNIT, partnership=tower)
        RoleAssignmentFactory(user=both, role=Role.BUSINESS_UNIT, partnership=hackney)
        c = _client(client, both)
        c.get(f"/?partnership={tower.slug}")
        accepted(page_form(c, "/referrals/new/", containing="source").fill(source="professional").submit())
        response = c.get(f"/referrals/new/referrer/?partnership={hackney.slug}")
        assert response.status_code == 302 and response["Location"] == reverse("referrals:referral_start")
        assert "referral_wizard" not in c.session


def test_the_reason_for_an_invitation_must_not_name_the_child(tower_bu, hackney):
    case = CaseFactory(child_first_name="Ada", child_last_name="Brightwater")
    with pytest.raises(DomainError, match="Do not name the child"):
        case_invite_partnership(case=case, actor=tower_bu, partnership=hackney, reason="Ada lives in Hackney.")
    assert not CaseParticipation.objects.exists()


@pytest.mark.django_db
def test_the_access_rule_kept_for_a_reader_follows_the_partnership_they_act_in_and_their_roles():
    """visible_cases is built once per reader object (issue 20): switching partnership or losing a role on the same
    object must give the new rule, never the one kept from before."""
    ours, theirs = default_partnership(), make_partnership("Neighbour SCP", slug="neighbour-rule")
    our_case, their_case = CaseFactory(partnership=ours), CaseFactory(partnership=theirs)
    person = make_user(Role.BUSINESS_UNIT, partnership=ours)
    RoleAssignmentFactory(user=person, partnership=theirs, role=Role.BUSINESS_UNIT)
    person.act_in(ours)
    assert list(visible_cases(person)) == [our_case]
    assert list(visible_cases(person)) == [our_case]  # the kept rule, read again
    person.act_in(theirs)
    assert list(visible_cases(person)) == [their_case]
    person.role_assignments.filter(partnership=theirs).delete()
    for name in ("current_assignments", "active_roles", "role_names"):
        person.__dict__.pop(name, None)
    assert list(visible_cases(person)) == []
