"""In-process budgets, one per fresh process: the reminder sweep, the decision sheet PDF and the panel pack PDF.

Run by ``benchmarks/run.py`` with the benchmark database in DATABASE_URL; prints one JSON object. Each mode runs
in its own process so that the peak resident memory it reports (Linux ``VmHWM``) is that work's alone, on top
of a loaded Django: that is why each mode imports what it measures inside its own function.

    python benchmarks/inprocess.py sweep | sheet-pdf | pack-pdf
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils import timezone  # noqa: E402


def peak_rss_mb(pid: str = "self") -> float:
    """The highest resident memory this process has had (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class QueryCounter:
    """Counts the statements and keeps each one's time, so that a slow run says which statement was slow."""

    def __init__(self):
        self.count = 0
        self.timings: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timings.append((time.perf_counter() - start, sql))

    def slowest(self, n: int = 5) -> list[str]:
        return [f"{seconds * 1000:.1f} ms {sql[:120]}" for seconds, sql in sorted(self.timings, reverse=True)[:n]]

    @property
    def seconds(self) -> float:
        return sum(seconds for seconds, _ in self.timings)


SWEEP_DUE = 1000  # the budget: a sweep of 1,000 due reminders (issue 20)


def sweep() -> dict:
    from rapidreview.clocks.ladders import first_reminder_on
    from rapidreview.clocks.models import Clock, ClockState, Reminder
    from rapidreview.clocks.tasks import run_sweep
    from rapidreview.notifications import services as outbox
    from rapidreview.notifications.models import Notification
    from rapidreview.workdays import add_working_days

    outbox._enqueue = lambda *args, **kwargs: None  # the sweep, not the broker
    today = timezone.localdate()
    active_states = [ClockState.RUNNING, ClockState.OVERDUE]
    clocks = Clock.objects.count()
    active = Clock.objects.filter(state__in=active_states).count()
    due_q = Q(state__in=active_states, next_reminder_on__lte=today)
    # How many fall due today depends on the date the data was generated against: bring enough running clocks
    # (real ones, with their owners) to two working days before their deadline, where the first reminder is due
    # today, so that SWEEP_DUE are due; everything is put back afterwards.
    shortfall = max(0, SWEEP_DUE - Clock.objects.filter(due_q).count())
    brought = []
    for clock in (Clock.objects.filter(state=ClockState.RUNNING, next_reminder_on__gt=today)
                  .order_by("next_reminder_on", "id")[: shortfall * 3]):
        if len(brought) == shortfall:
            break
        clock.due_on, clock.next_step = add_working_days(today, 2, partnership=clock.partnership_id), 0
        clock.next_reminder_on = first_reminder_on(clock)
        if clock.next_reminder_on and clock.next_reminder_on <= today:
            brought.append(clock)
    # The sweep changes the clocks it reminds about and writes the outbox; put both back afterwards, so that a
    # run with --reuse measures the same first sweep of the day again.
    fields = ["state", "due_on", "next_step", "next_reminder_on", "updated_at"]
    touched = list(Clock.objects.filter(due_q | Q(pk__in=[c.pk for c in brought])
                                        | Q(state=ClockState.RUNNING, due_on__lt=today)).only("id", *fields))
    Clock.objects.bulk_update(brought, ["due_on", "next_step", "next_reminder_on"], batch_size=1000)
    due = Clock.objects.filter(due_q).count()
    started_at = timezone.now()
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        result = run_sweep(today)
        seconds = time.perf_counter() - start
    Clock.objects.bulk_update(touched, fields, batch_size=1000)
    Reminder.objects.filter(created_at__gte=started_at).delete()
    Notification.objects.filter(created_at__gte=started_at).delete()
    return {"clocks": clocks, "active": active, "due_before": due, "brought_forward": len(brought),
            "seconds": round(seconds, 3), "queries": counter.count, "result": result,
            "sql_seconds": round(counter.seconds, 3), "slowest_statements": counter.slowest(),
            "peak_rss_mb": round(peak_rss_mb(), 1), "restored_clocks": len(touched)}


def sheet_pdf() -> dict:
    import weasyprint  # noqa: F401 - loaded once per worker; not part of one render

    from decisions.document import render_sheet_pdf
    from decisions.models import DecisionSheet

    sheet = (DecisionSheet.objects.exclude(current=None).select_related("case", "current")
             .order_by("-updated_at").first())
    if sheet is None:
        return {"skipped": "no decision sheet with a version in this database"}
    timings = []
    size = 0
    for _ in range(3):
        start = time.perf_counter()
        size = len(render_sheet_pdf(sheet, sheet.current))
        timings.append(round(time.perf_counter() - start, 3))
    return {"case": sheet.case.reference, "seconds_first": timings[0], "seconds": min(timings),
            "seconds_all": timings, "bytes": size, "peak_rss_mb": round(peak_rss_mb(), 1)}


def pack_pdf() -> dict:
    import weasyprint  # noqa: F401

    from agencychecks import selectors
    from agencychecks.models import FormStatus
    from agencychecks.views.pack import pack_pdf_bytes
    from referrals.models import Case, Stage

    baseline = peak_rss_mb()
    case = (Case.objects.filter(stage=Stage.RAPID_REVIEW)
            .annotate(n=Count("agency_forms", filter=Q(agency_forms__status=FormStatus.ACCEPTED)))
            .filter(n__gte=1).order_by("-n", "-created_at").first())
    if case is None:
        return {"skipped": "no case with accepted forms"}
    start = time.perf_counter()
    forms = list(selectors.accepted_forms(case))
    chronology = sum(f.chronology.count() for f in forms)
    pdf = pack_pdf_bytes(case, forms, base_url="http://127.0.0.1/")
    seconds = time.perf_counter() - start
    return {"case": case.reference, "forms": len(forms), "chronology_rows": chronology, "seconds": round(seconds, 3),
            "bytes": len(pdf), "baseline_rss_mb": round(baseline, 1), "peak_rss_mb": round(peak_rss_mb(), 1)}


MODES = {"sweep": sweep, "sheet-pdf": sheet_pdf, "pack-pdf": pack_pdf}

if __name__ == "__main__":
    print(json.dumps(MODES[sys.argv[1]](), default=str))
