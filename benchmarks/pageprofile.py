"""Where a benchmarked page spends its time: render it in-process on a generated database and profile it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapidreview_bench_national RAPIDREVIEW_ENV=test \
        .venv/bin/python benchmarks/pageprofile.py "dashboard business_unit" "case page" --repeat 20

For each named page (the names ``benchmarks/run.py`` prints; no name: every page) it signs in as the benchmark's
user for that page, requests it once to fill caches, then ``--repeat`` times, and prints the median wall time, the
CPU time of this process, the query count and the time spent in the database; ``--queries N`` the N slowest
statements. ``--pyinstrument`` adds a call tree of one more request (the profiler is a development dependency);
``--cprofile N`` the N most expensive functions by cumulative CPU time.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from benchmarks.prepare import authenticator_of, scenarios  # noqa: E402 - sets Django up
from rapidreview.accounts.models import User  # noqa: E402


def measure(client: Client, path: str, repeat: int) -> dict:
    client.get(path)
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    return {
        "slowest": slowest,
        "status": response.status_code,
        "median_ms": statistics.median(times) * 1000,
        "cpu_ms": statistics.median(cpu) * 1000,
        "queries": len(captured.captured_queries),
        "db_ms": sum(float(q["time"]) for q in captured.captured_queries) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="*")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--queries", type=int, default=0, metavar="N", help="print the N slowest queries")
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    for scenario in scenarios(1)["scenarios"]:
        if args.pages and scenario["name"] not in args.pages:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        if scenario["user"]:
            user = User.objects.get(email=scenario["user"])
            client.force_login(user)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = authenticator_of(user).persistent_id  # verified, as in production
            session.save()
        result = measure(client, scenario["path"], args.repeat)
        print(f"{scenario['name']:<32} {result['status']} {result['median_ms']:7.1f} ms median "
              f"({result['cpu_ms']:5.1f} ms CPU here), "
              f"{result['queries']:3d} queries, {result['db_ms']:6.1f} ms in the database   {scenario['path']}")
        for query in result["slowest"][:args.queries]:
            print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:400]}")
        if args.pyinstrument:
            from pyinstrument import Profiler

            with Profiler(interval=0.0005) as profiler:
                client.get(scenario["path"])
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        if args.cprofile:
            profile = cProfile.Profile(time.process_time)  # CPU time: other work on the machine does not blur it
            profile.runcall(client.get, scenario["path"])
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.cprofile)
            print(out.getvalue())


if __name__ == "__main__":
    main()
