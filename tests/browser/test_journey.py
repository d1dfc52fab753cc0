"""Issue 16's acceptance: two referrals through the whole process in a real browser, each step done by the role
that owns it.

- The public referral (made on the public form, not signed in) meets the threshold, has its rapid review with a
  returned agency check form, a conflict of interest whose agreed substitute is seated and votes, and a vote the
  business unit records for a member; one executive disputes the decision sheet, the chair meets them, the revised
  sheet is signed, and the partnership decides a multi-agency learning review instead of a practice review.
- The professional referral (made by an agency lead) goes on through its rapid review to a Child Safeguarding
  Practice Review, publication (the guard refuses the child's name as the pseudonym; the publication is corrected
  with a reason) and the one-year implementation review, which closes it.
- The business unit writes and sends a bulletin; the working group confirms an action is complete.

Every person signs in through the login page in a fresh browser context. Every page the journey checks is run
through axe-core for WCAG 2.2 A and AA and captured at 1280 px and 375 px wide into the test artifacts folder.

The clock is pinned to 7am on the latest working day (``time_machine``, ticking) because the rules force it: a
panel must be scheduled in the future and can only be recorded as held on or after its date, so the first panel
meets at 5pm that day. The second panel meets two working days later (never the same or the next working day), and
the clock then moves on to publication and to the review a year after it. Everyone signs in again after a move:
a session ends after 30 idle minutes.
"""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from rapidreview.accounts.models import Partnership
from rapidreview.demo import DEMO_PASSWORD
from rapidreview.workdays import add_working_days, is_working_day
from tests.browser.conftest import DESKTOP, MOBILE, artifacts_dir, assert_accessible, capture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = zoneinfo.ZoneInfo("Europe/London")


def latest_working_day(today: datetime.date) -> datetime.date:
    day = today
    while not is_working_day(day, partnership=None):
        day -= datetime.timedelta(days=1)
    return day


def tower_hamlets() -> Partnership:
    """The demo partnership the journey happens in (the demo also holds City & Hackney)."""
    return Partnership.objects.get(slug="tower-hamlets")


def fill_date(page, prefix: str, day: datetime.date) -> None:
    """GOV.UK day, month and year boxes named <prefix>_0, _1, _2."""
    page.locator(f"[name='{prefix}_0']").fill(str(day.day))
    page.locator(f"[name='{prefix}_1']").fill(str(day.month))
    page.locator(f"[name='{prefix}_2']").fill(str(day.year))


class Journey:
    """Keeps the step count, the list of pages checked and the pages that do not reflow at 375 px."""

    def __init__(self):
        for old in artifacts_dir().glob("[0-9][0-9]-*.png"):  # a previous run's steps may be numbered differently
            old.unlink()
        self.step = 0
        self.checked: list[str] = []
        self.reflow: list[str] = []

    def check(self, page, name: str, full_page: bool = True, focus: str | None = None) -> None:
        """axe-check the page, capture it at both widths (and the part ``focus`` selects) and note whether it
        reflows at 375 px."""
        assert_accessible(page, name)
        self.step += 1
        slug = f"{self.step:02d}-{name}"
        self.checked.append(f"{slug}  {page.url}")
        overflow = capture(page, slug, full_page=full_page, focus=focus)
        if overflow > 0:
            self.reflow.append(f"{slug}: {overflow}px wider than 375px ({', '.join(self.too_wide(page))})")

    @staticmethod
    def too_wide(page) -> list[str]:
        """The innermost elements that stick out of a 375 px screen, to say where a page fails to reflow."""
        page.set_viewport_size(MOBILE)
        try:
            return page.evaluate("""() => {
              const wide = [...document.querySelectorAll('main *')].filter(
                el => el.getBoundingClientRect().right > window.innerWidth + 1);
              return [...new Set(wide.filter(el => ![...el.children].some(c => wide.includes(c)))
                .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '')))
              ].slice(0, 3);
            }""")
        finally:
            page.set_viewport_size(DESKTOP)

    def write_report(self) -> None:
        (artifacts_dir() / "journey-pages.txt").write_text(
            "Pages checked by axe (WCAG 2.2 A and AA):\n" + "\n".join(self.checked)
            + "\n\nPages wider than a 375px screen:\n" + ("\n".join(self.reflow) or "none") + "\n")


def success(page):
    return page.locator(".govuk-notification-banner--success[role=alert]")


def outbox_shows(page, *subjects: str, exactly: dict[str, int] | None = None) -> None:
    """The business unit's outbox (newest first) lists each subject; ``exactly`` gives how many rows some have."""
    page.goto("/outbox/")
    table = page.locator("table.govuk-table")
    for subject in subjects:
        expect(table).to_contain_text(subject)
    for subject, count in (exactly or {}).items():
        expect(table.locator("tbody tr", has_text=subject)).to_have_count(count)


def case_path(case_url: str, rest: str) -> str:
    """A decisions page of the case at ``case_url`` (``/cases/<id>/``), e.g. ``sheet/``."""
    return case_url.replace("/cases/", "/decisions/case/") + rest


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def test_a_public_and_a_professional_referral_go_through_the_whole_process_role_by_role(people):
    today = latest_working_day(datetime.date.today())
    with time_machine.travel(at(today, 7), tick=True) as traveller:
        call_command("load_demo")
        journey = Journey()
        try:
            run_journey(people, journey, today, traveller)
        finally:
            journey.write_report()


