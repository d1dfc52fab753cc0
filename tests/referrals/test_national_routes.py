"""Issue 19: several children in one incident, the routes for looked-after children's and care leavers' deaths, and
local learning routes (ADR 0025)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from rapidreview.accounts.models import Role
from rapidreview.audit.retention import case_anonymise
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.clocks.services import clock_start
from rapidreview.db import DomainError
from referrals.models import IncidentChild, Route, Stage, ThresholdOutcome
from referrals.publication import PublicationRefused, publication_guard
from referrals.services import (
    case_close_without_review,
    case_invite_partnership,
    case_record_sin,
    incident_child_add,
    incident_child_remove,
    referral_record_threshold,
)
from referrals.sin_sheet import sin_sheet
from tests.factories import default_partnership, make_partnership, make_user
from themes.learning import learning_create
from themes.models import LearningItem, LearningKind, Theme
from themes.services import case_log_themes
from themes.statistics import annual_statistics

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)  # a Tuesday


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, 0), tick=False):
        yield


def _child(case, actor, **values):
    return incident_child_add(case=case, actor=actor, **{"first_name": "Hattie", "last_name": "Quillfeather",
                                                         "outcome": "serious_harm", **values})


def _threshold(case, actor, makers, **values):
    return referral_record_threshold(
        case=case, actor=actor, discussed_on=TODAY, la_participant=makers["local_authority"],
        health_participant=makers["health"], police_participant=makers["police"],
        rationale="Discussed by the three partners.", **values)


def _stats_row(stats, key, label):
    section = next(s for s in stats["sections"] if s["key"] == key)
    return next(r["value"] for r in section["rows"] if r["label"] == label)


class TestSeveralChildren:
    def test_one_incident_holds_up_to_four_children(self, business_unit):
        case = CaseFactory(stage=Stage.RAPID_REVIEW)
        for n in range(IncidentChild.MAX):
            _child(case, business_unit, first_name=f"Sib{n}")
        case.refresh_from_db()
        assert case.children_count == 4
        with pytest.raises(DomainError, match="up to 4 children"):
            _child(case, business_unit)
        assert IncidentChild.objects.filter(case=case).count() == 3

    def test_a_child_may_be_recorded_without_a_name_but_not_without_what_happened(self, business_unit):
        case = CaseFactory(stage=Stage.RAPID_REVIEW)
        child = _child(case, business_unit, first_name="", last_name="", outcome="at_risk")
        assert child.name == "" and child.outcome == "at_risk"
        with pytest.raises(DomainError, match="died, was seriously harmed"):
            _child(case, business_unit, outcome="")

    def test_an_agency_lead_cannot_add_a_child_and_nothing_changes(self, client, agency_lead, business_unit):
        case = CaseFactory(stage=Stage.RAPID_REVIEW)
        client.force_login(agency_lead)
        url = reverse("referrals:child_add", args=[case.pk])
        assert client.get(url).status_code in (403, 404)
        assert client.post(url, {"first_name": "X", "outcome": "died"}).status_code in (403, 404)
        with pytest.raises(DomainError):
            _child(case, agency_lead)
        case.refresh_from_db()
        assert case.children_count == 1 and not IncidentChild.objects.filter(case=case).exists()

    def test_another_partnerships_business_unit_cannot_see_or_add_children(self, client, business_unit):
        case = CaseFactory(stage=Stage.RAPID_REVIEW)
        child = _child(case, business_unit)
        other = make_user(Role.BUSINESS_UNIT, partnership=make_partnership("Elsewhere SCP", short_name="ESCP"))
        client.force_login(other)
        assert client.post(reverse("referrals:child_add", args=[case.pk]),
                           {"outcome": "died"}).status_code == 404
        assert client.post(reverse("referrals:child_remove", args=[case.pk, child.pk]),
                           {"reason": "x"}).status_code == 404
        assert IncidentChild.objects.filter(case=case).count() == 1

    def test_a_partnership_taking_part_reads_the_children_but_cannot_change_them(self, client, business_unit):
        neighbour = make_partnership("Neighbour SCP", short_name="NSCP")
        case = CaseFactory(stage=Stage.RAPID_REVIEW)
        child = _child(case, business_unit)
        case_invite_partnership(case=case, actor=business_unit, partnership=neighbour, reason="Lives there.")
        client.force_login(make_user(Role.BUSINESS_UNIT, partnership=neighbour))
        page = client.get(case.get_absolute_url()).content.decode()
        assert "Child 2: Hattie Quillfeather" in page
        assert reverse("referrals:child_edit", args=[case.pk, child.pk]) not in page
        assert client.post(reverse("referrals:child_edit", args=[case.pk, child.pk]),
                           {"outcome": "died"}).status_code == 403
        child.refresh_from_db()
        assert child.outcome == "serious_harm"

    def test_a_closed_case_keeps_its_children(self, business_unit):
        case = CaseFactory(stage=Stage.RAPID_REVIEW)
        child = _child(case, business_unit)
        case.stage = Stage.CLOSED
        case.save()
        with pytest.raises(DomainError, match="closed"):
            incident_child_remove(child=child, actor=business_unit, reason="Wrong case")
        assert IncidentChild.objects.filter(pk=child.pk).exists()

    def test_nothing_sent_or_published_may_name_the_second_child(self, business_unit):
        case = CaseFactory(stage=Stage.RAPID_REVIEW)
        _child(case, business_unit)
        with pytest.raises(DomainError, match="Do not name the child"):
            case_invite_partnership(case=case, actor=business_unit, partnership=make_partnership("Other SCP"),
                                    reason="Hattie lives there.")
        with pytest.raises(PublicationRefused, match="Quillfeather"):
            publication_guard({"body": ("The text", "Learning from the Quillfeather family.")})

    def test_the_agency_summary_and_the_notification_sheet_list_every_child(self, client, business_unit,
                                                                            agency_lead):
        case = CaseFactory(stage=Stage.RAPID_REVIEW)
        _child(case, business_unit, dob=datetime.date(2020, 8, 4), relationship="Sister")
        sheet = {part.title: part for part in sin_sheet(case, business_unit)}
        assert "Child 1" in sheet and "Child 2" in sheet
        assert {a.label: a.value for a in sheet["Child 2"].answers}["Date of birth"] == "04/08/2020"
        client.force_login(business_unit)
        page = client.get(reverse("referrals:case_summary", args=[case.pk])).content.decode()
        assert "Child 2 in the same incident" in page and "Hattie Quillfeather, born 4 August 2020" in page

    def test_the_case_list_search_finds_a_case_by_the_second_childs_name(self, bu_client, business_unit):
        case = CaseFactory(stage=Stage.RAPID_REVIEW)
        other = CaseFactory(stage=Stage.RAPID_REVIEW)
        _child(case, business_unit)
        page = bu_client.get(reverse("referrals:case_list"), {"q": "Hattie Quill"}).content.decode()
        assert case.reference in page and other.reference not in page
        assert "and 1 other child" in page

    def test_anonymising_a_case_blanks_every_child(self, business_unit):
        case = CaseFactory(stage=Stage.CLOSED)
        child = IncidentChild.objects.create(case=case, first_name="Hattie", last_name="Quillfeather",
                                             dob=datetime.date(2020, 8, 4), outcome="died", added_by=business_unit)
        case_anonymise(case_id=case.pk)
        child.refresh_from_db()
        assert (child.first_name, child.last_name, child.dob) == ("", "", None)
        assert not IncidentChild.history.filter(first_name="Hattie").exists()


class TestRoutes:
    @pytest.mark.parametrize("route, abuse, outcome, message", [
        (Route.SERIOUS_INCIDENT, "", ThresholdOutcome.NOTIFY_ONLY, "looked-after child or a care leaver"),
        (Route.LAC_DEATH, "yes", ThresholdOutcome.NOTIFY_ONLY, "rapid review follows"),
        (Route.LAC_DEATH, "no", ThresholdOutcome.MET, "Secretary of State and Ofsted only"),
        (Route.LAC_DEATH, "no", ThresholdOutcome.NOT_MET, "always notified"),
        (Route.LAC_DEATH, "", ThresholdOutcome.NOTIFY_ONLY, "Say whether abuse or neglect"),
        (Route.CARE_LEAVER_DEATH, "no", ThresholdOutcome.MET, "no rapid review"),
    ])
    def test_each_route_allows_only_its_outcomes(self, business_unit, threshold_makers, route, abuse, outcome,
                                                 message):
        case = CaseFactory(stage=Stage.THRESHOLD, harm="died")
        with pytest.raises(DomainError, match=message):
            _threshold(case, business_unit, threshold_makers, route=route, abuse_or_neglect=abuse, outcome=outcome)
        case.refresh_from_db()
        assert case.route == Route.SERIOUS_INCIDENT and not hasattr(case, "threshold_decision")

    def test_a_looked_after_childs_death_with_abuse_suspected_goes_to_a_rapid_review(self, business_unit,
                                                                                   threshold_makers):
        case = CaseFactory(stage=Stage.THRESHOLD, harm="died")
        _threshold(case, business_unit, threshold_makers, route=Route.LAC_DEATH, abuse_or_neglect="yes",
                   outcome=ThresholdOutcome.MET)
        with pytest.raises(DomainError, match="Ofsted and the Secretary of State"):
            case_record_sin(case=case, actor=business_unit, notified_on=TODAY, notification_reference="SIN-1")
        case_record_sin(case=case, actor=business_unit, notified_on=TODAY, notification_reference="SIN-1",
                        ofsted_notified="yes", secretary_of_state_notified="yes")
        case.refresh_from_db()
        assert case.stage == Stage.RAPID_REVIEW
        assert Clock.objects.filter(case_id=case.pk, kind=ClockKind.PANEL_MEETING).exists()

    @pytest.mark.parametrize("route", [Route.LAC_DEATH, Route.CARE_LEAVER_DEATH])
    def test_a_death_notified_only_to_the_secretary_of_state_starts_no_rapid_review_clock(self, business_unit,
                                                                                         threshold_makers, route):
        case = CaseFactory(stage=Stage.THRESHOLD, harm="died")
        clock_start(kind=ClockKind.SIN_DECISION, subject=case, start=case.la_aware_on, case_id=case.pk,
                    partnership=case.partnership)
        _threshold(case, business_unit, threshold_makers, route=route, abuse_or_neglect="no",
                   outcome=ThresholdOutcome.NOTIFY_ONLY)
        with pytest.raises(DomainError, match="once they have been told"):
            case_record_sin(case=case, actor=business_unit, notified_on=TODAY, notification_reference="DFE-1",
                            ofsted_notified="no", secretary_of_state_notified="no")
        case_record_sin(case=case, actor=business_unit, notified_on=TODAY, notification_reference="DFE-1",
                        ofsted_notified="yes", secretary_of_state_notified="yes")
        case.refresh_from_db()
        assert case.stage == Stage.NOTIFIED and case.route == route
        clocks = {c.kind: c.state for c in Clock.objects.filter(case_id=case.pk)}
        assert clocks == {ClockKind.SIN_DECISION: ClockState.MET}
        case_close_without_review(case=case, actor=business_unit)
        case.refresh_from_db()
        assert case.stage == Stage.CLOSED

    def test_the_case_page_offers_the_notification_then_closing_for_a_care_leaver(self, bu_client, business_unit,
                                                                                  threshold_makers):
        case = CaseFactory(stage=Stage.THRESHOLD, harm="died")
        _threshold(case, business_unit, threshold_makers, route=Route.CARE_LEAVER_DEATH, abuse_or_neglect="no",
                   outcome=ThresholdOutcome.NOTIFY_ONLY)
        page = bu_client.get(case.get_absolute_url()).content.decode()
        assert "Record the notification to the Secretary of State and Ofsted" in page
        assert "Record the Serious Incident Notification" not in page
        case_record_sin(case=case, actor=business_unit, notified_on=TODAY, notification_reference="DFE-1",
                        ofsted_notified="yes", secretary_of_state_notified="yes")
        page = bu_client.get(case.get_absolute_url()).content.decode()
        assert reverse("referrals:case_close", args=[case.pk]) in page
        assert reverse("themes:learning_route_start", args=[case.pk]) in page

    def test_the_statistics_count_each_route_apart_and_every_child(self, business_unit, threshold_makers):
        serious = CaseFactory(stage=Stage.THRESHOLD)
        _threshold(serious, business_unit, threshold_makers, outcome=ThresholdOutcome.MET)
        case_record_sin(case=serious, actor=business_unit, notified_on=TODAY, notification_reference="SIN-1")
        _child(serious, business_unit, outcome="died")
        _child(serious, business_unit, first_name="Ned", outcome="at_risk")
        for route in (Route.LAC_DEATH, Route.CARE_LEAVER_DEATH):
            case = CaseFactory(stage=Stage.THRESHOLD, harm="died")
            _threshold(case, business_unit, threshold_makers, route=route, abuse_or_neglect="no",
                       outcome=ThresholdOutcome.NOTIFY_ONLY)
            case_record_sin(case=case, actor=business_unit, notified_on=TODAY, notification_reference="DFE",
                            ofsted_notified="yes", secretary_of_state_notified="yes")
        stats = annual_statistics(2026, partnership=default_partnership())
        assert _stats_row(stats, "funnel", "Serious Incident Notifications agreed") == 1
        assert _stats_row(stats, "routes", "Deaths of care leavers notified") == 1
        assert _stats_row(stats, "routes", "Deaths of looked-after children notified to the Secretary of State "
                                           "and Ofsted only") == 1
        assert _stats_row(stats, "harm", "The child died") == 1
        assert _stats_row(stats, "harm", "The child was seriously harmed") == 1
        assert _stats_row(stats, "harm", "Not harmed, but at risk") == 1


class TestLearningRoutes:
    def test_a_learning_route_needs_a_case_without_a_review_and_an_owner_in_the_partnership(self, business_unit):
        partnership = default_partnership()
        values = {"title": "Briefing", "date": TODAY, "owner": business_unit}
        with pytest.raises(DomainError, match="no rapid review"):
            learning_create(kind=LearningKind.SEVEN_MINUTE_BRIEFING, actor=business_unit, partnership=partnership,
                            case=CaseFactory(stage=Stage.RAPID_REVIEW), **values)
        outsider = make_user(Role.BUSINESS_UNIT, partnership=make_partnership("Far SCP", short_name="FSCP"))
        with pytest.raises(DomainError, match="works in the partnership"):
            learning_create(kind=LearningKind.SEVEN_MINUTE_BRIEFING, actor=business_unit, partnership=partnership,
                            case=CaseFactory(stage=Stage.NOT_MET), **{**values, "owner": outsider})
        item = learning_create(kind=LearningKind.SEVEN_MINUTE_BRIEFING, actor=business_unit,
                               partnership=partnership, case=CaseFactory(stage=Stage.NOT_MET), **values)
        stats = annual_statistics(2026, partnership=partnership)
        assert item.is_learning_route and _stats_row(stats, "learning_routes", "7-minute briefing") == 1

    def test_only_the_leading_business_unit_starts_a_learning_route(self, client, chair, agency_lead):
        case = CaseFactory(stage=Stage.NOT_MET)
        url = reverse("themes:learning_route_start", args=[case.pk])
        for person in (chair, agency_lead):
            client.force_login(person)
            assert client.get(url).status_code == 403
            assert client.post(url, {"kind": "seven_minute_briefing", "title": "X"}).status_code == 403
        assert not LearningItem.objects.exists()


def test_the_case_list_filters_by_what_was_notified(bu_client):
    leaver = CaseFactory(stage=Stage.CLOSED, route=Route.CARE_LEAVER_DEATH)
    other = CaseFactory(stage=Stage.RAPID_REVIEW)
    page = bu_client.get(reverse("referrals:case_list"), {"route": Route.CARE_LEAVER_DEATH}).content.decode()
    assert leaver.reference in page and other.reference not in page


def test_the_sin_themes_log_shows_a_cases_learning_route(bu_client, business_unit):
    case = CaseFactory(stage=Stage.NOT_MET)
    theme, _ = Theme.objects.get_or_create(partnership=case.partnership, name="Neglect")
    case_log_themes(case=case, themes=[theme], log="sin", actor=business_unit)
    learning_create(kind=LearningKind.PRACTITIONER_EVENT, actor=business_unit, partnership=case.partnership,
                    case=case, title="Event", date=TODAY, owner=business_unit)
    page = bu_client.get(reverse("themes:log", args=["sin"])).content.decode()
    assert case.reference in page and "Practitioner learning event, 10 Mar 2026" in page
