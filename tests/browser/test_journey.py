"""One case through the whole process in a real browser, each step done by the role that owns it.

Every person signs in through the login page in a fresh browser context. Every page the journey shows is checked
with axe-core for WCAG 2.2 A and AA and captured at 1280 px and 375 px wide into the test artifacts folder.

The clock is pinned to 7am on the latest working day (``time_machine``, ticking) for one reason the rules force:
the panel must be scheduled in the future and can only be recorded as held on or after its date, so the journey
schedules it for 5pm the same day. Every other date is chosen relative to that day.
"""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from rapidreview.workdays import add_working_days, is_working_day
from tests.browser.conftest import artifacts_dir, assert_accessible, capture, reflow_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = zoneinfo.ZoneInfo("Europe/London")


def latest_working_day(today: datetime.date) -> datetime.date:
    day = today
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def fill_date(page, prefix: str, day: datetime.date) -> None:
    """GOV.UK day, month and year boxes named <prefix>_0, _1, _2."""
    page.locator(f"[name='{prefix}_0']").fill(str(day.day))
    page.locator(f"[name='{prefix}_1']").fill(str(day.month))
    page.locator(f"[name='{prefix}_2']").fill(str(day.year))


class Journey:
    """Keeps the step count, the list of pages checked and the pages that do not reflow at 375 px."""

    def __init__(self):
        self.step = 0
        self.checked: list[str] = []
        self.reflow: list[str] = []

    def check(self, page, name: str, full_page: bool = True) -> None:
        """axe-check the page, capture it at both widths and note whether it reflows at 375 px."""
        assert_accessible(page, name)
        self.step += 1
        slug = f"{self.step:02d}-{name}"
        self.checked.append(f"{slug}  {page.url}")
        capture(page, slug, full_page=full_page)
        overflow = reflow_overflow(page)
        if overflow > 0:
            self.reflow.append(f"{slug}: {overflow}px wider than 375px")

    def write_report(self) -> None:
        (artifacts_dir() / "journey-pages.txt").write_text(
            "Pages checked by axe (WCAG 2.2 A and AA):\n" + "\n".join(self.checked)
            + "\n\nPages wider than a 375px screen:\n" + ("\n".join(self.reflow) or "none") + "\n")


def outbox_shows(page, *subjects: str) -> None:
    """The business unit's outbox lists each subject (a substring of the e-mail's subject line)."""
    page.goto("/outbox/")
    table = page.locator("table.govuk-table")
    for subject in subjects:
        expect(table).to_contain_text(subject)


def test_one_case_goes_through_the_whole_process_role_by_role(people):
    today = latest_working_day(datetime.date.today())
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(7, 0), tzinfo=LONDON), tick=True):
        call_command("load_demo")
        journey = Journey()
        try:
            run_journey(people, journey, today)
        finally:
            journey.write_report()


