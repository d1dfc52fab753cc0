"""A partnership's data leaves in Chromium: one member of the business unit asks, another confirms and downloads;
the installation's administrator uploads the archive, checks what it holds and imports it. Screenshots at 1280 px
and 375 px (test-artifacts/screenshots/partnership-export-*), axe on every page, no sideways scrolling."""

import pytest

from tests.factories import PASSWORD, make_user
from tests.partnership_export.world import build_world

from .conftest import DESKTOP, assert_accessible, capture, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(browser, live_server, email):
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    sign_in(page, email, PASSWORD)
    return context, page


def _check(page, name):
    assert_accessible(page, name)
    assert capture(page, f"partnership-export-{name}") <= 0, f"{name} scrolls sideways at 375 px"


def test_the_business_unit_exports_and_the_administrator_imports_in_the_browser(browser, live_server, tmp_path):
    world = build_world()
    admin = make_user(full_name="Ada Admin", email="admin@installation.test", is_staff=True)

    context, page = _open(browser, live_server, world.ours.manager.email)
    page.goto("/partnership-export/")
    _check(page, "1-exports")
    page.get_by_role("link", name="Ask for an export").click()
    page.get_by_label("Why is the partnership's data being exported?").fill(
        "Tower Hamlets is moving to the regional installation.")
    _check(page, "2-ask")
    page.get_by_role("button", name="Ask for the export").click()
    page.get_by_text("Another member of the business unit must confirm it").first.wait_for()
    assert page.get_by_role("button", name="Confirm the export").count() == 0
    _check(page, "3-waiting")
    context.close()

    context, page = _open(browser, live_server, world.ours.coordinator.email)
    page.goto("/partnership-export/")
    page.locator("table a").first.click()
    page.get_by_role("button", name="Confirm the export").click()
    page.get_by_text("Ready to download").first.wait_for()
    _check(page, "4-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the archive").click()
    archive = tmp_path / "export.zip"
    download.value.save_as(archive)
    context.close()

    context, page = _open(browser, live_server, admin.email)
    page.goto("/partnership-export/import/")
    _check(page, "5-upload")
    page.get_by_label("Partnership export archive").set_input_files(str(archive))
    page.get_by_role("button", name="Check the archive").click()
    page.get_by_role("heading", name="Import Tower Hamlets SCP").wait_for()
    page.get_by_label("Address name").fill("tower-hamlets-regional")
    page.get_by_label("Name of the new partnership").fill("Tower Hamlets SCP (regional)")
    page.get_by_label("Prefix for references already used here (optional)").fill("THR-")
    _check(page, "6-check")
    page.get_by_role("button", name="Import as a new partnership").click()
    page.get_by_role("heading", name="Tower Hamlets SCP (regional) imported").wait_for()
    _check(page, "7-imported")
    context.close()
