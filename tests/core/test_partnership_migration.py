"""Issue 18 §8: a database from before partnerships migrates into one partnership with nothing lost.

The strongest proof there is: the previous release itself (``PREVIOUS_RELEASE``, checked out of git into a
temporary folder) migrates a new SQLite file and loads its demo, plus the rows its demo does not make (access log
entries, a retention proposal, a legal hold, an import mapping, a National Panel liaison, a second year's
reference counter). That file is then migrated by the current code, and compared with what it held before: every
table, every column that existed, every row. Then the current code reads it: one partnership holds everything,
the roles still work, and the next case reference continues the old count.

Both releases run in subprocesses (each with its own code on ``sys.path``), never in the test's own database.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PREVIOUS_RELEASE = "6d8cbda"  # the last commit before partnerships (issue 18)
GIT = shutil.which("git") or ""

# Tables a migration may legitimately grow: Django's own bookkeeping of migrations, models and permissions.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}
# Rows the previous release's demo does not make, written with its own models.
EXTRAS = """
import datetime, uuid
from django.utils import timezone
from rapidreview.accounts.models import User
from rapidreview.audit.models import AccessAction, AccessLog, LegalHold, RetentionProposal
from actionplan.models import ImportColumnMapping
from panels.models import NationalPanelLiaison
from referrals.models import Case, ReferenceCounter
manager = User.objects.get(email="manager@demo.test")
cases = list(Case.objects.order_by("reference")[:3])
for case in cases:
    AccessLog.objects.create(user=manager, action=AccessAction.VIEW, object_type="case", object_id=str(case.pk),
                             case_id=case.pk, path=f"/cases/{case.pk}/", ip_address="127.0.0.1")
AccessLog.objects.create(user=manager, action=AccessAction.EXPORT, object_type="actions", path="/actions/export/")
RetentionProposal.objects.create(case_id=cases[0].pk, reference=cases[0].reference, proposed_by=manager,
                                 note="Past its retention period.")
LegalHold.objects.create(case_id=cases[1].pk, reason="Civil claim pending.", set_by=manager)
ImportColumnMapping.objects.create(heading="owner (agency)", field="agency", updated_by=manager)
liaison = NationalPanelLiaison.objects.create(liaised_on=datetime.date(2026, 3, 2), recorded_by=manager,
                                              contact="Sam Okafor with the Panel secretariat",
                                              timelines_agreed="One rapid review for both notifications.")
liaison.cases.add(*cases[:2])
ReferenceCounter.objects.get_or_create(year=2019, defaults={"last": 41})
print("extras written")
"""


def _env(database: Path, var: Path) -> dict:
    """The environment of one release's manage.py: its own SQLite file and folders, no shared services."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "MEDIA_ROOT", "DJANGO_SETTINGS_MODULE",
                        "PYTHONPATH"}}
    env.update(DATABASE_URL=f"sqlite:///{database}", RAPIDREVIEW_VAR_DIR=str(var), MEDIA_ROOT=str(var / "uploads"),
               RAPIDREVIEW_ENV="test", CELERY_TASK_ALWAYS_EAGER="false",
               EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    return env


def _manage(code: Path, env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - manage.py of this repository or its previous release, fixed arguments
        [sys.executable, "manage.py", *args], cwd=code, env=env, capture_output=True, text=True, timeout=600,
        check=False)
    assert done.returncode == 0, f"manage.py {' '.join(args)} in {code} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([GIT, "-C", str(ROOT), *args], capture_output=True, timeout=120,  # noqa: S603 - fixed
                          check=False)


def _has_commit(commit: str) -> bool:
    return bool(GIT) and _git("cat-file", "-e", f"{commit}^{{commit}}").returncode == 0


@pytest.fixture(scope="module")
def previous_release_db(tmp_path_factory) -> Path:
    """A SQLite file made by the previous release: migrated, its demo loaded, and the extra rows written."""
    if not _has_commit(PREVIOUS_RELEASE):
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the full git history: commit {PREVIOUS_RELEASE} is missing (shallow clone?)")
        pytest.skip(f"commit {PREVIOUS_RELEASE} is not in this checkout")
    base = tmp_path_factory.mktemp("previous_release")
    code = base / "code"
    code.mkdir()
    archive = _git("archive", PREVIOUS_RELEASE)
    assert archive.returncode == 0, archive.stderr
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(code, filter="data")
    database = base / "previous.sqlite3"
    env = _env(database, base / "var")
    _manage(code, env, "migrate", "--noinput", "--skip-checks")
    assert "Demo data loaded" in _manage(code, env, "load_demo")
    assert "extras written" in _manage(code, env, "shell", "-c", EXTRAS)
    return database


