"""Joint cross-border reviews in a real browser (issue 18 §4), on the demo's two partnerships.

Tower Hamlets leads a case (the incident happened there); City & Hackney, where the child lives, takes part. Every
person signs in through the login page in their own browser context; every page is checked with axe-core.

The steps between the agency check forms and the decision sheet (the panel, its meeting and vote) are walked by the
journey test (test_journey.py); here they are made through the services, so that this test follows what is new:
the border.
"""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from agencychecks.services import forms_issue
from decisions.services import sheet_edit, sheet_send, sheet_start
from rapidreview.accounts.models import Agency, Partnership, User
from rapidreview.demo import DEMO_PASSWORD, demo_email
from rapidreview.workdays import add_working_days, is_working_day
from referrals.models import Case, Stage
from referrals.services import case_record_sin, case_send_to_threshold, case_transition, referral_record_threshold
from tests.browser.conftest import assert_accessible, capture
from tests.decisions.factories import FULL_SHEET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = zoneinfo.ZoneInfo("Europe/London")
LEADING, TAKING_PART = "tower-hamlets", "city-and-hackney"
HACKNEY_CSC = "City & Hackney Children's Social Care"


def latest_working_day(today: datetime.date) -> datetime.date:
    day = today
    while not is_working_day(day, partnership=None):
        day -= datetime.timedelta(days=1)
    return day


def fill_date(page, prefix: str, day: datetime.date) -> None:
    page.locator(f"[name='{prefix}_0']").fill(str(day.day))
    page.locator(f"[name='{prefix}_1']").fill(str(day.month))
    page.locator(f"[name='{prefix}_2']").fill(str(day.year))


def success(page):
    return page.locator(".govuk-notification-banner--success[role=alert]")


def check(page, name: str) -> None:
    assert_accessible(page, name)
    capture(page, f"cross-border-{name}")


@pytest.fixture
def today():
    day = latest_working_day(datetime.date.today())
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(7, 0), tzinfo=LONDON),
                             tick=True) as traveller:
        call_command("load_demo")
        yield day, traveller


def _threshold_case() -> Case:
    """The demo's Tower Hamlets case waiting for its threshold discussion."""
    return Case.objects.get(partnership__slug=LEADING, stage=Stage.THRESHOLD, child_first_name="Otis")