def run_journey(people, journey: Journey, today: datetime.date, traveller) -> None:
    public_case = refer_in_public(people, journey, today)
    manager = people("manager")
    journey.check(manager, "dashboard-business-unit")
    professional_case = refer_as_a_professional(people, journey, today)
    chair = threshold_and_notification(people, journey, manager, public_case, professional_case, today)
    panel_url = set_up_the_first_panel(people, journey, manager, public_case, today)
    police = first_agency_checks(people, journey, manager, public_case, today)
    second_panel_day = add_working_days(today, 2, partnership=tower_hamlets())
    second_panel_url = set_up_the_second_panel(people, manager, professional_case, second_panel_day)
    first_meeting_and_vote(people, journey, manager, chair, public_case, panel_url, today)
    disputed_sheet_signed(people, journey, manager, chair, public_case, traveller)
    public_case_decided(journey, manager, public_case, today)
    action_completed(people, journey, police, public_case)

    traveller.move_to(at(second_panel_day, 17, 30))
    second_meeting_to_practice_review(people, journey, professional_case, second_panel_url, second_panel_day,
                                      traveller)
    published_on = add_working_days(second_panel_day, 8, partnership=tower_hamlets())
    traveller.move_to(at(published_on, 10))
    publication(people, journey, professional_case, published_on)
    review_day = latest_working_day(published_on + datetime.timedelta(days=370))
    traveller.move_to(at(review_day, 10))
    one_year_review_and_bulletin(people, journey, professional_case, review_day)


class Referral:
    """One referral on its way: its reference, the case page's address and the child's names."""

    def __init__(self, reference: str, first_name: str, last_name: str):
        self.reference, self.first_name, self.last_name = reference, first_name, last_name
        self.url = ""


def refer_in_public(people, journey: Journey, today: datetime.date) -> Referral:
    """A member of the public refers at /refer/ (no account)."""
    incident = add_working_days(today, -2, partnership=tower_hamlets())
    public = people(None)
    public.goto("/refer/")
    expect(public.get_by_role("heading", level=1)).to_have_text("Which area did this happen in?")
    journey.check(public, "public-choose-area")
    public.get_by_role("button", name="Continue").click()
    expect(public.locator(".govuk-error-summary")).to_contain_text("Select the area where it happened")
    public.get_by_label(re.compile("Tower Hamlets")).check()
    public.get_by_role("button", name="Continue").click()
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
    return Referral(reference, "Rosa", "Journey")


def refer_as_a_professional(people, journey: Journey, today: datetime.date) -> Referral:
    """The Barts Health safeguarding lead refers through the signed-in wizard."""
    barts = people("barts")
    barts.goto("/referrals/new/")
    barts.get_by_label("A professional referral").check()
    barts.get_by_role("button", name="Continue").click()
    barts.locator("[name=referrer_name]").fill("Grace Mensah")
    barts.locator("[name=referrer_role]").fill("Lead Named Nurse for Safeguarding Children")
    barts.locator("[name=discussed_with_manager]").check()
    barts.get_by_role("button", name="Continue").click()
    barts.locator("[name=child_first_name]").fill("Tariq")
    barts.locator("[name=child_last_name]").fill("Pathway")
    fill_date(barts, "child_dob", datetime.date(today.year - 3, 5, 14))
    barts.get_by_role("button", name="Continue").click()
    barts.get_by_role("button", name="Continue").click()  # no household members known yet
    fill_date(barts, "incident_date", add_working_days(today, -3, partnership=tower_hamlets()))
    barts.locator("input[name=harm][value=serious_harm]").check()
    barts.locator("[name=description]").fill(
        "Tariq was brought to the emergency department with a fractured skull; the explanation changed twice.")
    barts.get_by_role("button", name="Continue").click()
    barts.get_by_label("Tower Hamlets GP Care Group").check()
    barts.get_by_role("button", name="Continue").click()
    barts.locator("[name=criteria_reasons]").fill("Serious harm; abuse is suspected and agencies knew the family.")
    barts.get_by_role("button", name="Continue").click()
    journey.check(barts, "professional-check-answers")
    barts.get_by_role("button", name="Accept and send").click()
    expect(barts.locator(".govuk-panel__title")).to_have_text("Referral sent")
    reference = barts.locator(".govuk-panel__body strong").inner_text().strip()
    return Referral(reference, "Tariq", "Pathway")


def threshold_and_notification(people, journey, manager, public_case, professional_case, today):
    """The business unit sends both for the threshold discussion; the decision makers record it; the business unit
    records each Serious Incident Notification. Returns the rapid review chair's page."""
    manager.goto("/cases/")
    journey.check(manager, "case-list")
    for case in (public_case, professional_case):
        manager.goto("/cases/")
        manager.get_by_role("link", name=case.reference).click()
        expect(manager.locator("h1 .govuk-tag")).to_have_text("Referral received")
        if case is public_case:
            journey.check(manager, "case-received")
        case.url = manager.url
        manager.get_by_role("link", name="Send for the threshold discussion").click()
        if case is public_case:
            journey.check(manager, "send-for-threshold")
        manager.get_by_role("button", name="Send for threshold discussion").click()
        expect(manager.locator("h1 .govuk-tag")).to_have_text("Threshold discussion")
    outbox_shows(manager, f"New referral {public_case.reference}",
                 f"We have received your referral {public_case.reference}",
                 f"Threshold discussion needed for {public_case.reference}",
                 f"New referral {professional_case.reference}")
    journey.check(manager, "outbox-threshold")

    # The local authority's threshold decision maker records the public referral's discussion: met.
    chair = people("chair")
    chair.goto(public_case.url)
    expect(chair.locator("h1 .govuk-tag")).to_have_text("Threshold discussion")
    chair.get_by_role("link", name="Record the threshold discussion").click()
    journey.check(chair, "threshold-form")
    chair.get_by_role("button", name="Record the decision").click()
    expect(chair.locator(".govuk-error-summary")).to_contain_text("Select whether the threshold was met")
    journey.check(chair, "threshold-form-errors")
    record_threshold_met(chair, today, "Injuries nobody could explain; neglect is suspected. The criteria are met.")
    expect(chair.locator("main")).to_contain_text("Day 0 of 5 (working days)")
    journey.check(chair, "threshold-met")

    # The police's threshold decision maker records the professional referral's.
    detsupt = people("detsupt")
    detsupt.goto(professional_case.url)
    detsupt.get_by_role("link", name="Record the threshold discussion").click()
    record_threshold_met(detsupt, today, "A fractured skull with a changing explanation: abuse is suspected.")

    for number, case in enumerate((public_case, professional_case), start=1):
        manager.goto(case.url)
        manager.get_by_role("link", name="Record the Serious Incident Notification").click()
        if case is public_case:
            journey.check(manager, "sin-form")
        fill_date(manager, "notified_on", today)
        manager.get_by_label("Notification reference").fill(f"SIN-2026-042{number}")
        manager.get_by_role("button", name="Record the notification").click()
        expect(manager.locator("h1 .govuk-tag")).to_have_text("Rapid review")
        expect(manager.locator("main")).to_contain_text(re.compile(r"Day 0 of \d+"))
    manager.goto(public_case.url)
    journey.check(manager, "case-rapid-review")
    return chair


