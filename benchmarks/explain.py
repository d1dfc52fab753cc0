"""EXPLAIN ANALYZE the hot queries of every benchmarked page, on a generated database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapidreview_bench_national RAPIDREVIEW_ENV=test \
        .venv/bin/python benchmarks/explain.py > benchmarks/results/explain.md

Renders each page in-process (Django's test client, signed in as the benchmark's user for it), captures its SQL,
and for the slowest SELECTs of each page prints the plan PostgreSQL chose, abbreviated. A sequential scan over a
large table is flagged. Also explains the reminder sweep's queries.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.prepare import scenarios  # noqa: E402 - sets Django up
from rapidreview.accounts.models import User  # noqa: E402
from rapidreview.db import explain_sql  # noqa: E402

BIG_TABLES = ("referrals_case", "clocks_clock", "agencychecks_agencycheckform", "agencychecks_chronologyentry",
              "actionplan_action", "themes_casetheme", "referrals_referral", "referrals_caseevent",
              "panels_panelinvitation", "audit_accesslog")
TOP = 3
PLAN_LINES = 12


def plan(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(explain_sql(sql, "(ANALYZE, COSTS OFF, TIMING ON, SUMMARY ON)"))
        return [row[0] for row in cursor.fetchall()]


def flags(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        for table in BIG_TABLES:
            if "Seq Scan on " + table in line:
                out.append(f"sequential scan on {table}")
    return sorted(set(out))


def explain_page(name: str, email: str, path: str) -> list[str]:
    client = Client(HTTP_HOST="127.0.0.1")
    if email:
        client.force_login(User.objects.get(email=email))
    client.get(path)  # warm caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    queries = captured.captured_queries
    total = sum(float(q["time"]) for q in queries)
    out = [f"### {name}", "", f"`GET {path}` as {email or 'anyone'}: {response.status_code}, {len(queries)} queries, "
           f"{total * 1000:.1f} ms in the database.", ""]
    selects = [q for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    for query in sorted(selects, key=lambda q: -float(q["time"]))[:TOP]:
        lines = plan(query["sql"])
        warn = flags(lines)
        sql = query["sql"] if len(query["sql"]) < 300 else query["sql"][:297] + "..."
        out += [f"- {float(query['time']) * 1000:.1f} ms: `{sql}`" + (f" **{', '.join(warn)}**" if warn else ""),
                "", "  ```", *[f"  {line}" for line in lines[:PLAN_LINES]],
                *(["  ..."] if len(lines) > PLAN_LINES else []), "  ```", ""]
    return out


def explain_sweep() -> list[str]:
    from rapidreview.clocks.models import Clock, ClockState
    from rapidreview.clocks.services import ACTIVE_STATES

    today = timezone.localdate()
    due = (Clock.objects.filter(state__in=ACTIVE_STATES, next_reminder_on__lte=today)
           .order_by("next_reminder_on", "id").values_list("id", flat=True)[:1000])
    overdue = Clock.objects.filter(state=ClockState.RUNNING, due_on__lt=today).values_list("id", flat=True)
    out = ["### Reminder sweep", ""]
    for label, qs in (("clocks due a reminder", due), ("running clocks past their due date", overdue)):
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            text = cursor.mogrify(sql, params).decode()
        lines = plan(text)
        out += [f"- {label}: `{text[:250]}`", "", "  ```", *[f"  {line}" for line in lines[:PLAN_LINES]], "  ```", ""]
    return out


def main() -> None:
    out = ["## Query plans", "", f"On `{connection.settings_dict['NAME']}`, {timezone.now():%d %B %Y %H:%M} UTC.", ""]
    for scenario in scenarios(1)["scenarios"]:
        if scenario["name"] == "floor":
            continue
        out += explain_page(scenario["name"], scenario["user"], scenario["path"])
    out += explain_sweep()
    print("\n".join(out))


if __name__ == "__main__":
    main()
