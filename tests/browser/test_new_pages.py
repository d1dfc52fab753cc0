"""Issue 16's new pages that the journey (test_journey.py) does not pass through, in a real browser on the demo.

The business unit imports its own action plan (its own column names, a review held before the system existed),
opens a CDOP discussion waiting for a referral and proposes anonymising a case past its retention period; an
agency's safeguarding lead opens the assurance request waiting for them. Each page is checked with axe-core and
captured at 1280 px and 375 px (``refresh_screenshots.py`` copies a selection into docs/screenshots/).
"""

import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, capture, reflow_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A partnership's own spreadsheet: its own headings, and a review held before Rapid Review (no case in the system).
HEADINGS = ["Review", "Type of review", "Finding", "Agreed action", "Lead agency", "By when", "Status", "Update"]
ROWS = [
    ["CSPR Child F (2023)", "CSPR", "Fathers were not seen or asked about",
     "Add fathers and male carers to every assessment template", "Tower Hamlets Children's Social Care",
     datetime.date(2026, 9, 30), "In progress", "Template drafted; training booked for the autumn."],
    ["CSPR Child F (2023)", "CSPR", "Bruising in non-mobile babies was not escalated",
     "Re-launch the bruising protocol with GP practices", "Tower Hamlets GP Care Group",
     datetime.date(2026, 6, 30), "Not started", ""],
]


def _workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Action plan 2023-26"
    sheet.append(HEADINGS)
    for row in ROWS:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _check(page, name: str) -> None:
    """axe-check the page, capture it at both widths, and fail if it does not reflow at 375 px."""
    assert_accessible(page, name)
    capture(page, name)
    assert reflow_overflow(page) == 0, f"{name} is wider than a 375 px screen"


def test_the_new_pages_work_for_the_people_who_use_them(people, tmp_path):
    call_command("load_demo")
    manager = people("manager")

    # The action plan import: the business unit may import too, and a historic review needs no case.
    upload = tmp_path / "thscp-action-plan.xlsx"
    upload.write_bytes(_workbook())
    manager.goto("/action-plan/import/")
    manager.locator("input[type=file]").set_input_files(str(upload))
    manager.get_by_role("button", name="Upload and check").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Which column is which?")
    expect(manager.get_by_label("Column “Finding”")).to_have_value("learning")
    _check(manager, "action-plan-import-columns")
    manager.get_by_role("button", name="Check the rows").click()
    expect(manager.locator("main")).to_contain_text("CSPR Child F (2023)")
    expect(manager.get_by_role("button", name="Save: 2 new, 0 changed")).to_be_visible()
    _check(manager, "action-plan-import-preview")

    # A CDOP discussion past its week, waiting for the referral.
    manager.goto("/referrals/cdop/")
    manager.get_by_role("link", name="JAR 2026/112").first.click()
    expect(manager.locator("main")).to_contain_text("JAR 2026/112")
    _check(manager, "cdop-discussion")

    # The retention review: the business unit proposes; a second person must confirm before anything changes.
    manager.goto("/audit/retention/")
    manager.get_by_role("button", name="Propose anonymising").first.click()
    expect(manager.locator("main")).to_contain_text("Withdraw")
    _check(manager, "retention-review")
    second = people("coordinator")
    second.goto("/audit/retention/")
    expect(second.get_by_role("button", name="Confirm and anonymise").first).to_be_visible()

    # The assurance request after a "not met" decision, answered by the agency's safeguarding lead in the app.
    # The Met's lead serves both demo partnerships: the combined page shows what needs them in each.
    police = people("police.lead")
    police.goto("/what-needs-me/")
    police.locator("main a[href^='/assurance/']").first.click()
    expect(police.locator("main")).to_contain_text("missed strategy discussion")
    _check(police, "assurance-reply")