def record_threshold_met(page, today: datetime.date, rationale: str) -> None:
    fill_date(page, "discussed_on", today)
    page.locator("[name=la_participant]").select_option(index=1)
    page.locator("[name=health_participant]").select_option(index=1)
    page.locator("[name=police_participant]").select_option(index=1)
    page.get_by_label("Serious Incident Notification threshold met").check()
    page.get_by_label("Rationale").fill(rationale)
    page.get_by_role("button", name="Record the decision").click()
    expect(success(page)).to_contain_text("Threshold decision recorded")


def schedule_panel(manager, case: Referral, day: datetime.date, journey=None) -> str:
    """Set up the panel with its core members, meet at 5pm on ``day``, send the invitations; returns its page."""
    manager.goto(case.url)
    manager.get_by_role("link", name=re.compile("Set up the panel")).first.click()
    if journey:
        journey.check(manager, "panel-set-up")
    manager.get_by_role("button", name=re.compile("Save")).click()
    manager.get_by_role("link", name=re.compile("^Schedule")).click()
    if journey:
        journey.check(manager, "panel-schedule")
    fill_date(manager, "meeting_date", day)
    manager.get_by_label("Start time").fill("17:00")
    manager.get_by_label("Online meeting link").fill("https://meet.example.org/rapid-review")
    manager.get_by_role("button", name="Save date and time").click()
    manager.get_by_role("button", name="Send invitations").click()
    expect(success(manager)).to_contain_text("Invitations sent")
    if journey:
        journey.check(manager, "panel-scheduled")
    return manager.url


def set_up_the_first_panel(people, journey, manager, case: Referral, today) -> str:
    """The public referral's panel meets at 5pm today. A member declares a conflict; the business unit agrees a
    substitute, who is seated in their place and replies to the invitation."""
    panel_url = schedule_panel(manager, case, today, journey)
    outbox_shows(manager, f"Rapid review panel for case {case.reference}")

    # Rachel Green (police) knows the family: she declares a conflict from the panel page and loses the case.
    conflicted = people("police.panel")
    conflicted.goto(panel_url)
    conflicted.get_by_role("link", name="Declare a conflict of interest").click()
    journey.check(conflicted, "conflict-declare")
    conflicted.get_by_label("What is the conflict?").fill("My team investigated the mother's partner last year.")
    conflicted.get_by_label("What are its implications for the review?").fill(
        "I cannot review the police response independently.")
    conflicted.get_by_role("button", name="Declare the conflict").click()
    expect(success(conflicted)).to_contain_text("You no longer have access to the case")
    conflicted.goto(case.url)
    expect(conflicted.get_by_role("heading", level=1)).to_contain_text("Page not found")

    # The business unit agrees her deputy as the substitute, seated in her place.
    manager.goto(panel_url)
    manager.get_by_role("link", name="Agree a substitute for Rachel Green").click()
    journey.check(manager, "conflict-substitute")
    chooser = manager.get_by_label("Agreed substitute")
    chooser.select_option(chooser.locator("option", has_text="Joy Adebayo").get_attribute("value"))
    manager.get_by_role("button", name="Agree the substitute").click()
    expect(success(manager)).to_contain_text("Joy Adebayo is agreed as substitute for Rachel Green, seated")
    outbox_shows(manager, f"Rapid review panel for case {case.reference}")

    # The substitute replies to the invitation that came to her.
    substitute = people("police.deputy")
    substitute.goto(panel_url)
    expect(substitute.locator("main")).to_contain_text("Joy Adebayo for Rachel Green")
    substitute.get_by_role("link", name="Tell us whether you will attend").click()
    journey.check(substitute, "invitation-reply")
    substitute.get_by_label("Will attend").check()
    substitute.get_by_role("button", name="Send reply").click()
    expect(success(substitute)).to_contain_text("The business unit can see your reply")
    manager.goto(panel_url)
    invited = manager.get_by_role("region", name="People invited to the panel")
    expect(invited.locator("tr", has_text="Joy Adebayo")).to_contain_text("Will attend")
    journey.check(manager, "panel-replies", focus="[aria-label='People invited to the panel']")
    return panel_url