def _tables(database: Path) -> dict[str, list[str]]:
    with sqlite3.connect(database) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {name: [c[1] for c in db.execute(f'PRAGMA table_info("{name}")')] for name in names}


def _rows(database: Path, table: str, columns: list[str]) -> list[tuple]:
    quoted = ", ".join(f'"{c}"' for c in columns)
    with sqlite3.connect(database) as db:
        return sorted(db.execute(f'SELECT {quoted} FROM "{table}"').fetchall(), key=repr)  # noqa: S608 - table names from sqlite_master


@pytest.fixture(scope="module")
def migrated(previous_release_db, tmp_path_factory) -> tuple[Path, Path]:
    """(the previous release's file untouched, a copy of it migrated by the current code)."""
    base = tmp_path_factory.mktemp("migrated")
    database = base / "migrated.sqlite3"
    database.write_bytes(previous_release_db.read_bytes())
    _manage(ROOT, _env(database, base / "var"), "migrate", "--noinput", "--skip-checks")
    return previous_release_db, database


def test_the_previous_release_made_a_realistic_database(previous_release_db):
    """The comparison below means something only if the old database holds every kind of row."""
    counts = {}
    with sqlite3.connect(previous_release_db) as db:
        for table in ("accounts_user", "accounts_roleassignment", "accounts_agency", "accounts_partnership",
                      "referrals_case", "referrals_referencecounter", "clocks_clock", "clocks_nonworkingday",
                      "actionplan_action", "actionplan_actionupdate", "themes_theme", "themes_casetheme",
                      "themes_learningitem", "notifications_notification", "audit_accesslog",
                      "referrals_cdopdiscussion", "decisions_decisionsheet", "agencychecks_agencycheckform",
                      "panels_panel", "panels_nationalpanelliaison", "actionplan_importcolumnmapping",
                      "actionplan_workinggroupmeeting", "audit_retentionproposal", "audit_legalhold"):
            counts[table] = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608 - table names from sqlite_master
    empty = sorted(table for table, n in counts.items() if n == 0)
    assert not empty, f"the previous release's demo made no rows in {empty}"
    assert counts["accounts_partnership"] == 1


def test_every_row_of_every_table_survives_the_migration(migrated):
    before, after = migrated
    old_tables, new_tables = _tables(before), _tables(after)
    lost_tables = sorted(set(old_tables) - set(new_tables) - {"referrals_referencecounter"})
    assert not lost_tables, f"the migration dropped {lost_tables}"
    problems, compared = [], 0
    for table, columns in old_tables.items():
        if table in BOOKKEEPING or table == "referrals_referencecounter":
            continue
        gone = sorted(set(columns) - set(new_tables[table]))
        if gone:
            problems.append(f"{table}: columns {gone} were dropped")
            continue
        old_rows, new_rows = _rows(before, table, columns), _rows(after, table, columns)
        compared += len(old_rows)
        if old_rows != new_rows:
            problems.append(f"{table}: {len(old_rows)} rows before, {len(new_rows)} after, or their values changed")
    for table in ("django_content_type", "auth_permission", "django_migrations"):  # may only grow
        columns = [c for c in old_tables[table] if c != "id"]
        missing = set(_rows(before, table, columns)) - set(_rows(after, table, columns))
        if missing:
            problems.append(f"{table}: lost {len(missing)} rows")
    assert not problems, "\n".join(problems)
    assert compared > 2000, f"only {compared} rows compared"


def test_the_reference_counters_move_to_the_one_partnership_unchanged(migrated):
    before, after = migrated
    old = _rows(before, "referrals_referencecounter", ["year", "last"])
    with sqlite3.connect(after) as db:
        (partnership_id,) = db.execute("SELECT id FROM accounts_partnership").fetchone()
    new = _rows(after, "referrals_referencecounter", ["partnership_id", "year", "last"])
    assert new == sorted(((partnership_id, year, last) for year, last in old), key=repr)
    assert len(old) >= 2  # the demo's years and the extra 2019 counter


