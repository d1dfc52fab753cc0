"""The benchmark harness: national-scale data, gunicorn on PostgreSQL, key pages under load, budgets checked.

    .venv/bin/python benchmarks/run.py                    # both profiles: national (20,000 cases) and small (200)
    .venv/bin/python benchmarks/run.py --reuse            # keep databases that already hold generated data
    .venv/bin/python benchmarks/run.py --quick            # a short smoke run while changing the harness

For each profile it creates and migrates a scratch database (<--database-prefix>_<profile>, by default
rapidreview_bench_<profile>, on the local
PostgreSQL), runs ``manage.py generate_national_data``, collects static files into a temporary folder, starts
gunicorn with production settings (HTTPS redirects and secure cookies off: this is plain HTTP on 127.0.0.1) and
signs in one user per role through the real sign-in form. The clients then use sessions made beforehand, one per
client, exactly as the sign-in view leaves them. Every page is measured at each concurrency on both profiles,
one after the other, so that the comparison between them sees the same machine load. Then, in fresh processes,
the reminder sweep and the two PDFs are timed and their memory measured.

Prints a table with ratios to the floor (the health check through the same stack), writes
benchmarks/results/<timestamp>.json and .md, and exits 1 naming every budget that failed (budgets: see
docs/performance.md). Not part of CI.
"""

import argparse
import datetime
import html
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import driver  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RESULTS = ROOT / "benchmarks" / "results"
PG = "postgres://postgres@127.0.0.1:5432"
BENCH_PASSWORD = "benchmark-only-password"  # noqa: S105 - the generator's throwaway accounts, never production

PROFILES = {
    "national": [],  # the generator's defaults: 20,000 cases over 10 years
    "small": ["--small"],  # 200 cases: the baseline for "as fast when the data is 100 times bigger"
}

BUDGET_FLOOR_RATIO = 10.0
BUDGET_SCALE_RATIO = 1.3
BUDGET_SWEEP_S = 5.0
BUDGET_SHEET_PDF_S = 2.0
BUDGET_PACK_PDF_S = 10.0
BUDGET_WORKER_RSS_MB = 300.0
BUDGET_PACK_RSS_MB = 600.0
KEY_PAGES_EXCLUDED = {"floor", "admin case changelist"}


def log(message: str) -> None:
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def base_env(static_root: str, secret: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RAPIDREVIEW_", "DATABASE_"))}
    env.update({
        "RAPIDREVIEW_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "SECRET_KEY": secret,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "MFA_REQUIRED": "false",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14",
        "LOG_LEVEL": "WARNING",
        "BENCH_STATIC_ROOT": static_root,
        "RAPIDREVIEW_VAR_DIR": str(Path(static_root).parent / "var"),
        "MEDIA_ROOT": str(Path(static_root).parent / "media"),
        "PYTHONPATH": str(ROOT),
    })
    return env


DATABASE_PREFIX = "rapidreview_bench"  # set by --database-prefix


def database_name(profile: str) -> str:
    return f"{DATABASE_PREFIX}_{profile}"


def database_url(profile: str) -> str:
    return f"{PG}/{database_name(profile)}"


def psql(sql: str, db: str = "postgres") -> str:
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-tAc", sql],  # noqa: S603, S607
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def manage(env: dict, *args: str, timeout: float = 900) -> str:
    out = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,  # noqa: S603
                         timeout=timeout)
    if out.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    return out.stdout


def prepare_database(profile: str, env: dict, *, reuse: bool, seed: int, extra: list[str]) -> dict:
    name = database_name(profile)
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"  # noqa: S608 - our own name
    populated = exists and psql("SELECT to_regclass('referrals_case') IS NOT NULL", name) == "t" and \
        int(psql("SELECT count(*) FROM referrals_case", name) or 0) > 0  # noqa: S608 - our own table names
    info = {"database": name, "generated": False}
    if reuse and populated:
        log(f"{profile}: reusing {name}")
        manage(env, "migrate", "--noinput", "-v0")
        psql("VACUUM (ANALYZE)", name)  # what autovacuum would have done since (new indexes, earlier runs)
        return info
    if exists:
        psql(f"DROP DATABASE {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name}")
    log(f"{profile}: migrating {name}")
    manage(env, "migrate", "--noinput", "-v0")
    log(f"{profile}: generating data ({' '.join(PROFILES[profile] + extra) or 'national defaults'})")
    start = time.perf_counter()
    output = manage(env, "generate_national_data", "--force", "--seed", str(seed), "--password", BENCH_PASSWORD,
                    *PROFILES[profile], *extra, timeout=1800)
    info.update(generated=True, generate_seconds=round(time.perf_counter() - start, 1),
                generate_output=output.strip().splitlines()[-12:])
    log(f"{profile}: generated in {info['generate_seconds']} s")
    return info