def first_agency_checks(people, journey, manager, case: Referral, today):
    """The business unit issues the agency check forms; two agency leads complete theirs; quality assurance returns
    the police form, the police lead changes it and resubmits, and the versions are compared. Returns the police
    lead's page."""
    reference = case.reference
    manager.goto(case.url)
    manager.get_by_role("link", name="Issue agency check forms").click()
    journey.check(manager, "agency-checks-issue")
    # The panel meets today (see the module docstring), so the forms are due after it: the manager confirms that.
    manager.get_by_label("I understand the forms will be due less than one working day before the panel").check()
    manager.get_by_role("button", name="Issue forms").click()
    expect(success(manager)).to_contain_text("agency check forms issued")
    journey.check(manager, "agency-checks-issued")
    board_url = manager.url
    outbox_shows(manager, f"Agency check form for {reference}: due")

    police = people("police.lead")
    # The Met's lead serves both demo partnerships. Home shows the one they act in (City & Hackney, first by name)
    # and links to what needs them in all of them, where each partnership's forms are listed under its name.
    police.get_by_role("link", name="See what needs you in all your partnerships").click()
    expect(police.locator("main")).to_contain_text("Tower Hamlets Safeguarding Children Partnership")
    expect(police.locator("main")).to_contain_text("Agency check forms due")
    journey.check(police, "what-needs-me-agency-lead")
    police.get_by_role("link", name=re.compile(f"{reference} – Metropolitan Police")).first.click()
    journey.check(police, "agency-check-tasks")
    police.get_by_role("link", name="Your agency's involvement").click()
    journey.check(police, "agency-check-involvement")
    police.get_by_label("Yes").check()
    police.locator("[name=involvement_from_0]").fill("31")  # 31 February: not a real date
    police.locator("[name=involvement_from_1]").fill("2")
    police.locator("[name=involvement_from_2]").fill(str(today.year))
    police.get_by_role("button", name="Save and continue").click()
    expect(police.locator(".govuk-error-summary")).to_contain_text("Involvement started must be a real date")
    journey.check(police, "agency-check-involvement-errors")
    fill_date(police, "involvement_from", add_working_days(today, -60, partnership=tower_hamlets()))
    police.get_by_label("Our involvement is ongoing").check()
    police.locator("[name=involvement_summary]").fill(
        "Officers attended the home twice after neighbours called about shouting.")
    police.get_by_role("button", name="Save and continue").click()
    journey.check(police, "agency-check-chronology")
    fill_date(police, "chronology-0-date", add_working_days(today, -30, partnership=tower_hamlets()))
    police.locator("[name='chronology-0-contact_type']").select_option(index=1)
    police.locator("[name='chronology-0-practitioner_role']").fill("Response officer")
    police.locator("[name='chronology-0-summary']").fill(
        "Officers visited after a call about shouting. The child was asleep; no further action was taken.")
    police.get_by_role("button", name="Save and continue").click()
    journey.check(police, "agency-check-analysis")
    for name, text in [("analysis", "The second visit was the moment to speak to the child."),
                       ("went_well", "Officers shared the call with children's social care the same day."),
                       ("could_be_better", "Nobody spoke to the child on their own."),
                       ("prevention", "Officers should see and speak to every child in the home.")]:
        police.locator(f"[name={name}]").fill(text)
    police.get_by_role("button", name="Save and continue").click()
    journey.check(police, "agency-check-themes")
    police.locator("[name=themes]").first.check()
    police.locator("[name=themes_in_other_cases]").fill("Yes, the voice of the child is often missing.")
    police.get_by_role("button", name="Save and continue").click()
    journey.check(police, "agency-check-learning")
    for name, text in [("good_practice", "Quick sharing of information."),
                       ("improvement_areas", "Speaking to children alone."),
                       ("immediate_actions", "A briefing for response officers."),
                       ("agency_learning", "See the child, every time.")]:
        police.locator(f"[name={name}]").fill(text)
    police.get_by_role("button", name="Save and continue").click()
    journey.check(police, "agency-check-sign-off")
    sign_off(police, "Detective Sergeant Amy Clarke", "Safeguarding review officer", "Detective Inspector Raj Patel",
             "Head of safeguarding reviews", today)
    expect(police.get_by_role("heading", level=1)).to_contain_text("Check")
    journey.check(police, "agency-check-check-answers")
    police.get_by_role("button", name="Submit the form").click()
    journey.check(police, "agency-check-submitted")

    complete_with_no_involvement(people("csc.lead"), f"{reference} – Tower Hamlets Children's Social Care", today)

    # Quality assurance returns the police form with a comment; the police lead adds an earlier contact, changes
    # the analysis and resubmits.
    manager.goto(board_url)
    expect(manager.locator("main")).to_contain_text("Metropolitan Police")
    journey.check(manager, "agency-checks-board-submitted")
    manager.get_by_role("link", name="Quality-assure Metropolitan Police's form").click()
    journey.check(manager, "agency-check-quality-assurance")
    manager.get_by_role("link", name="Return it with comments").click()
    journey.check(manager, "agency-check-return")
    manager.get_by_role("button", name="Return the form").click()
    expect(manager.locator(".govuk-error-summary")).to_be_visible()
    journey.check(manager, "agency-check-return-errors")
    manager.get_by_label("Analysis of practice").fill("Say why nobody spoke to the child alone on the second visit.")
    manager.get_by_role("button", name="Return the form").click()
    expect(success(manager)).to_contain_text("form returned")
    outbox_shows(manager, f"Agency check form submitted for {reference}",
                 f"Agency check form for {reference} returned: please update it")

    police.goto("/")
    police.get_by_role("link", name=re.compile(f"{reference} – Metropolitan Police")).first.click()
    expect(police.locator("main")).to_contain_text("Say why nobody spoke to the child alone")
    journey.check(police, "agency-check-returned")
    # An earlier contact found since: inserted before the first, it must not make the first look changed.
    police.get_by_role("link", name="Chronology of contacts").click()
    police.get_by_role("button", name="Save and add another contact").click()
    fill_date(police, "chronology-1-date", add_working_days(today, -45, partnership=tower_hamlets()))
    police.locator("[name='chronology-1-contact_type']").select_option(index=1)
    police.locator("[name='chronology-1-practitioner_role']").fill("Call handler")
    police.locator("[name='chronology-1-summary']").fill(
        "A neighbour reported a child crying for hours; the call was closed without a visit.")
    police.get_by_role("button", name="Save and continue").click()
    police.locator("[name=could_be_better]").fill(
        "Nobody spoke to the child on their own: the officers thought the child was asleep and did not wake them.")
    with police.expect_navigation():  # the section saved before the check page is asked for
        police.get_by_role("button", name="Save and continue").click()
    police.goto(police.url.split("/sections/")[0] + "/check/")
    police.get_by_role("button", name="Submit the form").click()
    expect(police.locator("main")).to_contain_text("submitted")

    # The business unit compares the two versions, then accepts both forms and distributes the pack.
    manager.goto(board_url)
    manager.get_by_role("link", name="Quality-assure Metropolitan Police's form").click()
    manager.get_by_role("link", name=re.compile("2 submitted – compare them")).click()
    expect(manager.locator("main")).to_contain_text("Version 1 compared with version 2")
    expect(manager.locator("main")).to_contain_text("did not wake them")
    expect(manager.locator("main")).to_contain_text("the call was closed without a visit")
    first_contact = manager.locator("tr", has_text="Officers visited after a call about shouting").last
    expect(first_contact.locator(".govuk-tag")).to_have_count(0)  # matched by identity, not by position
    journey.check(manager, "agency-check-versions")
    for agency in ("Metropolitan Police", "Tower Hamlets Children's Social Care"):
        manager.goto(board_url)
        manager.get_by_role("link", name=f"Quality-assure {agency}'s form").click()
        manager.get_by_role("button", name="Accept the form").click()
        expect(success(manager)).to_contain_text("form accepted")
    journey.check(manager, "agency-checks-accepted")
    distribute(manager, journey)
    manager.get_by_role("link", name="Read the pack").first.click()
    journey.check(manager, "agency-checks-pack")
    outbox_shows(manager, f"Agency check forms for {reference} are ready to read",
                 f"Agency check form for {reference} accepted")
    return police


