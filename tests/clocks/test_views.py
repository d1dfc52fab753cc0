import datetime

import pytest
import time_machine
from django.urls import reverse

from rapidreview.accounts.models import Role
from rapidreview.clocks.models import Clock, ClockChange, ClockKind, ClockState, NonWorkingDay
from rapidreview.clocks.services import clock_recalculate
from rapidreview.db import DomainError
from tests.clocks.factories import make_clock
from tests.factories import AgencyFactory, default_partnership, make_user

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 9, 10, 0), tick=False):
        yield


def test_a_settings_change_never_moves_a_running_clock():
    clock = make_clock(kind=ClockKind.AGENCY_FORM, start=D(2026, 3, 2))
    assert clock.due_on == D(2026, 3, 12)
    partnership = default_partnership()
    partnership.agency_form_working_days = 5
    partnership.save()
    clock.refresh_from_db()
    assert clock.due_on == D(2026, 3, 12)
    assert make_clock(kind=ClockKind.AGENCY_FORM, start=D(2026, 3, 2)).due_on == D(2026, 3, 9)


def test_the_business_unit_changes_a_due_date_with_a_recorded_reason(bu_client, business_unit):
    clock = make_clock(start=D(2026, 3, 2))
    url = reverse("clocks:recalculate", args=[clock.pk])
    assert bu_client.get(url).status_code == 200
    response = bu_client.post(url, {"due_on_0": "19", "due_on_1": "3", "due_on_2": "2026",
                                    "reason": "The agency asked for more time; agreed by the chair."})
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.due_on == D(2026, 3, 19)
    change = ClockChange.objects.get()
    assert (change.old_due_on, change.new_due_on, change.actor) == (D(2026, 3, 12), D(2026, 3, 19), business_unit)
    assert clock.history.first().history_change_reason.startswith("The agency asked")
    page = bu_client.get(reverse("clocks:detail", args=[clock.pk])).content.decode()
    assert "The agency asked for more time" in page


def test_changing_a_due_date_without_a_reason_shows_an_error_and_keeps_the_date(bu_client):
    clock = make_clock(start=D(2026, 3, 2))
    response = bu_client.post(reverse("clocks:recalculate", args=[clock.pk]),
                              {"due_on_0": "19", "due_on_1": "3", "due_on_2": "2026", "reason": ""})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert 'value="19"' in response.content.decode()
    clock.refresh_from_db()
    assert clock.due_on == D(2026, 3, 12)


def test_a_met_clock_cannot_be_recalculated(business_unit):
    from rapidreview.clocks.services import clock_meet

    clock = make_clock(start=D(2026, 3, 2))
    clock_meet(subject=clock.subject)
    clock.refresh_from_db()
    with pytest.raises(DomainError):
        clock_recalculate(clock=clock, due_on=D(2026, 3, 20), reason="Late", actor=business_unit)


def test_only_the_business_unit_may_change_a_due_date(client, agency_lead):
    clock = make_clock(start=D(2026, 3, 2))
    client.force_login(agency_lead)
    assert client.get(reverse("clocks:recalculate", args=[clock.pk])).status_code == 403
    assert client.get(reverse("clocks:all")).status_code == 403
    assert client.get(reverse("clocks:closures")).status_code == 403


def test_the_recalculate_page_refuses_other_methods(bu_client):
    clock = make_clock(start=D(2026, 3, 2))
    assert bu_client.put(reverse("clocks:recalculate", args=[clock.pk])).status_code == 405
    assert bu_client.post(reverse("clocks:all")).status_code == 405


def test_my_deadlines_lists_my_agencys_clocks_and_not_others(client):
    agency, other = AgencyFactory(), AgencyFactory()
    lead = make_user(Role.AGENCY_LEAD, agency=agency)
    make_clock(start=D(2026, 3, 2), label="Ours", owner_agency=agency)
    make_clock(start=D(2026, 3, 2), label="Theirs", owner_agency=other)
    client.force_login(lead)
    page = client.get(reverse("clocks:mine")).content.decode()
    assert "Ours" in page and "Theirs" not in page
    assert "Day 5 of 8 (working days)" in page
    assert "Due soon" not in page and "On track" in page


