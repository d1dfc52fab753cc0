"""Benchmark: one reminder sweep over many running clocks on PostgreSQL. Not a test; figures go in
docs/performance.md.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE rapidreview_bench"
    .venv/bin/python benchmarks/sweep.py --clocks 100000 --due 1000
    psql -h 127.0.0.1 -U postgres -c "DROP DATABASE rapidreview_bench"

It empties the clock and outbox tables of the database it is given (DATABASE_URL, default the scratch database
above), creates the clocks with bulk_create, and times the sweep three ways: with nothing due, with ``--due``
clocks due, and again straight after (everything already sent). Delivery is not queued: this measures the sweep.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rapidreview_bench")
os.environ.setdefault("RAPIDREVIEW_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapidreview.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from rapidreview.accounts.models import Agency, Partnership, Role, RoleAssignment, User  # noqa: E402
from rapidreview.clocks.ladders import first_reminder_on  # noqa: E402
from rapidreview.clocks.models import Clock, ClockKind, ClockState  # noqa: E402
from rapidreview.clocks.tasks import run_sweep  # noqa: E402
from rapidreview.notifications import services as outbox  # noqa: E402
from rapidreview.notifications.models import Notification  # noqa: E402
from rapidreview.workdays import add_working_days  # noqa: E402


def setup(total: int, due: int, today: datetime.date) -> None:
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL (DATABASE_URL=postgres://...).")
    for app in ("clocks", "notifications"):
        call_command("migrate", app, verbosity=0)
    Notification.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE clocks_clock, clocks_historicalclock, clocks_clockchange")
    agency, _ = Agency.objects.get_or_create(name="Benchmark agency", defaults={"type": "other"})
    partnership = Partnership.objects.order_by("pk").first()  # the one the migrations made
    for email, role in (("bench.bu@example.test", Role.BUSINESS_UNIT), ("bench.chair@example.test", Role.RR_CHAIR)):
        user, _ = User.objects.get_or_create(email=email, defaults={"full_name": email})
        RoleAssignment.objects.get_or_create(user=user, role=role, partnership=partnership,
                                             starts_on=datetime.date(2020, 1, 1))
    agency_type = ContentType.objects.get_for_model(Agency)
    # Clocks due across the next year (none owes a reminder today) plus ``due`` clocks whose first step is today.
    later = [add_working_days(today, 10 + n) for n in range(250)]
    soon = add_working_days(today, 2)
    batch = []
    for n in range(total):
        is_due = n < due
        clock = Clock(kind=ClockKind.AGENCY_FORM, subject_type=agency_type, subject_id=agency.pk,
                      partnership=partnership, started_on=today - datetime.timedelta(days=5),
                      due_on=soon if is_due else later[n % 250], state=ClockState.RUNNING,
                      reference=f"RR-BENCH-{n:06d}")
        clock.next_reminder_on = first_reminder_on(clock)
        batch.append(clock)
        if len(batch) == 5000:
            Clock.objects.bulk_create(batch)
            batch = []
    Clock.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clocks_clock")


def timed(label: str, today: datetime.date) -> dict:
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        result = run_sweep(today)
        seconds = time.perf_counter() - start
    figures = {"run": label, "seconds": round(seconds, 3), "queries": count[0], **result}
    print(figures)
    return figures


def explain(today: datetime.date) -> str:
    query = Clock.objects.filter(state__in=["running", "overdue"], next_reminder_on__lte=today).values_list("id")
    return query[:1000].explain()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clocks", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    args = parser.parse_args()
    today = datetime.date.today()
    outbox._enqueue = lambda *args, **kwargs: None  # measure the sweep, not the broker

    setup(args.clocks, 0, today)
    print(f"{Clock.objects.count()} running clocks, none due")
    timed("nothing due", today)
    setup(args.clocks, args.due, today)
    print(f"{Clock.objects.count()} running clocks, {args.due} due")
    timed(f"{args.due} due", today)
    timed("again, all sent", today)
    print(explain(today))
    print(f"Outbox rows: {Notification.objects.count()}")


if __name__ == "__main__":
    main()
