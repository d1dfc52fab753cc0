"""Inside Django, against one benchmark database: choose the pages to measure and sign the clients in.

Run by ``benchmarks/run.py`` (same environment as gunicorn, so the same SECRET_KEY signs the sessions). Prints
JSON: the scenarios (name, path, one session cookie per client) and one user per role for the sign-in check.
URLs are resolved with ``reverse`` so that a renamed path does not break the benchmark.

Every page is measured as the people of one partnership, the generator's ``MEASURED`` one, acting in it: at
national scale, what one partnership's users see beside 139 others; on the small data set, the same partnership
almost alone. Its agency lead is the lead of a police force that serves several partnerships.
"""

import argparse
import datetime
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, resolve, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from actionplan.models import OPEN_STATUSES, Action  # noqa: E402
from agencychecks.models import AgencyCheckForm, FormStatus  # noqa: E402
from benchmarks import pages  # noqa: E402
from benchmarks.generator import MEASURED  # noqa: E402
from benchmarks.pages import ROLE_ORDER  # noqa: E402
from panels.models import PanelInvitation  # noqa: E402
from rapidreview.accounts.decorators import AUTH_AT_SESSION_KEY  # noqa: E402
from rapidreview.accounts.middleware import PARTNERSHIP_SESSION_KEY  # noqa: E402
from rapidreview.accounts.models import AgencyType, Partnership, Role, RoleAssignment, User  # noqa: E402
from rapidreview.db import explain_sql  # noqa: E402
from referrals.models import Case, Harm, Source, Stage  # noqa: E402
from referrals.services.intake import referral_submit  # noqa: E402
from referrals.services.threshold import case_send_to_threshold  # noqa: E402


def measured() -> Partnership:
    return Partnership.objects.filter(slug=MEASURED).first() or Partnership.objects.order_by("pk").first()


def user_with_role(role: str, **extra) -> User | None:
    """The first person (by e-mail) who holds ``role`` today in the measured partnership: an ordinary member of
    staff, never a superuser or the installation's administrator (staff), who would see more than the role."""
    today = timezone.localdate()
    holders = (RoleAssignment.objects.filter(partnership=measured(), role=role, starts_on__lte=today)
               .exclude(ends_on__lt=today).values("user_id"))
    return (User.objects.filter(is_active=True, is_superuser=False, is_staff=False, pk__in=holders, **extra)
            .order_by("email").first())