def table_counts(name: str) -> dict:
    tables = ["accounts_partnership", "referrals_case", "referrals_caseparticipation", "referrals_referral",
              "clocks_clock", "accounts_user", "agencychecks_agencycheckform", "agencychecks_chronologyentry",
              "actionplan_action", "actionplan_actionupdate", "themes_casetheme", "panels_panel",
              "panels_conflictofinterest", "decisions_decisionsheet"]
    counts = {}
    for table in tables:
        if psql(f"SELECT to_regclass('{table}') IS NOT NULL", name) == "t":
            counts[table] = int(psql(f"SELECT count(*) FROM {table}", name))  # noqa: S608 - fixed list
    return counts


class Server:
    """One gunicorn master with N sync workers (the Dockerfile's command), started and stopped by the harness."""

    def __init__(self, env: dict, port: int, workers: int, logfile: Path):
        self.port = port
        self.logfile = logfile.open("w")
        self.proc = subprocess.Popen(  # noqa: S603 - our own gunicorn
            [GUNICORN, "rapidreview.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             "--timeout", "60", "--chdir", str(ROOT)],
            cwd=ROOT, env=env, stdout=self.logfile, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            client = driver.Client("127.0.0.1", self.port, None, 5)
            if self.proc.poll() is not None:
                sys.exit(f"gunicorn on {self.port} exited; see {self.logfile.name}")
            try:
                status, _, _ = client.get("/healthz")
                if status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            client.close()
            time.sleep(0.5)
        sys.exit(f"gunicorn on {self.port} did not answer /healthz in {timeout} s; see {self.logfile.name}")

    def worker_pids(self) -> list[int]:
        import psutil

        try:
            return [c.pid for c in psutil.Process(self.proc.pid).children()]
        except psutil.NoSuchProcess:
            return []

    def worker_memory(self) -> dict:
        """Peak (VmHWM) and current (VmRSS) resident memory of each worker, in MB."""
        out = []
        for pid in self.worker_pids():
            fields = {}
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    key, _, value = line.partition(":")
                    if key in ("VmHWM", "VmRSS"):
                        fields[key] = round(int(value.split()[0]) / 1024, 1)
            except FileNotFoundError:
                continue
            out.append({"pid": pid, "peak_mb": fields.get("VmHWM"), "rss_mb": fields.get("VmRSS")})
        return {"workers": out, "max_peak_mb": max((w["peak_mb"] or 0 for w in out), default=None)}

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the master we started; it stops its own workers
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.logfile.close()


def sign_in_check(port: int, email: str) -> dict:
    """Sign in through the real form (CSRF token, password, redirect) and open the dashboard with that session."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.perf_counter()
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    body = response.read().decode()
    cookies = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key] = rest.split(";", 1)[0]
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not match:
        return {"email": email, "ok": False, "error": f"no CSRF token on the sign-in page ({response.status})"}
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": html.unescape(match.group(1)), "username": email,
                                   "password": BENCH_PASSWORD})
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/accounts/login/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    response = conn.getresponse()
    response.read()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key] = rest.split(";", 1)[0]
    conn.close()
    if response.status != 302:
        return {"email": email, "ok": False, "error": f"sign-in answered {response.status}"}
    client = driver.Client("127.0.0.1", port, "; ".join(f"{k}={v}" for k, v in cookies.items()), 30)
    status, _, location = client.get("/")
    client.close()
    return {"email": email, "ok": status == 200, "status": status, "location": location,
            "seconds": round(time.perf_counter() - start, 3)}


def inprocess(env: dict, mode: str) -> dict:
    start = time.perf_counter()
    out = subprocess.run([PYTHON, "benchmarks/inprocess.py", mode], cwd=ROOT, env=env,  # noqa: S603
                         capture_output=True,
                         text=True, timeout=600)
    if out.returncode:
        return {"error": (out.stderr or out.stdout)[-2000:]}
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["process_seconds"] = round(time.perf_counter() - start, 1)
    return data


def check_budgets(results: dict, profiles: list[str]) -> list[dict]:
    """Every budget of docs/performance.md, each with its figures and whether it passed."""
    budgets = []
    main = profiles[0]
    pages = results["pages"]

    def find(profile, name, concurrency):
        return next((p for p in pages if p["profile"] == profile and p["name"] == name
                     and p["concurrency"] == concurrency), None)

    for concurrency in results["concurrency"]:
        floor = find(main, "floor", concurrency)
        for page in [p for p in pages if p["profile"] == main and p["concurrency"] == concurrency]:
            if page["errors"]:
                budgets.append({"budget": f"{page['name']} at c={concurrency} answers 200 every time",
                                "ok": False, "figures": f"{page['errors']} errors: {page['error_samples']}"})
            if page["name"] in KEY_PAGES_EXCLUDED or not floor:
                continue
            limit = floor["p95_ms"] * BUDGET_FLOOR_RATIO
            budgets.append({"budget": f"{page['name']} p95 within {BUDGET_FLOOR_RATIO:g}x floor p95 "
                                      f"(c={concurrency}, {main})",
                            "ok": page["p95_ms"] <= limit,
                            "figures": f"{page['p95_ms']} ms vs limit {limit:.1f} ms"})
        case_list = find(main, "case list, filtered", concurrency)
        admin = find(main, "admin case changelist", concurrency)
        if case_list and admin:
            budgets.append({"budget": f"case list beats the admin changelist (c={concurrency}, {main})",
                            "ok": case_list["p95_ms"] < admin["p95_ms"],
                            "figures": f"p95 {case_list['p95_ms']} ms vs {admin['p95_ms']} ms"})
        if len(profiles) > 1:
            small = profiles[1]
            for page in [p for p in pages if p["profile"] == main and p["concurrency"] == concurrency]:
                if page["name"] in KEY_PAGES_EXCLUDED:
                    continue
                base = find(small, page["name"], concurrency)
                if not base:
                    continue
                ratio = page["p95_ms"] / base["p95_ms"] if base["p95_ms"] else float("inf")
                budgets.append({"budget": f"{page['name']} p95 at {main} within {BUDGET_SCALE_RATIO:g}x {small} "
                                          f"(c={concurrency})",
                                "ok": ratio <= BUDGET_SCALE_RATIO,
                                "figures": f"{page['p95_ms']} ms vs {base['p95_ms']} ms: {ratio:.2f}x"})
    sweep = results.get("sweep") or {}
    if "seconds" in sweep:
        budgets.append({"budget": f"reminder sweep over {sweep['clocks']:,} clocks under {BUDGET_SWEEP_S:g} s",
                        "ok": sweep["seconds"] < BUDGET_SWEEP_S,
                        "figures": f"{sweep['seconds']} s, {sweep['queries']} queries, {sweep['result']}"})
    elif sweep:
        budgets.append({"budget": "reminder sweep measured", "ok": False, "figures": str(sweep)[:300]})
    for key, label, limit in (("sheet_pdf", "decision sheet PDF", BUDGET_SHEET_PDF_S),
                              ("pack_pdf", "panel pack PDF", BUDGET_PACK_PDF_S)):
        data = results.get(key) or {}
        if "seconds" in data:
            extra = f", {data['forms']} forms, {data['chronology_rows']} chronology rows" if "forms" in data else ""
            budgets.append({"budget": f"{label} under {limit:g} s", "ok": data["seconds"] < limit,
                            "figures": f"{data['seconds']} s (first render {data.get('seconds_first', '-')} s){extra}"})
        elif data:
            budgets.append({"budget": f"{label} measured", "ok": False, "figures": str(data)[:300]})
    pack = results.get("pack_pdf") or {}
    if "peak_rss_mb" in pack:
        budgets.append({"budget": f"panel pack rendering peaks under {BUDGET_PACK_RSS_MB:g} MB",
                        "ok": pack["peak_rss_mb"] < BUDGET_PACK_RSS_MB,
                        "figures": f"{pack['peak_rss_mb']} MB peak (Django loaded: {pack['baseline_rss_mb']} MB)"})
    for profile, memory in results.get("worker_memory", {}).items():
        if memory.get("max_peak_mb") is not None:
            budgets.append({"budget": f"gunicorn worker peak RSS under {BUDGET_WORKER_RSS_MB:g} MB ({profile})",
                            "ok": memory["max_peak_mb"] < BUDGET_WORKER_RSS_MB,
                            "figures": f"{memory['max_peak_mb']} MB (workers: "
                                       f"{', '.join(str(w['peak_mb']) for w in memory['workers'])})"})
    return budgets


def markdown(results: dict, budgets: list[dict], profiles: list[str]) -> str:
    machine = results["machine"]
    lines = [f"Run {results['started_at']} to {results.get('finished_at', '')}: `{results['command']}`", "",
             f"Machine: {machine['cpus']} CPUs, {machine.get('memory_gb')} GB; load average (1, 5, 15 min) "
             f"{machine['load_before']} before the run, {machine.get('load_after')} after; gunicorn "
             f"{results['workers']} sync workers; PostgreSQL {machine.get('postgres')}.", ""]
    for profile in profiles:
        counts = results["profiles"][profile].get("counts", {})
        lines.append(f"- **{profile}**: " + ", ".join(f"{k.split('_', 1)[1]} {v:,}" for k, v in counts.items()))
    lines.append("")
    main, other = profiles[0], (profiles[1] if len(profiles) > 1 else None)
    rows = {(p["profile"], p["name"], p["concurrency"]): p for p in results["pages"]}
    header = f"| page | c | {main} p50 ms | {main} p95 ms | req/s | p95 ÷ floor p95 |"
    rule = "|---|---|---|---|---|---|"
    if other:
        header += f" {other} p95 ms | {main} ÷ {other} |"
        rule += "---|---|"
    lines += [header, rule]
    names = list(dict.fromkeys(p["name"] for p in results["pages"] if p["profile"] == main))
    for name in names:
        for c in results["concurrency"]:
            row = rows.get((main, name, c))
            if not row:
                continue
            line = (f"| {name} | {c} | {row['p50_ms']} | {row['p95_ms']} | {row['throughput_rps']} | "
                    f"{row.get('floor_ratio', '')} |")
            base = rows.get((other, name, c)) if other else None
            if other:
                ratio = round(row["p95_ms"] / base["p95_ms"], 2) if base and base["p95_ms"] else ""
                line += f" {base['p95_ms'] if base else ''} | {ratio} |"
            if row["errors"]:
                line += f" {row['errors']} errors"
            lines.append(line)
    lines += ["", "| budget | result | figures |", "|---|---|---|"]
    for budget in budgets:
        lines.append(f"| {budget['budget']} | {'met' if budget['ok'] else '**missed**'} | {budget['figures']} |")
    return "\n".join(lines) + "\n"


def main() -> None:  # noqa: C901 - one linear script, easier to follow in one place
    global DATABASE_PREFIX  # one setting for the whole run, read by the helpers above
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="national,small", help="comma-separated; the first is checked")
    parser.add_argument("--reuse", action="store_true", help="keep databases that already hold generated data")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (the Dockerfile's 3)")
    parser.add_argument("--port", type=int, default=8101, help="first port; one per profile")
    parser.add_argument("--concurrency", default="1,10")
    parser.add_argument("--requests", type=int, default=80, help="measured requests per page at concurrency 1")
    parser.add_argument("--requests-concurrent", type=int, default=150, help="measured requests at higher c")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--max-seconds", type=float, default=20, help="cap on one page's measurement")
    parser.add_argument("--only", default="", help="comma-separated page names to measure (debugging)")
    parser.add_argument("--skip-inprocess", action="store_true", help="no sweep and PDF measurements")
    parser.add_argument("--generate-args", default="", help="extra generator flags for every profile")
    parser.add_argument("--quick", action="store_true", help="few requests, concurrency 1 and 4")
    parser.add_argument("--database-prefix", default="rapidreview_bench",
                        help="scratch databases are <prefix>_<profile>, so that two runs need not share them")
    args = parser.parse_args()
    DATABASE_PREFIX = args.database_prefix
    if args.quick:
        args.requests, args.requests_concurrent, args.warmup, args.concurrency = 15, 20, 3, "1,4"
    profiles = [p for p in args.profiles.split(",") if p]
    concurrency = [int(c) for c in args.concurrency.split(",")]
    extra = args.generate_args.split()

    import psutil

    work = Path(tempfile.mkdtemp(prefix="rapidreview-bench-"))
    static_root = work / "static"
    secret = os.urandom(32).hex()
    env = base_env(str(static_root), secret)
    started = datetime.datetime.now(datetime.UTC)
    results = {
        "started_at": started.isoformat(timespec="seconds"), "command": " ".join(["benchmarks/run.py", *sys.argv[1:]]),
        "workers": args.workers, "concurrency": concurrency, "profiles": {}, "pages": [],
        "machine": {"cpus": os.cpu_count(), "load_before": [round(x, 2) for x in os.getloadavg()],
                    "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
                    "postgres": psql("SHOW server_version")},
    }
    servers: dict[str, Server] = {}
    envs: dict[str, dict] = {}
    try:
        for index, profile in enumerate(profiles):
            # As in production (docker-compose.yml): a Redis cache shared by the workers, one per profile.
            cache_db = 12 - index
            subprocess.run(["redis-cli", "-n", str(cache_db), "flushdb"], check=True, capture_output=True)  # noqa: S603, S607
            envs[profile] = {**env, "DATABASE_URL": database_url(profile),
                             "CACHE_URL": f"rediscache://127.0.0.1:6379/{cache_db}"}
            results["profiles"][profile] = prepare_database(profile, envs[profile], reuse=args.reuse, seed=args.seed,
                                                            extra=extra)
            results["profiles"][profile]["counts"] = table_counts(database_name(profile))
        log("collecting static files")
        manage(envs[profiles[0]], "collectstatic", "--noinput", "-v0")
        scenarios = {}
        for index, profile in enumerate(profiles):
            servers[profile] = Server(envs[profile], args.port + index, args.workers, work / f"gunicorn-{profile}.log")
        for profile in profiles:
            servers[profile].wait_ready()
            out = subprocess.run([PYTHON, "benchmarks/prepare.py", "--clients", str(max(concurrency))],  # noqa: S603
                                 cwd=ROOT,
                                 env=envs[profile], capture_output=True, text=True, timeout=300, check=False)
            if out.returncode:
                sys.exit(f"prepare.py failed for {profile}:\n{out.stderr[-3000:]}")
            if out.stderr.strip():
                log(f"{profile}: {out.stderr.strip()}")
            scenarios[profile] = {s["name"]: s for s in json.loads(out.stdout)["scenarios"]}
        main_profile = profiles[0]
        users = sorted({s["user"] for s in scenarios[main_profile].values() if s["user"]})
        log(f"signing in through the form as {len(users)} users")
        results["sign_in"] = [sign_in_check(servers[main_profile].port, email) for email in users]
        failed = [s for s in results["sign_in"] if not s["ok"]]
        if failed:
            log(f"sign-in check failed: {failed}")
        only = {n.strip() for n in args.only.split(",") if n.strip()}
        names = [n for n in scenarios[main_profile] if not only or n in only or n == "floor"]
        for name in names:
            for c in concurrency:
                for profile in profiles:
                    scenario = scenarios[profile].get(name)
                    if scenario is None:
                        continue
                    result = driver.run(
                        name=name, host="127.0.0.1", port=servers[profile].port, path=scenario["path"],
                        cookies=scenario["cookies"], concurrency=c,
                        requests=args.requests if c == 1 else args.requests_concurrent,
                        warmup=max(args.warmup, c), max_seconds=args.max_seconds, timeout=60)
                    row = {"profile": profile, **result.summary(), "user": scenario["user"], "note": scenario["note"]}
                    results["pages"].append(row)
                    log(f"{profile:9} c={c:<2} {name:36} p50 {row['p50_ms']:>7} ms  p95 {row['p95_ms']:>7} ms  "
                        f"{row['throughput_rps']} req/s  errors {row['errors']}")
        for row in results["pages"]:
            floor = next((p for p in results["pages"] if p["name"] == "floor" and p["profile"] == row["profile"]
                          and p["concurrency"] == row["concurrency"]), None)
            if floor and floor["p95_ms"]:
                row["floor_ratio"] = round(row["p95_ms"] / floor["p95_ms"], 1)
        results["worker_memory"] = {p: s.worker_memory() for p, s in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    if not args.skip_inprocess:
        main_env = envs[profiles[0]]
        for key, mode in (("sheet_pdf", "sheet-pdf"), ("pack_pdf", "pack-pdf"), ("sweep", "sweep")):
            log(f"measuring {mode}")
            results[key] = inprocess(main_env, mode)
            log(f"{mode}: {results[key]}")
    results["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
    results["finished_at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    budgets = check_budgets(results, profiles)
    results["budgets"] = budgets
    RESULTS.mkdir(exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"{stamp}.json").write_text(json.dumps(results, indent=1, default=str))
    md = markdown(results, budgets, profiles)
    (RESULTS / f"{stamp}.md").write_text(md)
    print()
    print(md)
    shutil.rmtree(work, ignore_errors=True)
    missed = [b for b in budgets if not b["ok"]]
    log(f"results: benchmarks/results/{stamp}.json and .md")
    if missed:
        print("\nBudgets missed:")
        for budget in missed:
            print(f"  - {budget['budget']}: {budget['figures']}")
        sys.exit(1)
    print("\nEvery budget met.")


if __name__ == "__main__":
    main()
