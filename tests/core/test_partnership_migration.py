"""Issue 18 §8 and issue 22: a database from before partnerships migrates into one partnership with nothing lost.

The strongest proof there is: the previous release itself (``PREVIOUS_RELEASE``, checked out of git into a
temporary folder) migrates a new database and loads its demo, plus the rows its demo does not make (access log
entries, retention periods, a retention action, a retention proposal, a legal hold, an import mapping, a National
Panel liaison, a second year's reference counter). A copy of that database is then migrated by the current code,
and compared with what it held before: every table, every column that existed, every row. Then the current code
reads it: one partnership holds everything, the roles still work, and the next case reference continues the old
count.

The database is of the kind the suite runs on: a SQLite file by default; PostgreSQL when ``DATABASE_URL`` names
one (CI, production), as two databases of its own next to it (``<name>_<xdist worker>_prev_release`` and
``..._migrated``), dropped afterwards. PostgreSQL matters: there the change history is append-only
(rapidreview.audit.protection), and SQLite rebuilds whole tables where PostgreSQL alters them in place.

Both releases run in subprocesses (each with its own code on ``sys.path``), never in the test's own database.
Nothing is downloaded: the previous release comes from the local git history, so a full clone is needed (without
that commit the tests skip, except in CI, where they fail).
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
# main as partnerships were merged into it (c17d42e): the release an installation upgrades from. Its migrations are
# those of 6d8cbda, the last commit before partnerships; it adds backups and the maintenance page (issue 22).
# One xdist worker runs the whole file (Makefile, --dist loadgroup): its databases are built once.
pytestmark = pytest.mark.xdist_group("migration")
PREVIOUS_RELEASE = "ece3ad945fd7a5b4cd15dd0f60abe05067da55b6"
GIT = shutil.which("git") or ""
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}

# Tables a migration may legitimately grow: Django's own bookkeeping of migrations, models and permissions.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}
# Rows the previous release's demo does not make, written with its own models.
EXTRAS = """
import datetime, uuid
from django.utils import timezone
from rapidreview.accounts.models import User
from rapidreview.audit.models import (AccessAction, AccessLog, LegalHold, RecordType, RetentionAction,
                                      RetentionProposal, RetentionRule)
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
RetentionRule.objects.create(record_type=RecordType.NOT_MET, years_after_closure=7, basis="Seven years, locally.")
RetentionRule.for_type(RecordType.RAPID_REVIEW)
RetentionAction.objects.create(case_id=uuid.uuid4(), reference="RR-2018-0003", kind=RetentionAction.Kind.DELETED,
                               by=manager)
ImportColumnMapping.objects.create(heading="owner (agency)", field="agency", updated_by=manager)
liaison = NationalPanelLiaison.objects.create(liaised_on=datetime.date(2026, 3, 2), recorded_by=manager,
                                              contact="Sam Okafor with the Panel secretariat",
                                              timelines_agreed="One rapid review for both notifications.")