def sign_off(page, author, author_role, manager_name, manager_role, today) -> None:
    page.locator("[name=author_name]").fill(author)
    page.locator("[name=author_role]").fill(author_role)
    page.locator("[name=manager_name]").fill(manager_name)
    page.locator("[name=manager_role]").fill(manager_role)
    fill_date(page, "manager_signed_on", today)
    page.get_by_role("button", name="Save and continue").click()


def complete_with_no_involvement(lead, link: str, today) -> None:
    """An agency lead answers their form: no involvement, signed off, submitted."""
    lead.get_by_role("link", name=re.compile(re.escape(link))).first.click()
    lead.get_by_role("link", name="Your agency's involvement").click()
    lead.get_by_label("No", exact=True).check()
    lead.locator("[name=no_involvement_note]").fill(
        "We searched our case records for the child and both parents on the day the form arrived: no records.")
    lead.get_by_role("button", name="Save and continue").click()
    sign_off(lead, "Priya Shah", "Practice manager", "Tom Reid", "Head of service", today)
    lead.get_by_role("button", name="Submit the form").click()
    expect(lead.locator("main")).to_contain_text("submitted")


def distribute(manager, journey=None) -> None:
    manager.get_by_role("link", name="Distribute the pack").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Distribute the pack to the panel")
    if journey:
        journey.check(manager, "agency-checks-distribute")
    reason = manager.locator("[name=reason]")
    if reason.count():
        reason.fill("The other agencies had no involvement and told us so by e-mail.")
    manager.get_by_role("button", name="Distribute the pack").click()
    expect(success(manager)).to_contain_text("distributed")


def set_up_the_second_panel(people, manager, case: Referral, day: datetime.date) -> str:
    """The professional referral's panel meets two working days on; its one agency form is answered and shared."""
    panel_url = schedule_panel(manager, case, day)
    manager.goto(case.url)
    manager.get_by_role("link", name="Issue agency check forms").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Issue agency check forms")
    confirm = manager.get_by_label("I understand the forms will be due less than one working day before the panel")
    if confirm.count():
        confirm.check()
    manager.get_by_role("button", name="Issue forms").click()
    expect(success(manager)).to_contain_text("agency check forms issued")
    board_url = manager.url
    gp = people("gp")
    complete_with_no_involvement(gp, f"{case.reference} – Tower Hamlets GP Care Group", traveller_today())
    manager.goto(board_url)
    manager.get_by_role("link", name="Quality-assure Tower Hamlets GP Care Group's form").click()
    manager.get_by_role("button", name="Accept the form").click()
    expect(success(manager)).to_contain_text("form accepted")
    distribute(manager)
    return panel_url


def all_present(manager, panel_url: str) -> None:
    manager.goto(panel_url)
    manager.get_by_role("link", name="Record attendance").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Record attendance")
    for radio in manager.locator("input[type=radio][value=present]").all():
        radio.check()


def meeting_held(manager) -> None:
    manager.get_by_role("button", name=re.compile("Save")).click()
    expect(success(manager)).to_contain_text("Attendance saved")
    manager.get_by_role("link", name="Record the meeting as held").click()
    manager.get_by_role("button", name="Record the meeting as held").click()
    expect(success(manager)).to_contain_text("held")


def write_meeting_record(chair, case: Referral, *, cspr: bool, overview: str, journey=None) -> None:
    chair.goto(case.url)
    chair.get_by_role("link", name="Record the panel meeting").click()
    if journey:
        journey.check(chair, "meeting-record")
    chair.get_by_role("link", name="Write the meeting record").click()
    if journey:
        journey.check(chair, "meeting-record-form")
    chair.locator("[name=chair_overview]").fill(overview)
    chair.locator("[name=areas_for_learning]").fill("Seeing and hearing the child at every visit.")
    chair.locator(f"input[name=cspr_criteria_met][value={'yes' if cspr else 'no'}]").check()
    chair.locator("[name=cspr_criteria_reasons]").fill(
        "Serious harm, and agencies could have worked better together." if cspr else
        "The learning is clear and local: a multi-agency learning review will bring it out faster.")
    chair.locator("input[name=national_issues][value=no]").check()
    chair.get_by_role("button", name="Save meeting record").click()
    expect(success(chair)).to_contain_text("Meeting record saved")


def vote(page, case: Referral, choice: str) -> None:
    page.goto(case_path(case.url, "vote/"))
    page.locator(f"input[name='own-choice'][value={choice}]").check()
    page.get_by_role("button", name="Record my vote").click()
    expect(success(page)).to_contain_text("Vote recorded")


def close_vote(chair) -> None:
    chair.once("dialog", lambda dialog: dialog.accept())
    chair.get_by_role("button", name="Close the vote").click()
    expect(success(chair)).to_contain_text("The vote has closed")


