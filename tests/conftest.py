from pathlib import Path

import pytest
from django.core.cache import cache

from rapidreview.accounts.models import Role
from rapidreview.clocks.models import NonWorkingDay
from tests.factories import make_installation_admin, make_partnership, make_user

BROWSER_TESTS = Path(__file__).parent / "browser"


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Browser tests live in tests/browser, whose one session-wide Chromium they share. A copy of its fixture in
    another module starts a second Playwright while the first runs, and every later browser test then fails."""
    strays = sorted({str(item.path) for item in items
                     if item.get_closest_marker("browser") and BROWSER_TESTS not in item.path.parents})
    if strays:
        raise pytest.UsageError("Browser tests belong in tests/browser/: " + ", ".join(strays))
    # Under xdist (Makefile: --dist loadgroup) one worker runs the browser tests, so one Chromium runs at a time.
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test: eager Celery, an in-memory mail box, a clean cache, uploads in a temporary folder."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    NonWorkingDay.forget_cached()
    yield
    cache.clear()
    NonWorkingDay.forget_cached()


@pytest.fixture
def business_unit(db):
    return make_user(Role.BUSINESS_UNIT, full_name="Bea Unit")


@pytest.fixture
def chair(db):
    return make_user(Role.RR_CHAIR, full_name="Chris Chair")


@pytest.fixture
def agency_lead(db):
    return make_user(Role.AGENCY_LEAD, full_name="Alex Lead")


@pytest.fixture
def bu_client(client, business_unit):
    client.force_login(business_unit)
    return client


@pytest.fixture
def neighbour_partnership(db):
    """A second partnership on the installation (its people are made with ``make_user(..., partnership=...)``)."""
    return make_partnership("Neighbouring Safeguarding Children Partnership", short_name="NSCP")


@pytest.fixture
def installation_admin(db):
    """The installation's administrator: staff, no role in any partnership."""
    return make_installation_admin()