def test_a_cross_border_case_goes_from_the_threshold_decision_through_the_other_partnerships_form_to_sign_off(
        people, today):
    day, traveller = today
    case = _threshold_case()
    case_url = f"/cases/{case.pk}/"

    # 1. Tower Hamlets' threshold decision makers meet: threshold met. The business unit records the notification.
    chair = people("chair")
    chair.goto(case_url)
    chair.get_by_role("link", name="Record the threshold discussion").click()
    fill_date(chair, "discussed_on", day)
    chair.locator("[name=la_participant]").select_option(index=1)
    chair.locator("[name=health_participant]").select_option(index=1)
    chair.locator("[name=police_participant]").select_option(index=1)
    chair.get_by_label("Serious Incident Notification threshold met").check()
    chair.get_by_label("Rationale").fill("Serious harm and neglect suspected. The child lives in Hackney.")
    chair.get_by_role("button", name="Record the decision").click()
    expect(success(chair)).to_contain_text("Threshold decision recorded")

    manager = people("manager")
    manager.goto(case_url)
    manager.get_by_role("link", name="Record the Serious Incident Notification").click()
    fill_date(manager, "notified_on", day)
    manager.get_by_label("Notification reference").fill("SIN-2026-0777")
    manager.get_by_role("button", name="Record the notification").click()
    expect(manager.locator("h1 .govuk-tag")).to_have_text("Rapid review")

    # 2. Tower Hamlets' business unit invites City & Hackney to take part.
    manager.get_by_role("link", name=re.compile("Invite a partnership")).click()
    check(manager, "invite")
    manager.get_by_label(re.compile("City & Hackney")).check()
    manager.get_by_label("Why should it take part?").fill("The child lives in Hackney and is known to its services.")
    manager.get_by_role("button", name="Invite the partnership").click()
    expect(manager.locator("#partnerships")).to_contain_text("City & Hackney")
    check(manager, "case-taking-part")

    # 3. Tower Hamlets' business unit sends a check form to City & Hackney Children's Social Care.
    manager.get_by_role("link", name="Issue agency check forms").click()
    check(manager, "issue-to-the-other-partnership")
    agency = manager.get_by_label(re.compile(re.escape(HACKNEY_CSC)))
    agency.check()
    confirm = manager.get_by_label(re.compile("I understand the forms will be due"))
    if confirm.count():
        confirm.check()
    manager.get_by_role("button", name="Issue forms").click()
    expect(success(manager)).to_contain_text("agency check forms issued")
    board_url = manager.url

    # 4. Its lead, who works for City & Hackney only, fills it in and submits it there.
    lead = people("ch.csc.lead")
    expect(lead.locator("main")).to_contain_text(case.reference)
    check(lead, "dashboard-other-partnerships-lead")
    lead.get_by_role("link", name=re.compile(f"{case.reference} – {re.escape(HACKNEY_CSC)}")).first.click()
    lead.get_by_role("link", name="Your agency's involvement").click()
    lead.get_by_label("No", exact=True).check()
    lead.locator("[name=no_involvement_note]").fill(
        "We searched our records for the child and both parents: no involvement in the last three years.")
    lead.get_by_role("button", name="Save and continue").click()
    lead.locator("[name=author_name]").fill("Tomasz Nowak")
    lead.locator("[name=author_role]").fill("Practice Development Manager")
    lead.locator("[name=manager_name]").fill("Grace Obi")
    lead.locator("[name=manager_role]").fill("Head of Service")
    fill_date(lead, "manager_signed_on", day)
    lead.get_by_role("button", name="Save and continue").click()
    check(lead, "other-partnership-form-check")
    lead.get_by_role("button", name="Submit the form").click()
    expect(lead.locator("main")).to_contain_text("submitted")

    # 5. City & Hackney's business unit reads the case, and can change nothing.
    neighbour = people("ch.manager")
    neighbour.goto(case_url)
    expect(neighbour.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(neighbour.locator("main")).to_contain_text("Your partnership takes part in this review")
    for action in ("Issue agency check forms", "Invite a partnership", "Record the Serious Incident Notification",
                   "Set up the panel"):
        expect(neighbour.get_by_role("link", name=re.compile(action))).to_have_count(0)
    check(neighbour, "case-read-only-to-the-other-partnership")
    response = neighbour.goto(f"/cases/{case.pk}/partnerships/invite/")
    assert response.status == 403, "the partnership taking part must not change the case"

    # 6. Tower Hamlets' business unit accepts the form.
    manager.goto(board_url)
    manager.get_by_role("link", name=f"Quality-assure {HACKNEY_CSC}'s form").click()
    manager.get_by_role("button", name="Accept the form").click()
    expect(success(manager)).to_contain_text("form accepted")

    # The panel, its meeting and vote (the journey test walks them): the decision sheet goes out for signature.
    _to_signature(case)

    # 7. Tower Hamlets' three executives sign; City & Hackney's executives cannot.
    sheet_url = f"/decisions/case/{case.pk}/sheet/"
    outsider = people("ch.exec.health")
    assert outsider.goto(sheet_url + "sign/").status in (403, 404)
    executives = {login: people(login) for login in ("exec.la", "exec.health", "exec.police")}
    traveller.shift(datetime.timedelta(minutes=16))  # signing asks for the password again after 15 minutes
    for login, executive in executives.items():
        executive.goto(sheet_url + "sign/")
        expect(executive.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
        executive.get_by_label("Password").fill(DEMO_PASSWORD)
        executive.get_by_role("button", name="Confirm it's you").click()
        if login == "exec.la":
            check(executive, "sign-a-cross-border-sheet")
        executive.get_by_label("Agree and sign").check()
        executive.get_by_role("button", name="Submit").click()
        expect(success(executive)).to_contain_text("Your answer has been recorded")
    executives["exec.police"].goto(sheet_url)
    expect(executives["exec.police"].locator("main")).to_contain_text(re.compile("[Ss]igned"))
    check(executives["exec.police"], "cross-border-sheet-signed")
    # The sheet records both partnerships' involvement.
    expect(executives["exec.police"].locator("main")).to_contain_text("City & Hackney")


def _to_signature(case: Case) -> None:
    """Through the services: the meeting held and the decision sheet drafted and sent by Tower Hamlets."""
    manager = User.objects.get(email=demo_email("manager"))
    case.refresh_from_db()
    case_transition(case=case, to_stage=Stage.DECISION, allowed_from=(Stage.RAPID_REVIEW,), actor=manager,
                    summary="Panel met; decision sheet to draft")
    sheet = sheet_start(case=case, actor=manager)
    sheet_edit(sheet=sheet, actor=manager, content=FULL_SHEET)
    sheet_send(sheet=sheet, actor=manager)


def test_an_agency_lead_of_both_partnerships_sees_both_partnerships_forms_on_one_dashboard(people, today):
    """The police lead serves Tower Hamlets and City & Hackney: one page lists what needs them in each, each item
    naming its partnership and opening in it."""
    day, _ = today
    hackney = Partnership.objects.get(slug=TAKING_PART)
    _hackney_form_for_the_police(hackney, day)
    police = people("police.lead")
    police.goto("/what-needs-me/")
    check(police, "what-needs-me-both-partnerships")
    main = police.locator("main")
    expect(main).to_contain_text("Tower Hamlets")
    expect(main).to_contain_text("City & Hackney")
    hackney_case = Case.objects.get(partnership=hackney, child_first_name="Idris")
    tower_hamlets_refs = list(Case.objects.filter(partnership__slug=LEADING, agency_forms__agency__name=(
        "Metropolitan Police")).values_list("reference", flat=True))
    assert tower_hamlets_refs, "the demo sends Tower Hamlets' forms to the police"
    expect(main).to_contain_text(hackney_case.reference)
    assert any(ref in main.inner_text() for ref in tower_hamlets_refs)
    # The City & Hackney form opens in City & Hackney.
    police.get_by_role("link", name=re.compile(re.escape(hackney_case.reference))).first.click()
    expect(police.locator("main")).to_contain_text("Metropolitan Police")
    expect(police.locator("header, .app-partnership, body").first).to_contain_text("City & Hackney")


def _hackney_form_for_the_police(hackney, day) -> None:
    """City & Hackney's own case moves on to the rapid review and its business unit sends the police a form."""
    case = Case.objects.get(partnership=hackney, child_first_name="Idris")
    users = {key: User.objects.get(email=demo_email(key)) for key in ("ch.manager", "ch.chair", "ch.nurse",
                                                                      "ch.detsupt")}
    if case.stage == Stage.RECEIVED:
        case_send_to_threshold(case=case, actor=users["ch.manager"])
    referral_record_threshold(case=case, actor=users["ch.chair"], discussed_on=day, la_participant=users["ch.chair"],
                              health_participant=users["ch.nurse"], police_participant=users["ch.detsupt"],
                              outcome="met", rationale="Serious harm; neglect suspected.")
    case_record_sin(case=case, actor=users["ch.manager"], notified_on=day, notification_reference="SIN-CH-0001")
    forms_issue(case=case, agencies=[Agency.objects.get(name="Metropolitan Police")],
                due_on=add_working_days(day, 8, partnership=hackney), actor=users["ch.manager"])
