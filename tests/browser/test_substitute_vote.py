"""Issue 16, points 2 and 3 in a real browser: a conflicted member, the substitute seated in their place who votes,
and a vote the business unit records on a member's behalf.

The demo's scheduled panel has a conflicted police member (Rachel Green) with her agreed deputy (Joy Adebayo)
seated in her place. The clock is moved to the meeting day so attendance can be recorded. Each page is checked with
axe-core and captured at 1280 px and 375 px.
"""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from panels.models import Panel
from referrals.models import Case
from tests.browser.conftest import assert_accessible, capture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = zoneinfo.ZoneInfo("Europe/London")


def success(page):
    return page.locator(".govuk-notification-banner--success[role=alert]")


def test_the_seated_substitute_votes_and_the_business_unit_votes_for_a_member(people):
    call_command("load_demo")
    case = Case.objects.get(child_last_name="Marchbank")
    panel = Panel.objects.get(case=case)
    meeting = panel.meeting_at.astimezone(LONDON)
    panel_url = f"/panels/case/{case.pk}/"
    vote_url = f"/decisions/case/{case.pk}/vote/"

    conflicted = people("police.panel")
    conflicted.goto(f"/cases/{case.pk}/")
    expect(conflicted.get_by_role("heading", level=1)).to_contain_text("Page not found")

    substitute = people("police.deputy")
    expect(substitute.locator("main")).to_contain_text("in Rachel Green's place")
    substitute.goto(panel_url)
    expect(substitute.locator("main")).to_contain_text("Joy Adebayo for Rachel Green")
    assert_accessible(substitute, "substitute-panel")
    capture(substitute, "substitute-panel")

    with time_machine.travel(meeting + datetime.timedelta(hours=3), tick=True):
        manager = people("manager")
        manager.goto(panel_url + "attendance/")
        rows = manager.locator("#attendance-table tbody tr")
        conflicted_row = rows.filter(has_text="Rachel Green").filter(has_text="Conflict declared")
        expect(conflicted_row.locator("input[value=present]")).to_have_count(0)
        expect(conflicted_row).to_contain_text("Joy Adebayo (agreed substitute")
        for radio in manager.locator("input[type=radio][value=present]").all():
            radio.check()
        conflicted_row.locator("input[value=substitute]").check()
        gp_row = rows.filter(has_text="Lucy Brown")
        gp_row.locator("input[value=substitute]").check()
        gp_row.locator("input[type=text]").fill("Sam Standin")
        assert_accessible(manager, "attendance-with-substitute")
        capture(manager, "attendance-with-substitute")
        manager.get_by_role("button", name="Save attendance").click()
        expect(success(manager)).to_contain_text("Attendance saved")

        substitute = people("police.deputy")
        substitute.goto(vote_url)
        expect(substitute.locator("main")).to_contain_text("You sit on this panel for Rachel Green")
        substitute.get_by_label("Yes, recommend a practice review").check()
        substitute.get_by_role("button", name="Record my vote").click()
        expect(success(substitute)).to_contain_text("Vote recorded")

        gp = people("gp")
        gp.goto(vote_url)
        expect(gp.locator("main")).to_contain_text("the vote of your seat is theirs")
        expect(gp.get_by_role("button", name="Record my vote")).to_have_count(0)

        manager.goto(vote_url)
        member = manager.get_by_label("Member", exact=True)
        member.select_option(label="Lucy Brown (represented by Sam Standin)")
        manager.get_by_label("No, do not recommend a practice review").check()
        assert_accessible(manager, "vote-on-behalf")
        manager.get_by_role("button", name="Record vote", exact=True).click()
        expect(success(manager)).to_contain_text("Vote recorded for Sam Standin for Lucy Brown")
        votes = manager.get_by_role("table", name=re.compile("Voting members present"))
        expect(votes).to_contain_text("Joy Adebayo for Rachel Green")
        expect(votes).to_contain_text("Lucy Brown (represented by Sam Standin)")
        capture(manager, "vote-with-substitutes")
