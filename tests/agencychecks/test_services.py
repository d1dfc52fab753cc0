"""Issuing, completing, quality-assuring and distributing agency check forms: the rules in the service layer."""

import datetime

import pytest
import time_machine
from django.core import mail

from agencychecks import services
from agencychecks.models import AgencyCheckForm, FormStatus, FormVersion, Pack
from agencychecks.selectors import accepted_forms
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification
from rapidreview.workdays import add_working_days
from referrals.models import Stage

from .factories import complete_form, declare_conflict, glossary_term, issuable

TODAY = "2027-03-01 09:00"  # a Monday after the fixtures are made (roles start this month)


def _issue(case, business_unit, due=None, agencies=None):
    _, latest = services.due_date_bounds(partnership=case.partnership)
    return services.forms_issue(case=case, agencies=issuable(case) if agencies is None else agencies,
                                due_on=due or latest, actor=business_unit)


@pytest.fixture
def issued(case, business_unit, health_lead, school_lead):
    with time_machine.travel(TODAY, tick=False):
        return {f.agency.name: f for f in _issue(case, business_unit)}


@time_machine.travel(TODAY, tick=False)
def test_issuing_sends_one_form_to_each_invited_agency_with_a_clock(case, business_unit, health_lead, school_lead):
    forms = _issue(case, business_unit)
    assert {f.agency.name for f in forms} == {"Example Health Trust", "Example Primary School"}
    clocks = Clock.objects.filter(kind=ClockKind.AGENCY_FORM, case_id=case.pk)
    assert clocks.count() == 2
    assert {c.due_on for c in clocks} == {add_working_days(datetime.date(2027, 3, 1), 8,
                                                           partnership=case.partnership)}
    assert {c.partnership_id for c in clocks} == {case.partnership_id}
    assert {c.label for c in clocks} == {"Example Health Trust", "Example Primary School"}