liaison.cases.add(*cases[:2])
ReferenceCounter.objects.get_or_create(year=2019, defaults={"last": 41})
print("extras written")
"""


@dataclass(frozen=True)
class Database:
    """One database of the comparison: its URL for manage.py, and plain DB-API reads (``?`` placeholders)."""

    url: str
    path: Path | None = None  # a SQLite file; None for PostgreSQL

    @property
    def name(self) -> str:
        return unquote(urlsplit(self.url).path.lstrip("/"))

    @contextmanager
    def reader(self):
        """``read(sql, params)``: every row, with PostgreSQL's ``memoryview`` values as ``bytes``."""
        if self.path is not None:
            connection = sqlite3.connect(self.path)
        else:
            import psycopg2

            connection = psycopg2.connect(_libpq(self.url))
            connection.autocommit = True
        with closing(connection):
            def read(sql: str, params=()) -> list[tuple]:
                cursor = connection.cursor()
                cursor.execute(sql if self.path is not None else sql.replace("?", "%s"), params)
                return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cursor.fetchall()]

            yield read

    def tables(self) -> dict[str, list[str]]:
        """Every table, with its columns in order."""
        with self.reader() as read:
            if self.path is not None:
                names = [r[0] for r in read("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
                return {name: [c[1] for c in read(f'PRAGMA table_info("{name}")')] for name in names}
            tables: dict[str, list[str]] = {}
            for table, column in read(
                    "SELECT c.relname, a.attname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.relkind = 'r' AND n.nspname = current_schema() "
                    "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum"):
                tables.setdefault(table, []).append(column)
            return tables

    def rows(self, table: str, columns: list[str]) -> list[tuple]:
        quoted = ", ".join(f'"{c}"' for c in columns)
        with self.reader() as read:
            return sorted(read(f'SELECT {quoted} FROM "{table}"'), key=repr)  # noqa: S608 - names from the catalogue


def _libpq(url: str) -> str:
    """A URL libpq reads: django-environ's scheme aliases are all ``postgresql``."""
    return "postgresql" + url[url.index("://"):]


def _suite_postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if urlsplit(url).scheme in POSTGRES_SCHEMES else None


def _postgres_admin(url: str, *statements: str) -> None:
    """Run statements in the server's ``postgres`` database (CREATE and DROP DATABASE cannot run in the target)."""
    import psycopg2

    with closing(psycopg2.connect(_libpq(urlsplit(url)._replace(path="/postgres").geturl()))) as connection:
        connection.autocommit = True
        cursor = connection.cursor()
        for statement in statements:
            cursor.execute(statement)


def _new_database(folder: Path, label: str, template: Database | None = None) -> Database:
    """An empty database (or a copy of ``template``) of the kind the suite runs on."""
    suite_url = _suite_postgres_url()
    if suite_url is None:
        path = folder / f"{label}.sqlite3"
        if template is not None:
            path.write_bytes(template.path.read_bytes())
        return Database(f"sqlite:///{path}", path)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # one set of databases per xdist worker
    name = f"{Database(suite_url).name[:36]}_{worker}_{label}"
    database = Database(urlsplit(suite_url)._replace(path=f"/{name}").geturl())
    copy = f' TEMPLATE "{template.name}"' if template is not None else ""
    _postgres_admin(suite_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"{copy}')
    return database


def _drop(database: Database) -> None:
    if database.path is None:
        _postgres_admin(database.url, f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')


def _env(database: Database, var: Path) -> dict:
    """The environment of one release's manage.py: its own database and folders, no shared services."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "MEDIA_ROOT", "DJANGO_SETTINGS_MODULE",
                        "PYTHONPATH"}}
    env.update(DATABASE_URL=database.url, RAPIDREVIEW_VAR_DIR=str(var), MEDIA_ROOT=str(var / "uploads"),
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


def _previous_release_code(folder: Path) -> Path:
    """The previous release's files, from the local git history (no network)."""
    found = _git("cat-file", "-e", f"{PREVIOUS_RELEASE}^{{commit}}") if GIT else None
    if found is None or found.returncode != 0:
        why = "git is not installed" if found is None else found.stderr.decode(errors="replace").strip()
        message = (f"the previous release, commit {PREVIOUS_RELEASE}, is not in this checkout ({why}). "
                   "It needs a full clone: `git fetch --unshallow` for a shallow one.")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    archive = _git("archive", PREVIOUS_RELEASE)
    assert archive.returncode == 0, archive.stderr
    code = folder / "code"
    code.mkdir()
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
            tar.extractall(code, filter="data")
        else:
            tar.extractall(code)  # noqa: S202 - our own git history
    return code


@pytest.fixture(scope="session")  # built once per run (and per xdist worker), however the tests are spread
def previous_release_db(tmp_path_factory):
    """A database made by the previous release: migrated, its demo loaded, and the extra rows written."""
    base = tmp_path_factory.mktemp("previous_release")
    code = _previous_release_code(base)
    database = _new_database(base, "prev_release")
    try:
        env = _env(database, base / "var")
        _manage(code, env, "migrate", "--noinput", "--skip-checks")
        assert "Demo data loaded" in _manage(code, env, "load_demo")
        assert "extras written" in _manage(code, env, "shell", "-c", EXTRAS)
        yield database
    finally:
        _drop(database)


@pytest.fixture(scope="session")  # built once per run (and per xdist worker), however the tests are spread
def migrated(previous_release_db, tmp_path_factory):
    """(the previous release's database untouched, a copy of it migrated by the current code)."""
    base = tmp_path_factory.mktemp("migrated")
    database = _new_database(base, "migrated", template=previous_release_db)
    try:
        env = _env(database, base / "var")
        _manage(ROOT, env, "migrate", "--noinput", "--skip-checks")
        _manage(ROOT, env, "migrate", "--check", "--skip-checks")  # fails if any migration is left unapplied
        # Two different databases, only one of them migrated: else every comparison below would hold trivially.
        assert "slug" not in previous_release_db.tables()["accounts_partnership"], "the old database was migrated"
        assert "slug" in database.tables()["accounts_partnership"], "the copy was not migrated"
        yield previous_release_db, database
    finally:
        _drop(database)


def test_the_previous_release_made_a_realistic_database(previous_release_db):
    """The comparison below means something only if the old database holds every kind of row."""
    counts = {}
    with previous_release_db.reader() as read:
        for table in ("accounts_user", "accounts_roleassignment", "accounts_agency", "accounts_partnership",
                      "accounts_historicalpartnership", "accounts_historicalroleassignment", "referrals_case",
                      "referrals_historicalcase", "referrals_referencecounter", "clocks_clock",
                      "clocks_nonworkingday", "actionplan_action", "actionplan_actionupdate", "themes_theme",
                      "themes_casetheme", "themes_learningitem", "notifications_notification", "audit_accesslog",
                      "referrals_cdopdiscussion", "decisions_decisionsheet", "agencychecks_agencycheckform",
                      "panels_panel", "panels_nationalpanelliaison", "actionplan_importcolumnmapping",
                      "actionplan_workinggroupmeeting", "audit_retentionproposal", "audit_legalhold",
                      "audit_retentionrule", "audit_historicalretentionrule", "audit_retentionaction"):
            counts[table] = read(f'SELECT COUNT(*) FROM "{table}"')[0][0]  # noqa: S608 - fixed table names
    empty = sorted(table for table, n in counts.items() if n == 0)
    assert not empty, f"the previous release's demo made no rows in {empty}"
    assert counts["accounts_partnership"] == 1


def test_every_row_of_every_table_survives_the_migration(migrated):
    before, after = migrated
    old_tables, new_tables = before.tables(), after.tables()
    lost_tables = sorted(set(old_tables) - set(new_tables) - {"referrals_referencecounter"})
    assert not lost_tables, f"the migration dropped {lost_tables}"
    problems, compared = [], {}
    for table, columns in old_tables.items():
        if table in BOOKKEEPING or table == "referrals_referencecounter":
            continue
        gone = sorted(set(columns) - set(new_tables[table]))
        if gone:
            problems.append(f"{table}: columns {gone} were dropped")
            continue
        old_rows, new_rows = before.rows(table, columns), after.rows(table, columns)
        compared[table] = len(old_rows)
        if old_rows != new_rows:
            problems.append(f"{table}: {len(old_rows)} rows before, {len(new_rows)} after, or their values changed")
    for table in ("django_content_type", "auth_permission", "django_migrations"):  # may only grow
        columns = [c for c in old_tables[table] if c != "id"]
        missing = set(before.rows(table, columns)) - set(after.rows(table, columns))
        if missing:
            problems.append(f"{table}: lost {len(missing)} rows")
    assert not problems, "\n".join(problems)
    # Not vacuous: many rows, in tables of every app, history included.
    assert sum(compared.values()) > 2000, f"only {sum(compared.values())} rows compared"
    filled = {table for table, n in compared.items() if n}
    apps = ("accounts", "referrals", "clocks", "actionplan", "themes", "audit", "decisions", "agencychecks", "panels")
    for app in (*apps, "notifications"):  # notifications keep no change history
        assert any(t.startswith(f"{app}_") and "_historical" not in t for t in filled), f"no {app} rows compared"
    for app in apps:
        assert any(t.startswith(f"{app}_historical") for t in filled), f"no {app} history compared"


def test_the_reference_counters_move_to_the_one_partnership_unchanged(migrated):
    before, after = migrated
    old = before.rows("referrals_referencecounter", ["year", "last"])
    with after.reader() as read:
        (partnership_id,) = read("SELECT id FROM accounts_partnership")[0]
    new = after.rows("referrals_referencecounter", ["partnership_id", "year", "last"])
    assert new == sorted(((partnership_id, year, last) for year, last in old), key=repr)
    assert len(old) >= 2  # the demo's years and the extra 2019 counter


def test_everything_a_partnership_owns_belongs_to_the_one_partnership(migrated):
    """Every row of every table with a ``partnership`` column is the one partnership's; history (append-only)
    and the access log keep what they recorded, with the new columns empty."""
    _, after = migrated
    # ADR 0015: the reader's partnership was not recorded before; both tables are append-only.
    left_empty = {"audit_accesslog", "audit_retentionaction"}
    problems, owned, history = [], {}, {}
    with after.reader() as read:
        assert read("SELECT COUNT(*) FROM accounts_partnership")[0][0] == 1
        (partnership_id, slug) = read("SELECT id, slug FROM accounts_partnership")[0]
        for table, columns in after.tables().items():
            if "partnership_id" not in columns:
                continue
            total, mine, empty = read(
                f'SELECT COUNT(*), COALESCE(SUM(CASE WHEN partnership_id = ? THEN 1 ELSE 0 END), 0), '  # noqa: S608 - names from the catalogue
                f'COUNT(*) - COUNT(partnership_id) FROM "{table}"', [partnership_id])[0]
            if "_historical" in table:
                history[table] = total
                if empty != total:
                    problems.append(f"{table}: {total - empty} history rows were given a partnership")
                continue
            owned[table] = total
            if table in left_empty:
                if empty != total:
                    problems.append(f"{table}: {total - empty} old rows were given a partnership")
            elif mine != total:
                problems.append(f"{table}: {total - mine} of {total} rows are not the partnership's")
        agencies = read("SELECT COUNT(*) FROM accounts_agency")[0][0]
        in_arrangements = read("SELECT COUNT(*) FROM accounts_partnership_agencies WHERE partnership_id = ?",
                               [partnership_id])[0][0]
        old_versions, with_slug = read("SELECT COUNT(*), COUNT(slug) FROM accounts_historicalpartnership")[0]
    assert not problems, "\n".join(problems)
    for table in ("referrals_case", "accounts_roleassignment", "themes_theme", "themes_learningitem",
                  "actionplan_action", "clocks_clock", "clocks_nonworkingday", "notifications_notification",
                  "referrals_cdopdiscussion", "panels_nationalpanelliaison", "actionplan_importcolumnmapping",
                  "actionplan_workinggroupmeeting", "referrals_referencecounter", "audit_accesslog",
                  "audit_retentionrule", "audit_retentionaction", "panels_panel"):
        assert owned.get(table), f"{table} has no partnership column or no rows"
    for table in ("referrals_historicalcase", "accounts_historicalroleassignment", "actionplan_historicalaction",
                  "audit_historicalretentionrule", "panels_historicalpanel"):
        assert history.get(table), f"{table} has no partnership column or no rows"
    assert in_arrangements == agencies, "every agency took part in the one partnership's arrangements"
    # The partnership has its slug; the versions of it recorded before slugs existed keep theirs empty.
    assert slug
    assert old_versions and with_slug == 0, f"{with_slug} of {old_versions} old versions were given a slug"


# Run by the current code on the migrated database: what its people and rules make of the old data.
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


def test_the_current_code_reads_the_old_data_as_one_partnership(migrated, tmp_path):
    before, after = migrated
    counters = dict(before.rows("referrals_referencecounter", ["year", "last"]))
    probe = PROBE.replace("{years}", repr([*sorted(counters), 2099]))
    output = _manage(ROOT, _env(after, tmp_path / "var-probe"), "shell", "-c", probe)
    found = json.loads(output.split("PROBE", 1)[1])
    assert found["manager_partnership"] == found["partnership"]
    assert found["manager_is_business_unit"] and found["lead_is_agency_lead"]
    assert found["manager_sees"] == found["cases"] > 20
    for year, reference in found["next"].items():
        if int(year) in counters:  # the old prefix and the old count, continued
            assert reference == f"RR-{year}-{counters[int(year)] + 1:04d}", "the reference count continues"
        else:  # a new year starts the partnership's own count
            assert reference.endswith(f"-{year}-0001"), reference
