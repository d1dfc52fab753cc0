"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Chromium comes from Debian (`apt-get install chromium`); Playwright never downloads a browser here. `make test`
installs it (scripts/system_packages.sh); without it the browser tests fail, never skip, so a green run always
includes them.
"""

import contextlib
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def artifacts_dir() -> Path:
    path = Path(os.environ.get("RAPIDREVIEW_TEST_ARTIFACTS", "test-artifacts")) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` as root, or `sudo apt-get install chromium`.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make there are safe.
    # Set only while browser tests run, so nothing else (such as a deployment check) inherits it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():  # the answer (an error or the next page) before anyone reads it
        page.get_by_role("button", name="Sign in").click()


AXE_SOURCE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[dict]:
    """Run axe-core on the current page for WCAG 2.2 A and AA rules; return the violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return result["violations"]


def assert_accessible(page, label: str = "") -> None:
    violations = axe_violations(page)
    summary = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in violations)
    assert not violations, f"axe found WCAG 2.2 A/AA violations on {label or page.url}:\n{summary}"


# ---- the journey's helpers: one signed-in browser context per person, screenshots at two widths ---------------------

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}


def capture(page, name: str, full_page: bool = True, focus: str | None = None) -> int:
    """Screenshot the current page at 1280 px and at 375 px into the artifacts folder; with ``focus`` (a selector),
    also the part of the page it selects, as ``<name>-focus.png`` and ``<name>-focus-mobile.png``.

    Returns how many CSS pixels the page is wider than the 375 px screen (WCAG 1.4.10 reflow; 0 is the pass).
    """
    folder = artifacts_dir()
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)
    if focus:
        page.locator(focus).first.screenshot(path=str(folder / f"{name}-focus.png"))
    page.set_viewport_size(MOBILE)
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        page.screenshot(path=str(folder / f"{name}-mobile.png"), full_page=full_page)
        if focus:
            page.locator(focus).first.screenshot(path=str(folder / f"{name}-focus-mobile.png"))
    finally:
        page.set_viewport_size(DESKTOP)
    return overflow


def reflow_overflow(page) -> int:
    """How many CSS pixels the page is wider than a 375 px screen (WCAG 1.4.10 reflow); 0 is the pass."""
    page.set_viewport_size(MOBILE)
    try:
        return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    finally:
        page.set_viewport_size(DESKTOP)


@pytest.fixture
def people(browser, live_server):
    """``people("manager")`` opens a fresh browser context and signs that demo user in through the login page."""
    from rapidreview.demo import DEMO_PASSWORD, demo_email

    contexts = []

    def open_as(login: str | None):
        context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
        contexts.append((login or "public", context))
        page = context.new_page()
        page.set_default_timeout(15000)
        if login:
            sign_in(page, demo_email(login), DEMO_PASSWORD)
            assert page.get_by_role("heading", level=1).inner_text() == "What needs me now", \
                f"{login} did not reach their dashboard: {page.url}"
        return page

    yield open_as
    for login, context in contexts:
        # Where each person's browser ended up: the first thing to read when the journey fails.
        for page in context.pages:
            with contextlib.suppress(Exception):  # a diagnostic only
                (artifacts_dir() / f"last-page-{login}.txt").write_text(
                    page.url + "\n\n" + page.locator("main").inner_text(timeout=2000))
        context.close()