def run_journey(people, journey: Journey, today: datetime.date) -> None:
    incident = add_working_days(today, -2)

    # 1. A member of the public refers at /refer/ (no account).
    public = people(None)
    public.goto("/refer/")
    journey.check(public, "public-start")
    public.get_by_role("button", name=re.compile("Start now")).or_(
        public.get_by_role("link", name=re.compile("Start now"))).first.click()
    expect(public.get_by_role("heading", level=1)).to_have_text("Tell us what happened")
    journey.check(public, "public-form")
    public.get_by_role("button", name="Continue").click()
    expect(public.locator(".govuk-error-summary")).to_be_visible()
    journey.check(public, "public-form-errors")
    public.get_by_label("Your name").fill("Maria Lopez")
    public.get_by_label("How do you know the child?").fill("Neighbour")
    public.get_by_label("Your e-mail address (optional)").fill("maria.lopez@example.org")
    public.get_by_label("Child's first name").fill("Rosa")
    public.get_by_label("Child's last name").fill("Journey")
    public.get_by_label("The child was seriously hurt").check()
    fill_date(public, "incident_date", incident)
    public.get_by_label("What happened?").fill("Rosa was taken to hospital with injuries nobody could explain.")
    public.get_by_label("Which services knew the child or family?").fill("School, GP, police")
    public.get_by_role("button", name="Continue").click()
    expect(public.get_by_role("heading", level=1)).to_have_text("Check your answers before sending")
    journey.check(public, "public-check-answers")
    public.get_by_role("button", name="Send referral").click()
    expect(public.locator(".govuk-panel__title")).to_have_text("Referral sent")
    reference = public.locator(".govuk-panel__body strong").inner_text().strip()
    journey.check(public, "public-referral-sent")

    # 2. The business unit sends it for the threshold discussion.
    manager = people("manager")
    journey.check(manager, "dashboard-business-unit")
    manager.goto("/cases/")
    journey.check(manager, "case-list")
    manager.get_by_role("link", name=reference).click()
    expect(manager.locator("h1 .govuk-tag")).to_have_text("Referral received")
    journey.check(manager, "case-received")
    case_url = manager.url
    manager.get_by_role("link", name="Send for the threshold discussion").click()
    journey.check(manager, "send-for-threshold")
    manager.get_by_role("button", name="Send for threshold discussion").click()
    expect(manager.locator("h1 .govuk-tag")).to_have_text("Threshold discussion")
    outbox_shows(manager, f"Threshold discussion needed for {reference}")
    journey.check(manager, "outbox-threshold")

    # The threshold decision maker for the local authority records the discussion: met.
    chair = people("chair")
    chair.goto(case_url)
    expect(chair.locator("h1 .govuk-tag")).to_have_text("Threshold discussion")
    chair.get_by_role("link", name="Record the threshold discussion").click()
    journey.check(chair, "threshold-form")
    fill_date(chair, "discussed_on", today)
    chair.locator("[name=la_participant]").select_option(index=1)
    chair.locator("[name=health_participant]").select_option(index=1)
    chair.locator("[name=police_participant]").select_option(index=1)
    chair.get_by_label("Serious Incident Notification threshold met").check()
    chair.get_by_label("Rationale").fill("Injuries nobody could explain; neglect is suspected. The criteria are met.")
    chair.get_by_role("button", name="Record the decision").click()
    expect(chair.locator(".govuk-notification-banner--success")).to_contain_text("Threshold decision recorded")
    journey.check(chair, "threshold-met")

    # 3. The business unit records the Serious Incident Notification: the rapid review clocks start.
    manager.goto(case_url)
    manager.get_by_role("link", name="Record the Serious Incident Notification").click()
    journey.check(manager, "sin-form")
    fill_date(manager, "notified_on", today)
    manager.get_by_label("Notification reference").fill("SIN-2026-0421")
    manager.get_by_role("button", name="Record the notification").click()
    expect(manager.locator("h1 .govuk-tag")).to_have_text("Rapid review")
    expect(manager.locator("main")).to_contain_text(re.compile(r"Day 0 of \d+"))
    journey.check(manager, "case-rapid-review")

    # 4. Panel set-up and scheduling, by the business unit: 5pm today, invitations sent.
    manager.get_by_role("link", name=re.compile("Set up the panel")).first.click()
    journey.check(manager, "panel-set-up")
    manager.get_by_role("button", name=re.compile("Save")).click()
    manager.get_by_role("link", name=re.compile("^Schedule")).click()
    journey.check(manager, "panel-schedule")
    fill_date(manager, "meeting_date", today)
    manager.get_by_label("Start time").fill("17:00")
    manager.get_by_label("Online meeting link").fill("https://meet.example.org/rapid-review")
    manager.get_by_role("button", name="Save date and time").click()
    manager.get_by_role("button", name="Send invitations").click()
    expect(manager.locator(".govuk-notification-banner--success")).to_contain_text("Invitations sent")
    journey.check(manager, "panel-scheduled")
    outbox_shows(manager, reference)
