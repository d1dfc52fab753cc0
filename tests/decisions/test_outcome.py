"""The National Panel (the day-15 rule), the practice review clocks, and the no-review outcome."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from actionplan.models import Action
from decisions import services
from decisions.models import CsprParticipation
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.clocks.services import clock_start
from rapidreview.db import DomainError
from rapidreview.workdays import add_working_days
from referrals.models import Stage
from tests.factories import AgencyFactory
from tests.forms_as_rendered import accepted, page_form

from .factories import the_chair

SIN = datetime.date(2026, 3, 2)
DAY_15 = datetime.date(2026, 3, 23)  # working day 15 after Monday 2 March 2026
DAY_16 = datetime.date(2026, 3, 24)


@pytest.fixture
def np_clock(signed):
    return clock_start(kind=ClockKind.NATIONAL_PANEL, subject=signed.case, start=SIN, case_id=signed.case_id,
                       partnership=signed.case.partnership)


def send(sheet, bu, sent_on=datetime.date(2026, 3, 10), reason=""):
    return services.national_panel_send(case=sheet.case, actor=bu, sent_on=sent_on, late_reason=reason,
                                        sent_for=the_chair())


def test_sending_by_day_15_meets_the_clock_and_moves_the_case(signed, bu, np_clock):
    submission = send(signed, bu)
    np_clock.refresh_from_db()
    signed.case.refresh_from_db()
    assert np_clock.state == ClockState.MET
    assert signed.case.stage == Stage.NATIONAL_PANEL
    assert submission.working_day == 6


def test_sending_after_working_day_15_needs_a_reason(signed, bu, np_clock, _today):
    _today.move_to(datetime.datetime(2026, 3, 30, 10, 0))
    late = DAY_16
    with pytest.raises(DomainError, match="working day 15"):
        send(signed, bu, sent_on=late)
    submission = send(signed, bu, sent_on=late, reason="Waiting for the police executive.")
    assert submission.working_day == 16 and submission.late_reason


def test_sending_on_working_day_15_needs_no_reason(signed, bu, _today):
    _today.move_to(datetime.datetime(2026, 3, 30, 10, 0))
    assert send(signed, bu, sent_on=DAY_15).working_day == 15


def test_an_unsigned_sheet_cannot_be_sent(out_for_signature, bu):
    with pytest.raises(DomainError, match="sign"):
        send(out_for_signature, bu)


def test_the_send_page_asks_the_business_unit_for_a_reason_after_the_deadline(client, signed, bu, _today):
    _today.move_to(datetime.datetime(2026, 3, 30, 10, 0))
    client.force_login(bu)
    late = DAY_16
    response = client.post(f"/decisions/case/{signed.case_id}/national-panel/send/",
                           {"sent_on_0": late.day, "sent_on_1": late.month, "sent_on_2": late.year,
                            "sent_for": the_chair().pk})
    assert response.status_code == 200 and "Give the reason" in response.content.decode()


def test_an_executive_cannot_record_the_date_sent(client, signed, executives):
    client.force_login(executives["police"])
    assert client.get(f"/decisions/case/{signed.case_id}/national-panel/send/").status_code == 403


def test_no_review_closes_once_the_national_panel_answers(signed, bu):
    send(signed, bu)
    agency = AgencyFactory()
    services.no_cspr_record(case=signed.case, actor=bu, kind="multi_agency", detail="Learning review",
                            learning="Think family.",
                            actions=[{"description": "Audit", "agency": agency, "due_on": datetime.date(2026, 6, 1)}])
    signed.case.refresh_from_db()
    assert signed.case.stage == Stage.NATIONAL_PANEL
    assert Action.objects.get(case=signed.case).learning == "Think family."
    services.national_panel_record_response(case=signed.case, actor=bu, response_on=datetime.date(2026, 3, 10),
                                            response="agree", text="Agree.")
    signed.case.refresh_from_db()
    assert signed.case.stage == Stage.CLOSED


def test_the_response_cannot_be_recorded_before_the_decision_is_sent(signed, bu):
    with pytest.raises(DomainError, match="after the decision was sent"):
        services.national_panel_record_response(case=signed.case, actor=bu, response_on=datetime.date(2026, 3, 10),
                                                response="agree", text="")


def commission(sheet, bu):
    send(sheet, bu)
    return services.cspr_commission(case=sheet.case, actor=bu, methodology="systems", methodology_detail="",
                                    reviewers="Independent reviewer", terms_of_reference="Scope",
                                    started_on=datetime.date(2026, 3, 10))


def test_commissioning_a_review_starts_its_6_month_clock(signed, bu):
    agency = AgencyFactory()
    signed.case.involved_agencies.add(agency)
    cspr = commission(signed, bu)
    clock = Clock.objects.get(kind=ClockKind.CSPR_REPORT)
    assert clock.due_on == datetime.date(2026, 9, 10) == cspr.final_report_due_on
    assert CsprParticipation.objects.get(cspr=cspr).agency == agency
    signed.case.refresh_from_db()
    assert signed.case.stage == Stage.CSPR


def test_commissioning_asks_panels_for_substitutes_for_conflicted_members(signed, bu, people):
    from panels.models import ConflictOfInterest

    commission(signed, bu)
    assert ConflictOfInterest.objects.get(user=people["conflicted"]).substitute_required_at is not None


@pytest.mark.parametrize("page", ["edit/", "milestones/{milestone}/", "processes/new/"])
def test_opening_a_review_form_writes_one_line_to_the_access_log(client, signed, bu, page):
    from rapidreview.audit.models import AccessLog

    cspr = commission(signed, bu)
    client.force_login(bu)
    url = f"/decisions/case/{signed.case_id}/review/" + page.format(milestone=cspr.milestones.first().pk)
    response = client.get(url)
    assert response.status_code == 200
    assert AccessLog.objects.filter(path=url).count() == 1


def test_a_review_cannot_be_commissioned_before_the_national_panel_stage(signed, bu):
    with pytest.raises(DomainError, match="National Panel"):
        services.cspr_commission(case=signed.case, actor=bu, methodology="systems", methodology_detail="",
                                 reviewers="R", terms_of_reference="T", started_on=datetime.date(2026, 3, 10))


def test_the_pre_publication_clock_is_due_7_working_days_before_publication(signed, bu):
    cspr = commission(signed, bu)
    planned = datetime.date(2026, 9, 30)
    services.cspr_update(cspr=cspr, actor=bu, methodology="systems", methodology_detail="", reviewers="R",
                         terms_of_reference="T", planned_publication_on=planned)
    clock = Clock.objects.get(kind=ClockKind.PRE_PUBLICATION)
    partnership = signed.case.partnership
    assert clock.due_on == add_working_days(planned, -7, partnership=partnership) == datetime.date(2026, 9, 21)
    services.cspr_update(cspr=cspr, actor=bu, methodology="systems", methodology_detail="", reviewers="R",
                         terms_of_reference="T", planned_publication_on=datetime.date(2026, 10, 30))
    assert Clock.objects.get(kind=ClockKind.PRE_PUBLICATION, state=ClockState.RUNNING).due_on == \
        add_working_days(datetime.date(2026, 10, 30), -7, partnership=partnership)


def test_publication_meets_the_clocks_and_starts_the_one_year_review(signed, bu, _today):
    cspr = commission(signed, bu)
    services.cspr_update(cspr=cspr, actor=bu, methodology="systems", methodology_detail="", reviewers="R",
                         terms_of_reference="T", planned_publication_on=datetime.date(2026, 9, 30))
    with pytest.raises(DomainError, match="sent"):
        services.cspr_publish(cspr=cspr, actor=bu, published_on=datetime.date(2026, 3, 10), pseudonym="Child Q",
                              published_url="")
    _today.move_to(datetime.datetime(2026, 9, 30, 10, 0))
    services.cspr_report_sent(cspr=cspr, actor=bu, sent_on=datetime.date(2026, 9, 18))
    assert Clock.objects.get(kind=ClockKind.PRE_PUBLICATION, state=ClockState.MET)
    cspr = services.cspr_publish(cspr=cspr, actor=bu, published_on=datetime.date(2026, 9, 30), pseudonym="Child Q",
                                 published_url="https://example.org/child-q")
    signed.case.refresh_from_db()
    assert signed.case.pseudonym == "Child Q"
    assert Clock.objects.get(kind=ClockKind.CSPR_REPORT).state == ClockState.MET
    review = Clock.objects.get(kind=ClockKind.IMPLEMENTATION_REVIEW)
    assert review.due_on == datetime.date(2026, 9, 30) + relativedelta(months=12)
    services.cspr_record_workshop(cspr=cspr, actor=bu, held_on=datetime.date(2026, 9, 30), notes="All partners")
    _today.move_to(datetime.datetime(2027, 9, 30, 10, 0))
    services.cspr_record_implementation_review(cspr=cspr, actor=bu, held_on=datetime.date(2027, 9, 30), notes="")
    review.refresh_from_db()
    signed.case.refresh_from_db()
    assert review.state == ClockState.MET and signed.case.stage == Stage.CLOSED


def test_completing_the_final_report_meets_the_6_month_clock(signed, bu):
    cspr = commission(signed, bu)
    final = cspr.milestones.get(kind="final_report")
    services.milestone_complete(milestone=final, actor=bu, planned_on=None, completed_on=datetime.date(2026, 3, 10),
                                notes="")
    assert Clock.objects.get(kind=ClockKind.CSPR_REPORT).state == ClockState.MET


def test_the_review_page_is_for_readers_of_decisions_only(client, signed, bu, people):
    commission(signed, bu)
    client.force_login(people["non_voting"])
    assert client.get(f"/decisions/case/{signed.case_id}/review/").status_code == 403
    client.force_login(bu)
    assert client.get(f"/decisions/case/{signed.case_id}/review/").status_code == 200
    assert client.delete(f"/decisions/case/{signed.case_id}/review/").status_code == 405


def _planned(cspr, bu, day):
    return services.cspr_update(cspr=cspr, actor=bu, methodology="systems", methodology_detail="", reviewers="R",
                                terms_of_reference="T", planned_publication_on=day)


def test_publication_cannot_come_sooner_than_7_working_days_after_the_report_went_to_the_panel(signed, bu, _today):
    cspr = commission(signed, bu)
    _planned(cspr, bu, datetime.date(2026, 9, 30))
    _today.move_to(datetime.datetime(2026, 9, 30, 10, 0))
    services.cspr_report_sent(cspr=cspr, actor=bu, sent_on=datetime.date(2026, 9, 22))  # a Tuesday
    for too_soon in (datetime.date(2026, 9, 22), datetime.date(2026, 9, 30)):
        with pytest.raises(DomainError, match="1 October 2026 at the earliest"):
            services.cspr_publish(cspr=cspr, actor=bu, published_on=too_soon, pseudonym="Child Q", published_url="")
    cspr.refresh_from_db()
    assert cspr.published_on is None
    assert not Clock.objects.filter(kind=ClockKind.IMPLEMENTATION_REVIEW).exists()
    _today.move_to(datetime.datetime(2026, 10, 1, 10, 0))
    services.cspr_publish(cspr=cspr, actor=bu, published_on=datetime.date(2026, 10, 1), pseudonym="Child Q",
                          published_url="")


def test_the_implementation_review_cannot_be_held_on_or_before_the_publication_day(signed, bu, _today):
    cspr = commission(signed, bu)
    _planned(cspr, bu, datetime.date(2026, 9, 30))
    _today.move_to(datetime.datetime(2026, 9, 30, 10, 0))
    services.cspr_report_sent(cspr=cspr, actor=bu, sent_on=datetime.date(2026, 9, 18))
    cspr = services.cspr_publish(cspr=cspr, actor=bu, published_on=datetime.date(2026, 9, 30), pseudonym="Child Q",
                                 published_url="")
    for day in (datetime.date(2026, 9, 30), datetime.date(2026, 9, 29)):
        with pytest.raises(DomainError, match="after the publication date, 30 September 2026"):
            services.cspr_record_implementation_review(cspr=cspr, actor=bu, held_on=day, notes="")
    signed.case.refresh_from_db()
    assert signed.case.stage == Stage.CSPR
    assert Clock.objects.get(kind=ClockKind.IMPLEMENTATION_REVIEW).state == ClockState.RUNNING


def test_a_planned_publication_date_too_soon_says_so_in_the_users_terms(client, signed, bu):
    cspr = commission(signed, bu)
    client.force_login(bu)
    url = f"/decisions/case/{signed.case_id}/review/edit/"
    form = page_form(client, url, containing="planned_publication_on_0")
    # Today is Tuesday 10 March 2026: 7 working days on is Thursday 19 March.
    response = form.fill(planned_publication_on=datetime.date(2026, 3, 18)).submit()
    text = response.content.decode()
    assert response.status_code == 200
    assert "The due date must not be before the start date" not in text
    assert "at least 7 working days from today" in text and "19 March 2026" in text
    cspr.refresh_from_db()
    assert cspr.planned_publication_on is None
    assert not Clock.objects.filter(kind=ClockKind.PRE_PUBLICATION).exists()
    accepted(form.fill(planned_publication_on=datetime.date(2026, 3, 19)).submit())
    cspr.refresh_from_db()
    assert cspr.planned_publication_on == datetime.date(2026, 3, 19)
