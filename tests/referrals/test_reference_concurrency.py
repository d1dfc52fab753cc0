"""References taken at once by separate processes on PostgreSQL never collide (the counter row is locked, and the
unique constraints decide who makes a year's counter and who gets a prefix first).

Skipped without PostgreSQL on a developer's machine; failing, not skipped, in CI (CI=true).
"""

import collections
import json
import os
import subprocess
import sys
import time

import pytest
from django.utils import timezone

from referrals.models import Case, ReferenceCounter
from tests.factories import default_partnership, make_partnership
from tests.notifications import processes

# One xdist worker runs every test that starts Celery workers or Redis servers, one after another (Makefile).
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("services")]
PER_PROCESS = 12


@pytest.fixture(autouse=True)
def _postgres(transactional_db):
    processes.require_postgres()


def _start(go_at: float, *slugs: str) -> subprocess.Popen:
    env = {**os.environ, "RAPIDREVIEW_ENV": "test", "DATABASE_URL": processes.database_url(),
           "DJANGO_SETTINGS_MODULE": "rapidreview.settings", "CELERY_TASK_ALWAYS_EAGER": "true",
           "PYTHONPATH": str(processes.ROOT)}
    return subprocess.Popen(  # noqa: S603 - our own fixed script
        [sys.executable, "-m", "tests.referrals.reference_worker", str(go_at), str(PER_PROCESS), *slugs],
        cwd=processes.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(process: subprocess.Popen) -> list:
    try:
        out, err = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()  # never leave a worker behind
        process.communicate()
        raise
    assert process.returncode == 0, err.decode()[-3000:]
    return json.loads(out.decode().strip().splitlines()[-1])


def test_processes_referring_to_several_partnerships_at_once_never_share_a_reference():
    """Three partnerships, two of which ask for the same prefix, and no counter yet for the year: four processes
    refer to them in turn at the same moment."""
    partnerships = [default_partnership(), make_partnership("City and Hackney", slug="hackney", short_name="CHSCP"),
                    make_partnership("Another SCP", slug="twin", short_name="SCP")]
    slugs = [p.slug for p in partnerships]
    go_at = time.time() + 3
    workers = [_start(go_at, *(slugs[n:] + slugs[:n])) for n in range(4)]
    given = [pair for worker in workers for pair in _finish(worker)]

    references = [reference for _, reference in given]
    assert len(references) == len(set(references)) == 4 * PER_PROCESS
    assert Case.objects.count() == 4 * PER_PROCESS
    year = timezone.localdate().year
    counters = {c.partnership.slug: c for c in ReferenceCounter.objects.filter(year=year).select_related("partnership")}
    assert counters["hackney"].prefix == "CHSCP"
    twins = {counters["partnership"], counters["twin"]}
    assert {c.prefix for c in twins} in ({"SCP", f"SCP{c.partnership_id}"} for c in twins)  # one each, never both
    by_partnership = collections.defaultdict(list)
    for slug, reference in given:
        by_partnership[slug].append(reference)
    for slug, refs in by_partnership.items():
        prefix = counters[slug].prefix
        numbers = sorted(int(ref.removeprefix(f"{prefix}-{year}-")) for ref in refs)
        assert numbers == list(range(1, len(refs) + 1)), slug  # every number once, none skipped
        assert counters[slug].last == len(refs)
