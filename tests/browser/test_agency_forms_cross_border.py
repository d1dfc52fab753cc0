"""The joint cross-border case in a real browser (issue 18): Tower Hamlets' business unit issues the agency check
forms to agencies of both partnerships, and the police lead, who serves both, fills the police form in while acting
in City & Hackney, the partnership taking part. Each page is checked with axe-core and captured at 1280 px and
375 px (``test-artifacts/screenshots/cross-border-*.png``)."""

import pytest
from playwright.sync_api import expect

from rapidreview.accounts.models import Role, RoleAssignment
from referrals.models import CaseParticipation
from tests.agencychecks.factories import AgencyCheckCaseFactory, make_referral
from tests.browser.conftest import assert_accessible, capture, sign_in
from tests.factories import PASSWORD, AgencyFactory, default_partnership, make_partnership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cross_border(db):
    tower_hamlets = default_partnership()
    tower_hamlets.name, tower_hamlets.short_name = "Tower Hamlets Safeguarding Children Partnership", "THSCP"
    tower_hamlets.save()
    hackney = make_partnership("City & Hackney Safeguarding Children Partnership", slug="city-and-hackney",
                               short_name="CHSCP")
    police = AgencyFactory(name="Metropolitan Police")
    elft = AgencyFactory(name="East London NHS Foundation Trust")
    hackney_csc = AgencyFactory(name="City & Hackney Children's Social Care")
    tower_hamlets.agencies.add(police, elft)
    hackney.agencies.add(police, elft, hackney_csc)
    manager = make_user(Role.BUSINESS_UNIT, full_name="Maya Manager", email="manager@demo.test")
    police_lead = make_user(Role.AGENCY_LEAD, agency=police, full_name="Priya Patel", email="police.lead@demo.test")
    RoleAssignment.objects.create(user=police_lead, partnership=hackney, role=Role.AGENCY_LEAD,
                                  starts_on=police_lead.role_assignments.get().starts_on)
    make_user(Role.AGENCY_LEAD, agency=hackney_csc, partnership=hackney, full_name="Cass Hackney",
              email="csc.lead@hackney.test")
    case = AgencyCheckCaseFactory()
    make_referral(case)
    CaseParticipation.objects.create(case=case, partnership=hackney, reason="The child lives in Hackney",
                                     added_by=manager)
    return {"case": case, "manager": manager, "police_lead": police_lead, "hackney": hackney}


def _open(browser, live_server, email):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, email, PASSWORD)
    return page


def test_tower_hamlets_issues_and_the_police_lead_fills_in_acting_in_city_and_hackney(
        browser, live_server, cross_border):
    case = cross_border["case"]
    manager = _open(browser, live_server, "manager@demo.test")
    manager.goto(f"/agency-checks/cases/{case.pk}/issue/")
    agencies = manager.get_by_role("group", name="Agencies to send a form to")
    expect(agencies).to_contain_text("City & Hackney Children's Social Care (CHSCP)")
    expect(agencies).to_contain_text("Metropolitan Police (THSCP, CHSCP)")
    expect(agencies).to_contain_text("East London NHS Foundation Trust (THSCP, CHSCP) No safeguarding lead")
    manager.get_by_label("Metropolitan Police").check()
    manager.get_by_label("City & Hackney Children's Social Care").check()
    assert_accessible(manager, "cross-border-issue")
    assert capture(manager, "cross-border-issue") == 0
    manager.get_by_role("button", name="Issue forms").click()
    expect(manager.locator(".govuk-notification-banner--success")).to_contain_text("2 agency check forms issued")
    capture(manager, "cross-border-board")

    police = _open(browser, live_server, "police.lead@demo.test")
    police.goto("/agency-checks/?partnership=city-and-hackney")
    row = police.get_by_role("row").filter(has_text=case.reference)
    expect(row).to_have_count(1)
    row.get_by_role("link").first.click()
    expect(police.locator("main")).to_contain_text("Metropolitan Police")
    expect(police.locator("main")).to_contain_text(
        "Tower Hamlets Safeguarding Children Partnership leads this rapid review, with City & Hackney Safeguarding "
        "Children Partnership taking part.")
    assert_accessible(police, "cross-border-police-tasks")
    assert capture(police, "cross-border-police-tasks") == 0
    police.get_by_role("link", name="Analysis of practice").click()
    police.get_by_label("Analysis of key practice episodes").fill(
        "Officers attended twice after calls from a neighbour; the child was not seen on either visit.")
    assert_accessible(police, "cross-border-police-section")
    assert capture(police, "cross-border-police-section") == 0
    police.get_by_role("button", name="Save and come back later").click()
    expect(police.locator("main")).to_contain_text("Draft saved")
    capture(police, "cross-border-police-saved")
    form = case.agency_forms.get(agency__name="Metropolitan Police")
    assert form.analysis.startswith("Officers attended twice") and form.last_edited_by == cross_border["police_lead"]
