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

from rapidreview.demo import DEMO_PASSWORD
from rapidreview.workdays import add_working_days, is_working_day
from tests.browser.conftest import DESKTOP, MOBILE, artifacts_dir, assert_accessible, capture

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
        for old in artifacts_dir().glob("[0-9][0-9]-*.png"):  # a previous run's steps may be numbered differently
            old.unlink()
        self.step = 0
        self.checked: list[str] = []
        self.reflow: list[str] = []

    def check(self, page, name: str, full_page: bool = True) -> None:
        """axe-check the page, capture it at both widths and note whether it reflows at 375 px."""
        assert_accessible(page, name)
        self.step += 1
        slug = f"{self.step:02d}-{name}"
        self.checked.append(f"{slug}  {page.url}")
        overflow = capture(page, slug, full_page=full_page)
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


def test_one_case_goes_through_the_whole_process_role_by_role(people):
    today = latest_working_day(datetime.date.today())
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(7, 0), tzinfo=LONDON),
                             tick=True) as traveller:
        call_command("load_demo")
        journey = Journey()
        try:
            run_journey(people, journey, today, traveller)
        finally:
            journey.write_report()


def run_journey(people, journey: Journey, today: datetime.date, traveller) -> None:
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
    outbox_shows(manager, f"New referral {reference}", f"We have received your referral {reference}",
                 f"Threshold discussion needed for {reference}")
    journey.check(manager, "outbox-threshold")

    # The threshold decision maker for the local authority records the discussion: met.
    chair = people("chair")
    chair.goto(case_url)
    expect(chair.locator("h1 .govuk-tag")).to_have_text("Threshold discussion")
    chair.get_by_role("link", name="Record the threshold discussion").click()
    journey.check(chair, "threshold-form")
    chair.get_by_role("button", name="Record the decision").click()
    expect(chair.locator(".govuk-error-summary")).to_contain_text("Select whether the threshold was met")
    journey.check(chair, "threshold-form-errors")
    fill_date(chair, "discussed_on", today)
    chair.locator("[name=la_participant]").select_option(index=1)
    chair.locator("[name=health_participant]").select_option(index=1)
    chair.locator("[name=police_participant]").select_option(index=1)
    chair.get_by_label("Serious Incident Notification threshold met").check()
    chair.get_by_label("Rationale").fill("Injuries nobody could explain; neglect is suspected. The criteria are met.")
    chair.get_by_role("button", name="Record the decision").click()
    expect(success(chair)).to_contain_text("Threshold decision recorded")
    expect(chair.locator("main")).to_contain_text("Day 0 of 5 (working days)")
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
    expect(success(manager)).to_contain_text("Invitations sent")
    journey.check(manager, "panel-scheduled")
    panel_url = manager.url
    outbox_shows(manager, f"Rapid review panel for case {reference}")

    # 5. The business unit issues the agency check forms; two agency leads complete theirs.
    manager.goto(case_url)
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
    expect(police.locator("main")).to_contain_text("Agency check forms due")
    journey.check(police, "dashboard-agency-lead")
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
    fill_date(police, "involvement_from", add_working_days(today, -60))
    police.get_by_label("Our involvement is ongoing").check()
    police.locator("[name=involvement_summary]").fill(
        "Officers attended the home twice after neighbours called about shouting.")
    police.get_by_role("button", name="Save and continue").click()
    journey.check(police, "agency-check-chronology")
    fill_date(police, "chronology-0-date", add_working_days(today, -30))
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
    police.locator("[name=author_name]").fill("Detective Sergeant Amy Clarke")
    police.locator("[name=author_role]").fill("Safeguarding review officer")
    police.locator("[name=manager_name]").fill("Detective Inspector Raj Patel")
    police.locator("[name=manager_role]").fill("Head of safeguarding reviews")
    fill_date(police, "manager_signed_on", today)
    police.get_by_role("button", name="Save and continue").click()
    expect(police.get_by_role("heading", level=1)).to_contain_text("Check")
    journey.check(police, "agency-check-check-answers")
    police.get_by_role("button", name="Submit the form").click()
    journey.check(police, "agency-check-submitted")

    csc = people("csc.lead")
    csc.get_by_role("link", name=re.compile(f"{reference} – Tower Hamlets Children's Social Care")).first.click()
    csc.get_by_role("link", name="Your agency's involvement").click()
    csc.get_by_label("No", exact=True).check()
    csc.locator("[name=no_involvement_note]").fill(
        "We searched our case records for the child and both parents on the day the form arrived: no records.")
    csc.get_by_role("button", name="Save and continue").click()
    csc.locator("[name=author_name]").fill("Priya Shah")
    csc.locator("[name=author_role]").fill("Practice manager")
    csc.locator("[name=manager_name]").fill("Tom Reid")
    csc.locator("[name=manager_role]").fill("Head of service")
    fill_date(csc, "manager_signed_on", today)
    csc.get_by_role("button", name="Save and continue").click()
    csc.get_by_role("button", name="Submit the form").click()
    expect(csc.locator("main")).to_contain_text("submitted")

    # 6. Quality assurance returns the police form with a comment; the police lead changes it and resubmits.
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
    police.get_by_role("link", name="Analysis of practice").click()
    police.locator("[name=could_be_better]").fill(
        "Nobody spoke to the child on their own: the officers thought the child was asleep and did not wake them.")
    police.get_by_role("button", name="Save and continue").click()
    police.goto(police.url.split("/sections/")[0] + "/check/")
    police.get_by_role("button", name="Submit the form").click()
    expect(police.locator("main")).to_contain_text("submitted")

    # 7. Quality assurance accepts both forms and distributes the pack to the panel.
    for agency in ("Metropolitan Police", "Tower Hamlets Children's Social Care"):
        manager.goto(board_url)
        manager.get_by_role("link", name=f"Quality-assure {agency}'s form").click()
        manager.get_by_role("button", name="Accept the form").click()
        expect(success(manager)).to_contain_text("form accepted")
    journey.check(manager, "agency-checks-accepted")
    manager.get_by_role("link", name="Distribute the pack").click()
    journey.check(manager, "agency-checks-distribute")
    reason = manager.locator("[name=reason]")
    if reason.count():
        reason.fill("The other agencies had no involvement and told us so by e-mail.")
    manager.get_by_role("button", name="Distribute the pack").click()
    expect(success(manager)).to_contain_text("distributed")
    manager.get_by_role("link", name="Read the pack").first.click()
    journey.check(manager, "agency-checks-pack")
    outbox_shows(manager, f"Agency check forms for {reference} are ready to read",
                 f"Agency check form for {reference} accepted")

    # 8. The meeting: attendance, held, the chair's meeting record with an immediate action, and the vote.
    manager.goto(panel_url)
    manager.get_by_role("link", name="Record attendance").click()
    journey.check(manager, "panel-attendance")
    for radio in manager.locator("input[type=radio][value=present]").all():
        radio.check()
    manager.get_by_role("button", name=re.compile("Save")).click()
    expect(success(manager)).to_contain_text("Attendance saved")
    manager.get_by_role("link", name="Record the meeting as held").click()
    journey.check(manager, "panel-held")
    manager.get_by_role("button", name="Record the meeting as held").click()
    expect(success(manager)).to_contain_text("held")

    chair.goto(case_url)
    chair.get_by_role("link", name="Record the panel meeting").click()
    journey.check(chair, "meeting-record")
    chair.get_by_role("link", name="Write the meeting record").click()
    journey.check(chair, "meeting-record-form")
    chair.locator("[name=chair_overview]").fill("The panel heard from each agency. Nobody spoke to Rosa alone.")
    chair.locator("[name=areas_for_learning]").fill("Seeing and hearing the child at every visit.")
    chair.locator("input[name=cspr_criteria_met][value=yes]").check()
    chair.locator("[name=cspr_criteria_reasons]").fill("Serious harm, and agencies could have worked better together.")
    chair.locator("input[name=national_issues][value=no]").check()
    chair.get_by_role("button", name="Save meeting record").click()
    expect(success(chair)).to_contain_text("Meeting record saved")
    chair.get_by_role("link", name="Add an immediate action").click()
    journey.check(chair, "immediate-action-form")
    chair.locator("[name=description]").fill("Brief every response officer on speaking to children alone.")
    chair.locator("[name=learning]").fill("The child's voice was not heard.")
    chair.locator("[name=agency]").select_option(label="Metropolitan Police")
    fill_date(chair, "due_on", add_working_days(today, 15))
    chair.get_by_role("button", name="Add to the action plan").click()
    expect(success(chair)).to_contain_text("Immediate action added")

    nurse = people("nurse")
    nurse.goto(case_url.replace("/cases/", "/decisions/case/") + "vote/")
    journey.check(nurse, "vote-member")
    nurse.locator("input[name='own-choice'][value=yes]").check()
    nurse.get_by_role("button", name="Record my vote").click()
    expect(success(nurse)).to_contain_text("Vote recorded")

    chair.goto(case_url.replace("/cases/", "/decisions/case/") + "vote/")
    chair.locator("input[name='own-choice'][value=yes]").check()
    chair.get_by_role("button", name="Record my vote").click()
    expect(success(chair)).to_contain_text("Vote recorded")
    journey.check(chair, "vote-chair")
    chair.once("dialog", lambda dialog: dialog.accept())
    chair.get_by_role("button", name="Close the vote").click()
    expect(success(chair)).to_contain_text("The vote has closed")

    # 9. The business unit drafts the decision sheet from the meeting record and sends it for signature.
    manager.goto(case_url)
    expect(manager.locator("h1 .govuk-tag")).to_have_text("Decision sheet")
    manager.get_by_role("link", name="Draft the decision sheet").click()
    journey.check(manager, "decision-sheet-start")
    manager.get_by_role("button", name="Draft the decision sheet from the meeting record").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Edit the decision sheet")
    journey.check(manager, "decision-sheet-edit")
    manager.goto(case_url.replace("/cases/", "/decisions/case/") + "sheet/")
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
    manager.locator("input[name=recommendation][value=cspr]").check()
    # The national template's questions: child in need, regulation 11 (a) to (d), the review's method and reviewer.
    manager.locator("input[name=child_in_need][value=no]").check()
    for letter in "abcd":
        manager.locator(f"input[name=reg11_{letter}]:not([value=''])").first.check()
    manager.locator("input[name=cspr_methodology]:not([value=''])").first.check()
    manager.locator("input[name=cspr_reviewer]").fill("An independent reviewer, to be commissioned")
    manager.locator("input[name=cspr_timescale]").fill("Six months from commissioning")
    manager.get_by_role("button", name="Save draft").click()
    expect(success(manager)).to_contain_text("Draft saved")
    manager.get_by_role("button", name="Send for signature").click()
    expect(success(manager)).to_contain_text("sent to the three statutory partners for signature")
    journey.check(manager, "decision-sheet-sent")
    outbox_shows(manager, exactly={f"Decision sheet to sign: {reference}": 3})

    # 10. Three executives sign. Each must confirm their password: more than 15 minutes have passed since sign-in.
    executives = {login: people(login) for login in ("exec.la", "exec.health", "exec.police")}
    expect(executives["exec.health"].locator("main")).to_contain_text(reference)
    journey.check(executives["exec.health"], "dashboard-executive")
    traveller.shift(datetime.timedelta(minutes=16))
    for login, executive in executives.items():
        executive.get_by_role("link", name=re.compile(reference)).first.click()
        executive.goto(case_url.replace("/cases/", "/decisions/case/") + "sheet/sign/")
        expect(executive.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
        if login == "exec.la":
            journey.check(executive, "confirm-its-you")
        executive.get_by_label("Password").fill(DEMO_PASSWORD)
        executive.get_by_role("button", name="Confirm it's you").click()
        if login == "exec.la":
            journey.check(executive, "decision-sheet-sign")
            executive.get_by_role("button", name="Submit").click()
            expect(executive.locator(".govuk-error-summary")).to_contain_text("Choose whether you agree")
            journey.check(executive, "decision-sheet-sign-errors")
        executive.get_by_label("Agree and sign").check()
        executive.get_by_role("button", name="Submit").click()
        expect(success(executive)).to_contain_text("Your answer has been recorded")
    journey.check(executives["exec.police"], "decision-sheet-signed")

    # 11. The business unit records sending to the National Panel and its response.
    manager.goto(case_url.replace("/cases/", "/decisions/case/") + "sheet/")
    manager.get_by_role("link", name="Record the date sent to the National Panel").click()
    journey.check(manager, "national-panel-sent")
    fill_date(manager, "sent_on", today)
    manager.get_by_role("button", name="Record date sent").click()
    expect(manager.locator("h1 .govuk-tag, main")).to_contain_text("National Panel")
    manager.goto(case_url.replace("/cases/", "/decisions/case/") + "national-panel/response/")
    journey.check(manager, "national-panel-response")
    fill_date(manager, "response_on", today)
    manager.get_by_label("Agrees with the decision", exact=True).check()
    manager.get_by_label("What the National Panel said").fill("The National Panel agrees a practice review is needed.")
    manager.get_by_role("button", name="Record response").click()

    # 12. The business unit commissions the Child Safeguarding Practice Review.
    manager.goto(case_url.replace("/cases/", "/decisions/case/") + "sheet/")
    manager.get_by_role("link", name="Commission a practice review").click()
    journey.check(manager, "cspr-commission")
    manager.get_by_label("Systems approach").check()
    manager.get_by_label("Reviewer or reviewers").fill("Dr Helen Marsh, independent reviewer")
    manager.locator("[name=terms_of_reference]").fill(
        "How agencies saw and heard Rosa in the year before she was hurt.")
    fill_date(manager, "started_on", today)
    manager.get_by_role("button", name="Commission the review").click()
    manager.goto(case_url)
    expect(manager.locator("h1 .govuk-tag")).to_have_text("Child safeguarding practice review")
    journey.check(manager, "case-practice-review")
    outbox_shows(manager, f"Decision sheet signed: {reference}")

    # 13. The police lead records progress on the immediate action.
    police.goto("/")
    expect(police.locator("main")).to_contain_text("Brief every response officer")
    journey.check(police, "dashboard-agency-lead-action")
    police.get_by_role("link", name=re.compile("Brief every response officer")).first.click()
    journey.check(police, "action-detail")
    police.get_by_role("link", name="Record progress").click()
    journey.check(police, "action-progress")
    police.get_by_label("In progress").check()
    police.get_by_label("Progress update").fill("Half of the response teams have had the briefing.")
    police.get_by_role("button", name="Save update").click()
    expect(success(police)).to_contain_text("Update saved")
    expect(police.locator("main")).to_contain_text("In progress")
    journey.check(police, "action-updated")

    # The other dashboards: the chair (escalations), a panel member and the working group (overdue actions).
    chair.goto("/")
    journey.check(chair, "dashboard-chair")
    nurse.goto("/")
    journey.check(nurse, "dashboard-panel-member")
    working_group = people("workinggroup")
    expect(working_group.locator("main")).to_contain_text("overdue")
    journey.check(working_group, "dashboard-working-group")