def test_my_deadlines_query_count_is_constant(client, django_assert_num_queries):
    agency = AgencyFactory()
    lead = make_user(Role.AGENCY_LEAD, agency=agency)
    client.force_login(lead)
    for _ in range(2):
        make_clock(start=D(2026, 3, 2), owner_agency=agency)
    client.get(reverse("clocks:mine"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        client.get(reverse("clocks:mine"))
    for _ in range(20):
        make_clock(start=D(2026, 3, 2), owner_agency=agency)
    with django_assert_num_queries(len(two)):
        client.get(reverse("clocks:mine"))


def test_all_deadlines_filters_and_keeps_a_constant_query_count(bu_client, django_assert_num_queries):
    make_clock(start=D(2026, 2, 2), label="Late one")  # due 12 February
    make_clock(start=D(2026, 3, 2), label="Current one", kind=ClockKind.PANEL_MEETING)
    url = reverse("clocks:all")
    page = bu_client.get(url, {"overdue": "on"}).content.decode()
    assert "Late one" in page and "Current one" not in page
    page = bu_client.get(url, {"kind": ClockKind.PANEL_MEETING}).content.decode()
    assert "Current one" in page and "Late one" not in page
    page = bu_client.get(url, {"due_after": "2026-03-01", "due_before": "2026-03-31"}).content.decode()
    assert "Current one" in page and "Late one" not in page
    page = bu_client.get(url, {"state": "nonsense"}).content.decode()
    assert "govuk-error-message" in page

    from rapidreview.clocks.services import clock_meet

    met = make_clock(start=D(2026, 1, 5), label="Met one")
    clock_meet(subject=met.subject, kind=met.kind)
    page = bu_client.get(url).content.decode()
    assert "Late one" in page and "Current one" in page and "Met one" not in page, "open deadlines by default"
    page = bu_client.get(url, {"state": ""}).content.decode()
    assert "Met one" in page and "Late one" in page, "'Any' shows every deadline"

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        bu_client.get(url)
    for _ in range(30):
        make_clock(start=D(2026, 3, 2))
    with django_assert_num_queries(len(two)):
        bu_client.get(url)


def test_the_business_unit_adds_and_removes_a_non_working_day(bu_client):
    url = reverse("clocks:closures")
    response = bu_client.post(url, {"date_0": "24", "date_1": "12", "date_2": "2027", "reason": "Office closed"})
    assert response.status_code == 302
    day = NonWorkingDay.objects.get()
    assert (day.date, day.reason) == (D(2027, 12, 24), "Office closed")
    response = bu_client.post(url, {"date_0": "24", "date_1": "12", "date_2": "2027", "reason": "Again"})
    assert "already a non-working day" in response.content.decode()
    assert bu_client.get(reverse("clocks:closure_remove", args=[day.pk])).status_code == 405
    assert bu_client.post(reverse("clocks:closure_remove", args=[day.pk])).status_code == 302
    assert not NonWorkingDay.objects.exists()


def test_the_case_section_shows_each_clock_with_its_day_and_tag(rf, business_unit):
    from rapidreview.clocks.cards import case_section
    from rapidreview.registry import _case_sections

    class Case:
        pk = "3f1c2b9e-5c55-4e7e-9d0b-111111111111"

    make_clock(start=D(2026, 3, 2), case_id=Case.pk, label="Barts Health")
    make_clock(start=D(2026, 2, 2), case_id=Case.pk, label="Police")
    request = rf.get("/")
    request.user = business_unit
    assert any(s.template == "clocks/case_clocks.html" and s.build is case_section for s in _case_sections)
    clocks = case_section(request, Case())["clocks"]
    assert [(c.label, c.status.label) for c in clocks] == [("Police", "Overdue"), ("Barts Health", "On track")]
    assert clocks[1].day_label == "Day 5 of 8 (working days)"


def test_the_dashboard_shows_overdue_clocks_to_the_business_unit(bu_client):
    make_clock(start=D(2026, 2, 2), label="Late one")
    page = bu_client.get("/").content.decode()
    assert "Overdue deadlines" in page and "Late one" in page


def test_a_clock_that_is_met_shows_met(business_unit):
    from rapidreview.clocks.selectors import clock_status
    from rapidreview.clocks.services import clock_meet

    clock = make_clock(start=D(2026, 3, 2))
    clock_meet(subject=clock.subject)
    clock.refresh_from_db()
    assert clock.state == ClockState.MET
    assert clock_status(clock).label == "Met"


def test_a_passed_deadline_says_how_late_it_is_instead_of_day_n_of_m():
    from rapidreview.clocks.selectors import clock_day_label

    late = make_clock(start=D(2026, 3, 2))  # an agency form: 8 working days, due 12 March 2026
    assert clock_day_label(late, today=D(2026, 3, 12)) == "Day 8 of 8 (working days)"
    assert clock_day_label(late, today=D(2026, 3, 13)) == "1 working day overdue"
    assert clock_day_label(late, today=D(2026, 3, 17)) == "3 working days overdue"


def test_a_deadline_met_late_says_how_late():
    import datetime as dt

    from django.utils import timezone

    from rapidreview.clocks.selectors import clock_day_label

    clock = make_clock(start=D(2026, 3, 2))  # due 12 March 2026
    clock.state, clock.met_at = ClockState.MET, timezone.make_aware(dt.datetime(2026, 3, 16, 10))
    assert clock_day_label(clock, today=D(2026, 4, 1)) == "Met 2 working days late"
    clock.met_at = timezone.make_aware(dt.datetime(2026, 3, 11, 10))
    assert clock_day_label(clock, today=D(2026, 4, 1)) == "Day 7 of 8 (working days)"


def test_the_dashboard_card_counts_all_my_deadlines_and_the_overdue_ones_beyond_the_five_it_lists(client):
    agency, other = AgencyFactory(), AgencyFactory()
    lead = make_user(Role.AGENCY_LEAD, agency=agency)
    for _ in range(4):  # due before today (9 March): overdue
        make_clock(start=D(2026, 2, 2), owner_agency=agency)
    for _ in range(3):
        make_clock(start=D(2026, 3, 6), owner_agency=agency)
    make_clock(start=D(2026, 2, 2), owner_agency=other)  # another agency's: neither listed nor counted
    client.force_login(lead)
    home = client.get("/").content.decode()
    assert "7 deadlines waiting for you, <strong>4 overdue</strong>." in home
    listed = home.split("7 deadlines waiting for you", 1)[1].split("</ul>", 1)[0]
    assert listed.count("<li>") == 5  # the five due soonest; the counts cover all seven
    assert Clock.objects.filter(owner_agency=agency).count() == 7


def test_the_dashboard_card_is_absent_without_deadlines_and_counts_a_few_exactly(client):
    agency = AgencyFactory()
    lead = make_user(Role.AGENCY_LEAD, agency=agency)
    client.force_login(lead)
    assert "waiting for you" not in client.get("/").content.decode()
    make_clock(start=D(2026, 3, 6), owner_agency=agency)
    home = client.get("/").content.decode()
    assert "1 deadline waiting for you." in home and "overdue</strong>" not in home.split("waiting for you")[1][:40]