@time_machine.travel(TODAY, tick=False)
def test_each_agency_lead_gets_exactly_one_email_without_the_childs_name(case, business_unit, health_lead,
                                                                         school_lead,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _issue(case, business_unit)
    assert Notification.objects.filter(kind="agencychecks.issued").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["hana@health.test", "sid@school.test"]
    for message in mail.outbox:
        assert case.child_first_name not in message.body and case.child_last_name not in message.body
        assert case.reference in message.body


@time_machine.travel(TODAY, tick=False)
def test_issuing_twice_only_issues_to_agencies_without_a_form(case, business_unit, health_lead, school_lead):
    agencies = issuable(case)
    _issue(case, business_unit)
    with pytest.raises(DomainError, match="already has a form"):
        _issue(case, business_unit, agencies=agencies)
    assert AgencyCheckForm.objects.filter(case=case).count() == 2


@time_machine.travel(TODAY, tick=False)
def test_due_date_must_be_within_the_allowed_working_days(case, business_unit):
    earliest, latest = services.due_date_bounds(partnership=case.partnership)
    assert earliest == add_working_days(datetime.date(2027, 3, 1), 5, partnership=case.partnership)
    for bad in (earliest - datetime.timedelta(days=1), latest + datetime.timedelta(days=1)):
        with pytest.raises(DomainError):
            services.forms_issue(case=case, agencies=issuable(case), due_on=bad, actor=business_unit)
    assert not AgencyCheckForm.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_forms_cannot_be_issued_before_the_serious_incident_notification(case, business_unit):
    case.stage = Stage.THRESHOLD
    case.save()
    with pytest.raises(DomainError, match="rapid review"):
        _issue(case, business_unit)


@time_machine.travel(TODAY, tick=False)
def test_a_due_date_after_the_day_before_the_panel_is_flagged(case, panel):
    from django.utils import timezone

    panel.meeting_at = timezone.make_aware(datetime.datetime(2027, 3, 11, 10))
    panel.save()
    assert services.latest_date_before_panel(case) == datetime.date(2027, 3, 10)


def test_submitting_an_incomplete_form_is_refused(issued, health_lead):
    form = issued["Example Health Trust"]
    with pytest.raises(DomainError, match="Complete every section"):
        services.form_submit(form=form, actor=health_lead)
    assert not FormVersion.objects.exists()


def test_submitting_with_an_unexpanded_acronym_is_refused_until_the_glossary_allows_it(issued, health_lead):
    form = complete_form(issued["Example Health Trust"], went_well="The MARAC met quickly.")
    with pytest.raises(DomainError, match="acronyms"):
        services.form_submit(form=form, actor=health_lead)
    glossary_term("MARAC", "Multi-Agency Risk Assessment Conference", allowed=True)
    services.form_submit(form=form, actor=health_lead)
    assert form.status == FormStatus.SUBMITTED


def test_submitting_keeps_a_version_and_meets_the_clock(issued, health_lead):
    form = complete_form(issued["Example Health Trust"])
    version = services.form_submit(form=form, actor=health_lead)
    assert version.number == 1
    assert version.snapshot["agency"] == "Example Health Trust"
    assert Clock.objects.get(subject_id=form.pk, kind=ClockKind.AGENCY_FORM).state == ClockState.MET


def test_a_returned_form_keeps_its_content_and_can_be_resubmitted_as_a_second_version(issued, health_lead,
                                                                                      business_unit):
    form = complete_form(issued["Example Health Trust"])
    services.form_submit(form=form, actor=health_lead)
    services.form_return(form=form, actor=business_unit, comments={"analysis": "Say why the visits stopped."})
    form.refresh_from_db()
    assert form.status == FormStatus.RETURNED
    assert form.analysis.startswith("The health visitor noticed")
    assert form.chronology.count() == 1
    assert Clock.objects.filter(subject_id=form.pk, state=ClockState.RUNNING).count() == 1
    services.form_save_section(form=form, section="analysis", actor=health_lead,
                               data={"analysis": form.analysis + " The visits stopped when the family moved."})
    services.form_submit(form=form, actor=health_lead)
    assert list(form.versions.values_list("number", flat=True)) == [1, 2]


def test_returning_needs_a_comment(issued, health_lead, business_unit):
    form = complete_form(issued["Example Health Trust"])
    services.form_submit(form=form, actor=health_lead)
    with pytest.raises(DomainError, match="Comment"):
        services.form_return(form=form, actor=business_unit, comments={"analysis": "  "})


def test_only_a_submitted_form_can_be_accepted_or_returned(issued, business_unit):
    form = issued["Example Health Trust"]
    with pytest.raises(DomainError, match="submitted"):
        services.form_accept(form=form, actor=business_unit)
    with pytest.raises(DomainError, match="submitted"):
        services.form_return(form=form, actor=business_unit, comments={"analysis": "More"})


def test_an_accepted_form_cannot_be_edited(issued, health_lead, business_unit):
    form = complete_form(issued["Example Health Trust"])
    services.form_submit(form=form, actor=health_lead)
    services.form_accept(form=form, actor=business_unit)
    with pytest.raises(DomainError, match="cannot be changed"):
        services.form_save_section(form=form, section="analysis", actor=health_lead, data={"analysis": "x"})


def _accept(form, lead, business_unit):
    complete_form(form)
    services.form_submit(form=form, actor=lead)
    services.form_accept(form=form, actor=business_unit)


def test_distributing_without_every_form_needs_a_reason(issued, health_lead, business_unit, panel):
    _accept(issued["Example Health Trust"], health_lead, business_unit)
    with pytest.raises(DomainError, match="reason"):
        services.pack_distribute(case=issued["Example Health Trust"].case, actor=business_unit)
    pack = services.pack_distribute(case=issued["Example Health Trust"].case, actor=business_unit,
                                    reason="The school has not replied and the panel meets tomorrow.")
    assert list(pack.left_out.all()) == [issued["Example Primary School"]]
    school_clock = Clock.objects.get(subject_id=issued["Example Primary School"].pk)
    assert school_clock.state == ClockState.CANCELLED


def test_distributing_emails_each_panel_member_once_and_conflicted_members_nothing(
        issued, health_lead, school_lead, business_unit, panel, panel_member, django_capture_on_commit_callbacks):
    from panels.models import PanelInvitation
    from rapidreview.accounts.models import Role
    from tests.factories import make_user

    conflicted = make_user(Role.PANEL_MEMBER, email="conflicted@panel.test")
    PanelInvitation.objects.create(panel=panel, user=conflicted)
    declare_conflict(panel.case, conflicted)
    for name, lead in (("Example Health Trust", health_lead), ("Example Primary School", school_lead)):
        _accept(issued[name], lead, business_unit)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.pack_distribute(case=panel.case, actor=business_unit)
    assert [m.to for m in mail.outbox] == [["pat@panel.test"]]
    assert Notification.objects.filter(kind="agencychecks.pack").count() == 1
    assert accepted_forms(panel.case).count() == 2
    with pytest.raises(DomainError, match="already"):
        services.pack_distribute(case=panel.case, actor=business_unit)


def test_the_pack_needs_at_least_one_accepted_form(issued, business_unit):
    with pytest.raises(DomainError, match="at least one"):
        services.pack_distribute(case=issued["Example Health Trust"].case, actor=business_unit, reason="x")
    assert not Pack.objects.exists()


def test_the_pack_cannot_be_distributed_after_the_rapid_review_stage(issued, health_lead, business_unit):
    _accept(issued["Example Health Trust"], health_lead, business_unit)
    case = issued["Example Health Trust"].case
    case.stage = Stage.DECISION
    case.save()
    with pytest.raises(DomainError, match="rapid review"):
        services.pack_distribute(case=case, actor=business_unit, reason="x")