def first_meeting_and_vote(people, journey, manager, chair, case: Referral, panel_url, today) -> None:
    """Attendance with the substitute in the conflicted member's seat, the chair's meeting record with an immediate
    action, and the vote: members vote, the substitute votes, the business unit records one member's vote."""
    all_present(manager, panel_url)
    rows = manager.locator("#attendance-table tbody tr")
    conflicted = rows.filter(has_text="Rachel Green").filter(has_text="Conflict declared")  # not Joy's seat
    expect(conflicted.locator("input[value=present]")).to_have_count(0)
    expect(conflicted).to_contain_text("Joy Adebayo (agreed substitute")
    conflicted.locator("input[value=substitute]").check()
    journey.check(manager, "panel-attendance", focus="#attendance-table")
    manager.get_by_role("button", name=re.compile("Save")).click()
    expect(success(manager)).to_contain_text("Attendance saved")
    manager.get_by_role("link", name="Record the meeting as held").click()
    journey.check(manager, "panel-held")
    manager.get_by_role("button", name="Record the meeting as held").click()
    expect(success(manager)).to_contain_text("held")

    write_meeting_record(chair, case, cspr=False, journey=journey,
                         overview="The panel heard from each agency. Nobody spoke to Rosa alone.")
    chair.get_by_role("link", name="Add an immediate action").click()
    journey.check(chair, "immediate-action-form")
    chair.locator("[name=description]").fill("Brief every response officer on speaking to children alone.")
    chair.locator("[name=learning]").fill("The child's voice was not heard.")
    chair.locator("[name=agency]").select_option(label="Metropolitan Police")
    fill_date(chair, "due_on", add_working_days(today, 15, partnership=tower_hamlets()))
    chair.get_by_role("button", name="Add to the action plan").click()
    expect(success(chair)).to_contain_text("Immediate action added")

    nurse = people("nurse")
    nurse.goto(case_path(case.url, "vote/"))
    journey.check(nurse, "vote-member")
    vote(nurse, case, "no")
    substitute = people("police.deputy")
    substitute.goto(case_path(case.url, "vote/"))
    expect(substitute.locator("main")).to_contain_text("You sit on this panel for Rachel Green")
    vote(substitute, case, "no")

    # The designated doctor lost his connection before the vote: the business unit records what he said.
    manager.goto(case_path(case.url, "vote/"))
    manager.get_by_label("Member", exact=True).select_option(label="Amir Hussain")
    manager.locator("input[name='behalf-choice'][value=no]").check()
    journey.check(manager, "vote-on-behalf")
    manager.get_by_role("button", name="Record vote", exact=True).click()
    expect(success(manager)).to_contain_text("Vote recorded for Amir Hussain")

    vote(chair, case, "no")
    votes = chair.get_by_role("table", name=re.compile("Voting members present"))
    expect(votes).to_contain_text("Joy Adebayo for Rachel Green")
    expect(votes.locator("tr", has_text="Amir Hussain")).to_contain_text("Sam Okafor on their behalf")
    journey.check(chair, "vote-chair", focus="[aria-label='Voting members present']")
    close_vote(chair)


def draft_and_send_sheet(manager, case: Referral, *, cspr: bool, journey=None) -> None:
    """The business unit drafts the sheet from the meeting record, completes it and sends it for signature."""
    manager.goto(case.url)
    expect(manager.locator("h1 .govuk-tag")).to_have_text("Decision sheet")
    manager.get_by_role("link", name="Draft the decision sheet").click()
    if journey:
        journey.check(manager, "decision-sheet-start")
    manager.get_by_role("button", name="Draft the decision sheet from the meeting record").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Edit the decision sheet")
    if journey:
        journey.check(manager, "decision-sheet-edit")
        manager.goto(case_path(case.url, "sheet/"))
        manager.get_by_role("button", name="Send for signature").click()
        expect(manager.locator(".govuk-error-summary, .govuk-notification-banner")).to_be_visible()
        journey.check(manager, "decision-sheet-send-errors")
        manager.get_by_role("link", name="Edit the draft").click()
        expect(manager.get_by_role("heading", level=1)).to_have_text("Edit the decision sheet")
    for textarea in manager.locator("textarea").all():
        if not textarea.input_value().strip():
            textarea.fill("Agreed by the panel at its meeting.")
    manager.locator("input[name=criteria_met][value=yes]").check()
    manager.locator("input[name=national_issues][value=no]").check()
    # The national template's questions: child in need, regulation 11 (a) to (d).
    manager.locator("input[name=child_in_need][value=no]").check()
    for letter in "abcd":
        manager.locator(f"input[name=reg11_{letter}]:not([value=''])").first.check()
    for letter in "abc":  # the national review criteria, regulation 3 (a) to (c)
        manager.locator(f"input[name=reg3_{letter}]:not([value=''])").first.check()
    if cspr:
        manager.locator("input[name=recommendation][value=cspr]").check()
        manager.locator("input[name=cspr_methodology]:not([value=''])").first.check()
        manager.locator("input[name=cspr_reviewer]").fill("An independent reviewer, to be commissioned")
        manager.locator("input[name=cspr_timescale]").fill("Six months from commissioning")
    else:
        manager.locator("input[name=recommendation][value=multi_agency]").check()
    manager.get_by_role("button", name="Save draft").click()
    expect(success(manager)).to_contain_text("Draft saved")
    manager.get_by_role("button", name="Send for signature").click()
    expect(success(manager)).to_contain_text("sent to the three statutory partners for signature")


def answer_sheet(executive, case: Referral, outcome: str, reasons: str = "") -> None:
    """An executive opens the sheet to sign (confirming their password when asked) and answers."""
    executive.goto(case_path(case.url, "sheet/sign/"))
    if executive.get_by_role("heading", level=1).inner_text() == "Confirm it's you":
        executive.get_by_label("Password").fill(DEMO_PASSWORD)
        executive.get_by_role("button", name="Confirm it's you").click()
    executive.get_by_label(outcome, exact=True).check()
    if reasons:
        executive.get_by_label("Reasons").fill(reasons)
    executive.get_by_role("button", name="Submit").click()
    expect(success(executive)).to_contain_text("Your answer has been recorded")