def authenticator_of(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app, made for the benchmark if they have none. In production
    (``MFA_REQUIRED``) everyone signed in has one and their session is verified by it, so every page reads it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Benchmark authenticator", confirmed=True)


def sessions_for(user: User, count: int) -> list[str]:
    """``count`` signed-in sessions for ``user``, as the sign-in view leaves them after the code from their
    authenticator app (auth keys, the verified device and the stamps)."""
    cookies = []
    now = time.time()
    device = authenticator_of(user)
    for _ in range(count):
        store = SessionStore()
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "rapidreview.accounts.backends.AccountBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store["login_at"] = now
        store[AUTH_AT_SESSION_KEY] = now
        store["last_seen"] = int(now)
        store[PARTNERSHIP_SESSION_KEY] = measured().pk  # acting in the measured partnership, as the switcher sets
        store.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
    return cookies


def reauthenticate(cookies: list[str]) -> int:
    """Stamp the sessions as just re-authenticated, as the re-authentication page does after the password: a page
    behind ``recent_auth_required`` measured more than its minutes after sign-in would otherwise answer with a
    redirect to that page. Returns how many sessions were stamped."""
    stamped = 0
    for cookie in cookies:
        store = SessionStore(session_key=cookie.partition("=")[2])
        if store.get(SESSION_KEY):
            store[AUTH_AT_SESSION_KEY] = time.time()
            store.save(must_create=False)
            stamped += 1
    return stamped


def url(name: str, *args, query: str = "") -> str | None:
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{path}?{query}" if query else path


class Identities:
    """One signed-in identity per person the benchmark acts as: ``clients`` sessions each, made once."""

    def __init__(self, clients: int):
        self.clients = clients
        self.cookies: dict[str, list[str]] = {}

    def of(self, user: User | None) -> list[str | None]:
        if user is None:
            return [None]
        if user.email not in self.cookies:
            self.cookies[user.email] = sessions_for(user, self.clients)
        return self.cookies[user.email]


def big_tables() -> set[str]:
    """Tables the planner believes hold more than 10,000 rows: a sequential scan over one is a budget miss."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > 10000")
        return {row[0] for row in cursor.fetchall()}


def probe(path: str, cookie: str | None, *, explain: set[str] | None = None) -> dict:
    """GET ``path`` in-process as the session ``cookie`` (twice: the second with warm caches is the one looked at):
    its status, query count, repeated statements and, with ``explain``, the large tables it scans sequentially."""
    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        key, _, value = cookie.partition("=")
        client.cookies[key] = value
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    statements = [q["sql"] for q in captured.captured_queries]
    out = {"status": response.status_code, "queries": len(statements),
           "repeated": len(statements) - len(set(statements))}
    if explain is not None and connection.vendor == "postgresql":
        scans = set()
        for sql in statements:
            explained = explain_sql(sql)
            if not explained.split("EXPLAIN ", 1)[1].lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(explained)
                for (line,) in cursor.fetchall():
                    match = re.search(r"Seq Scan on (\w+)", line)
                    if match and match.group(1) in explain:
                        scans.add(match.group(1))
        out["seq_scans"] = sorted(scans)
    return out


def panel_member_of(case: Case | None, *, voting: bool | None = None) -> User | None:
    """A panel member invited to the case's panel (a member not invited may not open its pack or vote)."""
    if case is None:
        return None
    invitations = PanelInvitation.objects.filter(panel__case=case, is_chair=False).order_by("seat")
    if voting is not None:
        invitations = invitations.filter(voting=voting)
    today = timezone.localdate()
    holders = (RoleAssignment.objects.filter(partnership=case.partnership, role=Role.PANEL_MEMBER,
                                             starts_on__lte=today).exclude(ends_on__lt=today).values("user_id"))
    return User.objects.filter(pk__in=invitations.filter(user__in=holders).values("user_id"),
                               is_active=True).order_by("email").first()


def detail_user(name: str, role: str, args: tuple) -> User | None:
    """The person who lands on a page with arguments: the lead of the form's or action's agency, a member
    invited to the panel, or else the partnership's first holder of the role."""
    if name == "agencychecks:form":
        form = AgencyCheckForm.objects.get(pk=args[0])
        return user_with_role(Role.AGENCY_LEAD, agency=form.agency_id)
    if name in ("actionplan:detail", "actionplan:progress"):
        action = Action.objects.get(pk=args[0])
        return user_with_role(Role.AGENCY_LEAD, agency=action.agency_id) or user_with_role(Role.WORKING_GROUP)
    if role == Role.PANEL_MEMBER:
        case = Case.objects.filter(pk=args[0]).first() if args else None
        return panel_member_of(case, voting=True if name == "decisions:vote" else None)
    return user_with_role(role)


def scenarios(clients: int, *, explain: bool = False) -> dict:
    """Every landing page (``benchmarks/pages.py``) with the person who lands on it, checked in-process: a page
    that does not answer 200 to its person is reported in ``not_measured``, which fails the run."""
    out: list[dict] = []
    not_measured: list[dict] = []
    ids = Identities(clients)
    large = big_tables() if explain and connection.vendor == "postgresql" else None

    def add(name: str, user: User | None, path: str | None, note: str = "", *, anonymous: bool = False) -> bool:
        if path is None or (user is None and not anonymous):
            not_measured.append({"name": name, "reason": "no such page" if path is None else "no person to ask"})
            return False
        cookies = ids.of(user)
        checked = probe(path, cookies[0], explain=large)
        if checked["status"] != 200:
            not_measured.append({"name": name, "path": path, "user": user.email if user else "",
                                 "reason": f"answered {checked['status']}"})
            return False
        out.append({"name": name, "path": path, "user": user.email if user else "", "cookies": cookies,
                    "note": note, "recent_auth_minutes": getattr(resolve(path.partition("?")[0]).func,
                                                                 "recent_auth_minutes", None), **checked})
        return True

    business_unit = user_with_role(Role.BUSINESS_UNIT)
    police_lead = user_with_role(Role.AGENCY_LEAD, agency__type=AgencyType.POLICE) or user_with_role(Role.AGENCY_LEAD)
    people = {role: (police_lead if role == Role.AGENCY_LEAD else user_with_role(role)) for role in ROLE_ORDER}

    # The floor: the cheapest signed-in page through the same middleware (benchmarks/bench_urls.py), as the
    # business unit; the health check on its own.
    add("floor", business_unit, url("bench_floor"), "a signed-in view that returns two bytes: the floor")
    add("health check", None, url("healthz"), "database round trip; the broker is asked once per 10 s",
        anonymous=True)
    for role in ROLE_ORDER:
        add(f"dashboard {role}", people[role], url("home"), "what this role lands on after signing in")
    add("what needs me in every partnership", police_lead, url("what_needs_me"),
        "the combined dashboard of a lead who serves several partnerships")

    # Every page without arguments, found in the URL conf, as the first who may open it.
    for name in pages.pages_without_arguments():
        if name in ("home", "what_needs_me", "healthz", "bench_floor"):
            continue
        path = url(name)
        asked = []
        for who, user in [("anon", None), *people.items()]:
            status = probe(path, ids.of(user)[0])["status"] if user or who == "anon" else None
            asked.append(f"{who} {status}")
            if status == 200:
                add(name, user, path, "public" if who == "anon" else f"as {who}", anonymous=who == "anon")
                break
        else:
            not_measured.append({"name": name, "path": path, "reason": "nobody in the partnership gets it: "
                                 + ", ".join(asked), "expected": True})

    # Pages with arguments, where people land on them.
    partnership = measured()
    for name, (role, picker, where) in pages.DETAIL_PAGES.items():
        args = picker(partnership)
        if args is None:
            not_measured.append({"name": name, "reason": "the data has no such object"})
            continue
        user = None if role == "anon" else detail_user(name, role, args)
        add(name, user, url(name, *args), where, anonymous=role == "anon")

    # The yardstick: Django admin's case changelist, same page size and order as our case list (bench_urls.py).
    superuser = User.objects.filter(is_superuser=True, is_active=True).order_by("email").first()
    add("admin case changelist", superuser, "/django-admin/referrals/case/",
        "Django admin: 25 rows a page, newest first, as our case list")
    return {"scenarios": out, "not_measured": not_measured, "writes": write_targets(ids)}


POOL = 40  # objects each kind of write cycles through, so that no one object gathers a run's writes


def write_targets(ids: Identities) -> dict:
    """What the write mix saves (benchmarks/writes.py), in the measured partnership, each as its own person.

    Each kind cycles through a pool of objects, never the ones whose pages are measured, and those least written
    to first: a run spreads its writes thinly, and a later run (``--reuse``) writes elsewhere, so the measured
    pages do not grow run by run (one action had gathered 627 progress updates, one form its history)."""
    partnership = measured()
    measured_case = pages.busiest_rapid_review(partnership)
    measured_action = pages.first_open_action(partnership)
    targets = {}
    forms = (AgencyCheckForm.objects.filter(case__partnership=partnership,
                                            status__in=[FormStatus.DRAFT, FormStatus.ISSUED, FormStatus.RETURNED])
             .exclude(case=measured_case)
             .order_by("updated_at", "pk"))
    _pool(targets, "section", forms, lambda form: form.agency_id,
          lambda form: url("agencychecks:section", form.pk, "signoff"),
          {"author_name": "Benchmark author", "action": "draft"})
    actions = (Action.objects.filter(partnership=partnership, status__in=OPEN_STATUSES)
               .exclude(pk=getattr(measured_action, "pk", None))
               .annotate(written=Count("updates")).order_by("written", "due_on", "pk"))
    _pool(targets, "progress", actions, lambda action: action.agency_id,
          lambda action: url("actionplan:progress", action.pk),
          {"note": "Benchmark progress: training delivered to the team."})
    # Each case's threshold decision is recorded once: only cases still waiting for one. A run records them all,
    # so before each run the partnership receives new referrals, as it would on any day, until THRESHOLD_POOL wait.
    business_unit = user_with_role(Role.BUSINESS_UNIT)
    if business_unit is not None:
        receive_referrals_for_threshold(partnership, business_unit)
        cases = Case.objects.filter(partnership=partnership, stage=Stage.THRESHOLD,
                                    threshold_decision__isnull=True).order_by("created_at")
        targets["threshold"] = {"paths": [url("referrals:threshold_record", c.pk) for c in cases], "cycle": False,
                                "cookie": sessions_for(business_unit, 1)[0], "change": {}}
    return targets


THRESHOLD_POOL = 6  # cases waiting for a threshold decision when a run starts (one run records about this many)


def receive_referrals_for_threshold(partnership: Partnership, business_unit: User) -> int:
    """Referrals received and sent to the threshold discussion through the services a person's forms call, until
    ``THRESHOLD_POOL`` of the partnership's cases wait for a decision. Returns how many were received. Each run
    adds a few cases, as a day of referrals would, to both profiles' measured partnership alike."""
    waiting = Case.objects.filter(partnership=partnership, stage=Stage.THRESHOLD,
                                  threshold_decision__isnull=True).count()
    today = timezone.localdate()
    run = timezone.localtime().strftime("%d%m%H%M")  # a new child each time, not a possible duplicate of the last
    received = 0
    for n in range(max(0, THRESHOLD_POOL - waiting)):
        case = referral_submit(source=Source.PROFESSIONAL, partnership=partnership, actor=business_unit, data={
            "child_first_name": "Benchmark", "child_last_name": f"Child {run}-{n + 1}",
            "child_dob": today - datetime.timedelta(days=2000 + 97 * n), "harm": Harm.SERIOUS_HARM,
            "incident_date": today - datetime.timedelta(days=3), "la_aware_on": today - datetime.timedelta(days=2),
            "referrer_name": "Benchmark referrer", "referrer_email": "referrer@bench.test",
            "description": "A referral received for the benchmark's threshold decisions."})
        case_send_to_threshold(case=case, actor=business_unit)
        received += 1
    return received


def _pool(targets: dict, kind: str, objects, agency_of, path_of, change: dict) -> None:
    """Up to ``POOL`` of ``objects`` that one agency lead may write to, as that lead (one session for the kind)."""
    lead, paths = None, []
    for obj in objects[:POOL * 10]:
        if lead is None:
            lead = user_with_role(Role.AGENCY_LEAD, agency=agency_of(obj))
        if lead is not None and agency_of(obj) == lead.agency_id:
            paths.append(path_of(obj))
        if len(paths) == POOL:
            break
    if paths:
        targets[kind] = {"paths": paths, "cycle": True, "cookie": sessions_for(lead, 1)[0], "change": change}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN every page's statements")
    parser.add_argument("--reauthenticate", action="store_true",
                        help="read a JSON list of session cookies on stdin and stamp them as just re-authenticated")
    args = parser.parse_args()
    if args.reauthenticate:
        print(json.dumps({"stamped": reauthenticate(json.load(sys.stdin))}))
        return
    data = scenarios(args.clients, explain=args.explain)
    data["counts"] = {"cases": Case.objects.count(), "users": User.objects.count(),
                      "partnerships": Partnership.objects.count(), "measured": MEASURED,
                      "measured_cases": Case.objects.filter(partnership=measured()).count(),
                      "prepared_at": datetime.datetime.now(datetime.UTC).isoformat()}
    # The sign-in check answers the security-code step as a person does, with a code from their authenticator app:
    # the throwaway benchmark accounts' keys, for that check only.
    emails = {s["user"] for s in data["scenarios"] if s["user"]}
    data["authenticators"] = {user.email: authenticator_of(user).key
                              for user in User.objects.filter(email__in=emails)}
    print(json.dumps(data))


if __name__ == "__main__":
    main()
