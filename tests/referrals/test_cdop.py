"""A referral within a week of the CDOP or JAR discussion: the clock starts when the discussion is recorded, the
business unit is chased, and the referral wizard warns once the week has passed."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from rapidreview.accounts.models import Role
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.clocks.tasks import run_sweep
from rapidreview.notifications.models import Notification
from referrals.models import Case, CdopDiscussion
from tests.factories import default_partnership, make_user
from tests.forms_as_rendered import accepted, page_form

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 3, 10, 0), tick=False) as traveller:
        yield traveller


def _record(client, discussed_on=MONDAY):
    url = reverse("referrals:cdop_new")
    return page_form(client, url).fill(forum="cdop", forum_reference="CDOP 2026/14",
                                       discussed_on=discussed_on).submit()


def _walk_from(client, discussion):
    response = client.get(reverse("referrals:referral_start") + f"?discussion={discussion.pk}")
    assert response["Location"] == reverse("referrals:referral_step", args=["referrer"])
    referrer = page_form(client, response["Location"])
    assert "cdop_discussed_on_0" not in referrer and "cdop_forum" not in referrer
    accepted(referrer.fill(referrer_name="Cara Panel").submit())
    steps = {
        "child": {"child_first_name": "Ada", "child_last_name": "Hollis"},
        "household": {},
        "incident": {"harm": "died", "description": "Died at home.", "incident_date": datetime.date(2026, 2, 20)},
        "agencies": {},
        "criteria": {"criteria_reasons": "Neglect suspected."},
    }
    for step, values in steps.items():
        accepted(page_form(client, reverse("referrals:referral_step", args=[step])).fill(**values).submit())


def test_recording_a_discussion_starts_the_week_and_the_business_unit_is_chased(client, business_unit):
    client.force_login(business_unit)
    assert _record(client).status_code == 302
    discussion = CdopDiscussion.objects.get()
    clock = Clock.objects.get(kind=ClockKind.CDOP_REFERRAL)
    assert clock.due_on == datetime.date(2026, 3, 9) and clock.state == ClockState.RUNNING
    assert clock.subject == discussion
    for day in range(3, 12):
        run_sweep(today=datetime.date(2026, 3, day))
    chased = Notification.objects.filter(kind__startswith="clocks.", to_email=business_unit.email)
    assert chased.exists()
    assert all("CDOP 2026/14" in n.subject or "CDOP" in n.body_text for n in chased)
    page = client.get(reverse("referrals:cdop_list")).content.decode()
    assert "CDOP 2026/14" in page and "9 March 2026" in page


def test_making_the_referral_from_the_discussion_meets_the_clock_and_links_the_case(client, business_unit):
    client.force_login(business_unit)
    _record(client)
    discussion = CdopDiscussion.objects.get()
    _walk_from(client, discussion)
    check = client.get(reverse("referrals:referral_check")).content.decode()
    assert "within a week" not in check  # discussed yesterday: on time
    accepted(page_form(client, reverse("referrals:referral_check"), action="").submit(),
             reverse("referrals:referral_done"))
    case = Case.objects.get()
    discussion.refresh_from_db()
    assert discussion.case == case and not discussion.is_open
    assert case.referral.cdop_discussed_on == MONDAY and not case.referral.is_late
    assert Clock.objects.get(kind=ClockKind.CDOP_REFERRAL).state == ClockState.MET


def test_the_wizard_warns_when_the_week_after_the_discussion_has_passed(client, business_unit, _today):
    client.force_login(business_unit)
    _record(client)
    _today.move_to(datetime.datetime(2026, 3, 12, 10, 0))
    client.force_login(business_unit)  # a new day, a new session
    _walk_from(client, CdopDiscussion.objects.get())
    check = " ".join(client.get(reverse("referrals:referral_check")).content.decode().split())
    assert "The case was discussed on 2 March 2026, 10 days ago." in check
    assert "within a week of the discussion (by 9 March 2026)" in check
    accepted(page_form(client, reverse("referrals:referral_check"), action="").submit())
    assert Case.objects.get().referral.is_late


def test_a_cdop_referral_made_without_a_recorded_discussion_records_one(client, business_unit):
    from referrals.services import referral_submit

    case = referral_submit(partnership=default_partnership(), source="cdop_jar", actor=business_unit, data={
        "child_first_name": "Ada", "harm": "died", "description": "Died.", "referrer_name": "Cara",
        "cdop_forum": "jar", "cdop_discussed_on": MONDAY})
    discussion = CdopDiscussion.objects.get()
    assert discussion.case == case and discussion.forum == "jar"
    assert Clock.objects.get(kind=ClockKind.CDOP_REFERRAL).state == ClockState.MET


def test_no_referral_needed_meets_the_clock_with_its_reason(client, business_unit):
    client.force_login(business_unit)
    _record(client)
    discussion = CdopDiscussion.objects.get()
    url = discussion.get_absolute_url()
    response = page_form(client, url).fill(reason="").submit()
    assert "Say why no referral is needed" in response.content.decode()
    accepted(page_form(client, url).fill(reason="Natural causes; no concerns about services.").submit())
    discussion.refresh_from_db()
    assert discussion.no_referral_reason.startswith("Natural causes") and not discussion.is_open
    assert Clock.objects.get(kind=ClockKind.CDOP_REFERRAL).state == ClockState.MET


def test_only_the_business_unit_records_discussions(client, business_unit):
    client.force_login(make_user(Role.AGENCY_LEAD))
    assert client.get(reverse("referrals:cdop_list")).status_code == 403
    assert client.post(reverse("referrals:cdop_new"), {"forum": "cdop", "forum_reference": "X"}).status_code == 403
    assert not CdopDiscussion.objects.exists()
    client.force_login(business_unit)
    assert client.delete(reverse("referrals:cdop_list")).status_code == 405