def disputed_sheet_signed(people, journey, manager, chair, case: Referral, traveller) -> None:
    """Health disputes the first version; the chair meets them; the revised sheet is signed by all three."""
    draft_and_send_sheet(manager, case, cspr=False, journey=journey)
    journey.check(manager, "decision-sheet-sent")
    outbox_shows(manager, exactly={f"Decision sheet to sign: {case.reference}": 3})

    # Each executive must confirm their password: more than 15 minutes have passed since sign-in.
    executives = {login: people(login) for login in ("exec.la", "exec.health", "exec.police")}
    expect(executives["exec.health"].locator("main")).to_contain_text(case.reference)
    journey.check(executives["exec.health"], "dashboard-executive")
    traveller.shift(datetime.timedelta(minutes=16))
    la = executives["exec.la"]
    with la.expect_navigation():
        la.get_by_role("link", name=re.compile(case.reference)).first.click()
    la.goto(case_path(case.url, "sheet/sign/"))
    expect(la.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
    journey.check(la, "confirm-its-you")
    la.get_by_label("Password").fill(DEMO_PASSWORD)
    la.get_by_role("button", name="Confirm it's you").click()
    journey.check(la, "decision-sheet-sign")
    la.get_by_role("button", name="Submit").click()
    expect(la.locator(".govuk-error-summary")).to_contain_text("Choose whether you agree")
    journey.check(la, "decision-sheet-sign-errors")
    la.get_by_label("Agree and sign").check()
    la.get_by_role("button", name="Submit").click()
    expect(success(la)).to_contain_text("Your answer has been recorded")
    answer_sheet(executives["exec.health"], case, "Dispute",
                 "The sheet does not say why health visiting lost touch with the family; add it before we sign.")

    # The rapid review chair sees the dispute on her dashboard and records the meeting about it.
    chair.goto("/")
    expect(chair.locator("main")).to_contain_text("Disputed decisions waiting for your meeting")
    journey.check(chair, "dashboard-chair-disputes",
                  focus=".govuk-summary-card:has-text('Disputed decisions waiting for your meeting')")
    chair.locator("main a[href*='/decisions/disputes/']").first.click()
    journey.check(chair, "dispute-meeting")
    fill_date(chair, "meeting_on", traveller_today())
    chair.get_by_label("What the meeting decided").fill(
        "The health visiting gap goes into the analysis; the recommendation stands.")
    chair.get_by_role("button", name="Save meeting").click()
    expect(success(chair)).to_be_visible()

    # The business unit makes a revised version, adds what was agreed and sends it again; all three sign.
    manager.goto(case_path(case.url, "sheet/"))
    journey.check(manager, "decision-sheet-disputed")
    with manager.expect_navigation():  # the revised version made before its edit page is asked for
        manager.get_by_role("button", name="Make a revised version").click()
    manager.goto(case_path(case.url, "sheet/edit/"))
    analysis = manager.locator("textarea").first
    analysis.fill(analysis.input_value() + " Health visiting lost touch with the family after the move in spring.")
    manager.get_by_role("button", name="Save draft").click()
    expect(success(manager)).to_contain_text("Draft saved")
    manager.get_by_role("button", name="Send for signature").click()
    expect(success(manager)).to_contain_text("sent to the three statutory partners for signature")
    for executive in executives.values():
        answer_sheet(executive, case, "Agree and sign")
    journey.check(executives["exec.police"], "decision-sheet-signed")


def traveller_today() -> datetime.date:
    return datetime.datetime.now(LONDON).date()


def send_to_national_panel(manager, case: Referral, day: datetime.date, journey=None) -> None:
    manager.goto(case_path(case.url, "sheet/"))
    manager.get_by_role("link", name="Record the date sent to the National Panel").click()
    if journey:
        journey.check(manager, "national-panel-sent")
    fill_date(manager, "sent_on", day)
    manager.get_by_role("button", name="Record date sent").click()
    expect(manager.locator("h1 .govuk-tag, main")).to_contain_text("National Panel")
    manager.goto(case_path(case.url, "national-panel/response/"))
    if journey:
        journey.check(manager, "national-panel-response")
    fill_date(manager, "response_on", day)
    manager.get_by_label("Agrees with the decision", exact=True).check()
    manager.get_by_label("What the National Panel said").fill("The National Panel agrees with the decision.")
    manager.get_by_role("button", name="Record response").click()


def public_case_decided(journey, manager, case: Referral, today) -> None:
    """The decision goes to the National Panel, which agrees; the business unit records the multi-agency learning
    review that happens instead of a practice review, and the case closes."""
    send_to_national_panel(manager, case, today, journey)
    manager.goto(case_path(case.url, "sheet/"))
    manager.get_by_role("link", name="Record no practice review").click()
    journey.check(manager, "no-practice-review")
    manager.locator("input[name=kind]").first.check()
    manager.get_by_label("Learning identified").fill("Agencies must see and hear the child alone at every visit.")
    manager.get_by_role("button", name="Record outcome").click()
    expect(success(manager)).to_contain_text("Outcome recorded")
    manager.goto(case.url)
    expect(manager.locator("h1 .govuk-tag")).to_have_text("Closed")
    journey.check(manager, "case-closed-no-practice-review")


def action_completed(people, journey, police, case: Referral) -> None:
    """The police lead reports the immediate action done; the working group confirms it."""
    police.goto("/")
    expect(police.locator("main")).to_contain_text("Brief every response officer")
    journey.check(police, "dashboard-agency-lead-action")
    police.get_by_role("link", name=re.compile("Brief every response officer")).first.click()
    journey.check(police, "action-detail")
    police.get_by_role("link", name="Record progress").click()
    journey.check(police, "action-progress")
    police.get_by_label("Completed", exact=True).check()
    police.get_by_label("Progress update").fill("Every response team has had the briefing.")
    police.get_by_role("button", name="Save update").click()
    expect(success(police)).to_contain_text("Update saved")
    journey.check(police, "action-updated")

    working_group = people("workinggroup")
    journey.check(working_group, "dashboard-working-group")
    working_group.goto(f"/action-plan/?status=completed&case={case.reference}")
    working_group.get_by_role("link", name=re.compile("Brief every response officer")).first.click()
    journey.check(working_group, "action-confirm")
    working_group.get_by_role("button", name="Confirm completion").click()
    expect(success(working_group)).to_contain_text("Completion confirmed")


def second_meeting_to_practice_review(people, journey, case: Referral, panel_url, day, traveller) -> None:
    """Two working days on, the professional referral's panel meets, votes for a practice review, the sheet is
    signed and sent, and the business unit commissions the review and plans its publication."""
    manager = people("manager")
    all_present(manager, panel_url)
    meeting_held(manager)
    chair = people("chair")
    write_meeting_record(chair, case, cspr=True,
                         overview="Three agencies saw bruising in the months before; nobody put it together.")
    vote(people("nurse"), case, "yes")
    vote(chair, case, "yes")
    close_vote(chair)
    draft_and_send_sheet(manager, case, cspr=True)
    executives = [people(login) for login in ("exec.la", "exec.health", "exec.police")]
    traveller.shift(datetime.timedelta(minutes=16))
    for executive in executives:
        answer_sheet(executive, case, "Agree and sign")
    manager = people("manager")
    send_to_national_panel(manager, case, day)

    manager.goto(case_path(case.url, "sheet/"))
    manager.get_by_role("link", name="Commission a practice review").click()
    journey.check(manager, "cspr-commission")
    manager.get_by_label("Systems approach").check()
    manager.get_by_label("Reviewer or reviewers").fill("Dr Helen Marsh, independent reviewer")
    manager.locator("[name=terms_of_reference]").fill(
        "How agencies saw and heard Tariq in the year before he was hurt.")
    fill_date(manager, "started_on", day)
    manager.get_by_role("button", name="Commission the review").click()
    expect(success(manager)).to_contain_text("Practice review commissioned")
    manager.goto(case.url)
    expect(manager.locator("h1 .govuk-tag")).to_have_text("Child safeguarding practice review")
    journey.check(manager, "case-practice-review")
    outbox_shows(manager, f"Decision sheet signed: {case.reference}")

    # The report is finished early (a journey cannot wait six months): publication is planned 8 working days on,
    # and the report goes to the National Panel and the Secretary of State today, 7 working days before that.
    manager.goto(case_path(case.url, "review/edit/"))
    fill_date(manager, "planned_publication_on", add_working_days(day, 8, partnership=tower_hamlets()))
    manager.get_by_role("button", name="Save details").click()
    expect(success(manager)).to_contain_text("Details saved")
    manager.get_by_role("link", name=re.compile("Record the date sent")).click()
    fill_date(manager, "sent_on", day)
    manager.get_by_role("button", name="Record date sent").click()
    expect(success(manager)).to_contain_text("Date sent recorded")


def publication(people, journey, case: Referral, day: datetime.date) -> None:
    """Publication: the guard refuses the child's name as the pseudonym; then it is corrected with a reason."""
    manager = people("manager")
    manager.goto(case_path(case.url, "review/"))
    manager.get_by_role("link", name=re.compile("Record publication")).click()
    fill_date(manager, "published_on", day)
    manager.get_by_label("Pseudonym used in the report").fill(f"Child {case.first_name}")
    manager.get_by_role("button", name="Record publication").click()
    summary = manager.locator(".govuk-error-summary")
    expect(summary).to_contain_text(f"The pseudonym contains a child's first name (“{case.first_name}”")
    journey.check(manager, "publication-guard-error")
    manager.get_by_label("Pseudonym used in the report").fill("Child T")
    manager.get_by_label("Link to the published report").fill("https://example.org/reviews/child-s")
    manager.get_by_role("button", name="Record publication").click()
    expect(success(manager)).to_contain_text("Publication recorded")
    expect(manager.locator("main")).to_contain_text("as “Child T”")

    # The report went out as "Child S": the business unit corrects the record, with the reason kept.
    manager.get_by_role("link", name=re.compile("Correct the publication details")).click()
    journey.check(manager, "publication-correct")
    manager.get_by_label("Pseudonym used in the report").fill("Child S")
    manager.get_by_label("Why are you correcting it?").fill("The report was published as Child S, not Child T.")
    manager.get_by_role("button", name="Correct publication details").click()
    expect(success(manager)).to_contain_text("Publication details corrected")
    expect(manager.locator("main")).to_contain_text("as “Child S”")
    journey.check(manager, "practice-review-published")


def one_year_review_and_bulletin(people, journey, case: Referral, day: datetime.date) -> None:
    """A year on, the implementation review closes the case; the business unit writes and sends a bulletin."""
    manager = people("manager")
    manager.goto(case_path(case.url, "review/"))
    manager.get_by_role("link", name=re.compile("Record the implementation review")).click()
    journey.check(manager, "implementation-review")
    fill_date(manager, "held_on", day)
    manager.get_by_label("Notes").fill("Partners showed how the learning changed practice; two actions embedded.")
    manager.get_by_role("button", name="Save").click()
    expect(success(manager)).to_contain_text("Implementation review recorded. The case is closed.")
    manager.goto(case.url)
    expect(manager.locator("h1 .govuk-tag")).to_have_text("Closed")
    journey.check(manager, "case-closed-after-review")

    manager.goto("/themes/learning/")
    manager.get_by_role("link", name="Write a bulletin").click()
    journey.check(manager, "bulletin-write")
    manager.locator("[name=title]").fill("Seeing the child: learning from two rapid reviews")
    fill_date(manager, "date", day)
    manager.locator("[name=body]").fill(
        "Two rapid reviews this year found the same gap: nobody spoke to the child alone. "
        "Every visit should include time with the child on their own.")
    manager.get_by_role("button", name="Save").click()
    expect(success(manager)).to_be_visible()
    manager.once("dialog", lambda dialog: dialog.accept())
    manager.get_by_role("button", name="Send the bulletin").click()
    expect(success(manager)).to_contain_text("Bulletin sent to")
    journey.check(manager, "bulletin-sent")