def test_everything_a_partnership_owns_belongs_to_the_one_partnership(migrated):
    """Every row of every table with a ``partnership`` column is the one partnership's; only history (append-only)
    and the access log keep what they recorded, with the column empty."""
    _, after = migrated
    left_empty = {"audit_accesslog"}  # ADR 0015: the reader's partnership was not recorded before
    problems, owned = [], {}
    with sqlite3.connect(after) as db:
        assert db.execute("SELECT COUNT(*) FROM accounts_partnership").fetchone()[0] == 1
        (partnership_id,) = db.execute("SELECT id FROM accounts_partnership").fetchone()
        for table, columns in _tables(after).items():
            if "partnership_id" not in columns or "_historical" in table:
                continue
            total, mine, empty = db.execute(
                f'SELECT COUNT(*), SUM(partnership_id = ?), SUM(partnership_id IS NULL) FROM "{table}"',  # noqa: S608 - table names from sqlite_master
                [partnership_id]).fetchone()
            owned[table] = total
            if table in left_empty:
                if empty != total:
                    problems.append(f"{table}: {total - (empty or 0)} old rows were given a partnership")
            elif total and mine != total:
                problems.append(f"{table}: {total - (mine or 0)} of {total} rows are not the partnership's")
        agencies = db.execute("SELECT COUNT(*) FROM accounts_agency").fetchone()[0]
        in_arrangements = db.execute("SELECT COUNT(*) FROM accounts_partnership_agencies WHERE partnership_id = ?",
                                     [partnership_id]).fetchone()[0]
    assert not problems, "\n".join(problems)
    for table in ("referrals_case", "accounts_roleassignment", "themes_theme", "themes_learningitem",
                  "actionplan_action", "clocks_clock", "clocks_nonworkingday", "notifications_notification",
                  "referrals_cdopdiscussion", "panels_nationalpanelliaison", "actionplan_importcolumnmapping",
                  "actionplan_workinggroupmeeting", "referrals_referencecounter"):
        assert owned.get(table), f"{table} has no partnership column or no rows"
    assert in_arrangements == agencies, "every agency took part in the one partnership's arrangements"


# Run by the current code on the migrated file: what its people and rules make of the old data.
PROBE = """
YEARS = {years}
import json
from django.utils import timezone
from rapidreview.accounts.models import Partnership, Role, User
from referrals.models import Case
from referrals.selectors import visible_cases
from referrals.services.intake import case_next_reference
from django.db import transaction

partnership = Partnership.objects.get()
manager = User.objects.get(email="manager@demo.test")
lead = User.objects.get(email="barts@demo.test")
out = {
    "partnership": partnership.slug,
    "manager_partnership": manager.partnership.slug,
    "manager_is_business_unit": manager.has_role(Role.BUSINESS_UNIT),
    "lead_is_agency_lead": lead.has_role(Role.AGENCY_LEAD),
    "manager_sees": visible_cases(manager).count(),
    "cases": Case.objects.count(),
}
years = {}
with transaction.atomic():
    for year in YEARS:
        years[year] = case_next_reference(partnership, year)
    transaction.set_rollback(True)
out["next"] = {str(y): r for y, r in years.items()}
print("PROBE" + json.dumps(out))
"""


def test_the_current_code_reads_the_old_data_as_one_partnership(migrated):
    before, after = migrated
    counters = dict(_rows(before, "referrals_referencecounter", ["year", "last"]))
    probe = PROBE.replace("{years}", repr([*sorted(counters), 2099]))
    output = _manage(ROOT, _env(after, after.parent / "var-probe"), "shell", "-c", probe)
    found = json.loads(output.split("PROBE", 1)[1])
    assert found["manager_partnership"] == found["partnership"]
    assert found["manager_is_business_unit"] and found["lead_is_agency_lead"]
    assert found["manager_sees"] == found["cases"] > 20
    for year, reference in found["next"].items():
        if int(year) in counters:  # the old prefix and the old count, continued
            assert reference == f"RR-{year}-{counters[int(year)] + 1:04d}", "the reference count continues"
        else:  # a new year starts the partnership's own count
            assert reference.endswith(f"-{year}-0001"), reference

