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
from django.db.models import Count, Q  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from actionplan.models import Action  # noqa: E402
from agencychecks.models import AgencyCheckForm, FormStatus  # noqa: E402
from benchmarks.generator import MEASURED  # noqa: E402
from rapidreview.accounts.middleware import PARTNERSHIP_SESSION_KEY  # noqa: E402
from rapidreview.accounts.models import AgencyType, Partnership, Role, RoleAssignment, User  # noqa: E402
from referrals.models import Case, Stage  # noqa: E402

ROLE_ORDER = [Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.THRESHOLD, Role.PANEL_MEMBER, Role.AGENCY_LEAD,
              Role.EXECUTIVE, Role.WORKING_GROUP]


def measured() -> Partnership:
    return Partnership.objects.filter(slug=MEASURED).first() or Partnership.objects.order_by("pk").first()


def user_with_role(role: str, **extra) -> User | None:
    """The first person (by e-mail) who holds ``role`` today in the measured partnership."""
    today = timezone.localdate()
    holders = (RoleAssignment.objects.filter(partnership=measured(), role=role, starts_on__lte=today)
               .exclude(ends_on__lt=today).values("user_id"))
    return User.objects.filter(is_active=True, pk__in=holders, **extra).order_by("email").first()


def sessions_for(user: User, count: int) -> list[str]:
    """``count`` signed-in sessions for ``user``, as the sign-in view would leave them (auth keys and stamps)."""
    cookies = []
    now = time.time()
    for _ in range(count):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store["login_at"] = now
        store["auth_at"] = now
        store["last_seen"] = int(now)
        store[PARTNERSHIP_SESSION_KEY] = measured().pk  # acting in the measured partnership, as the switcher sets
        store.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
    return cookies


def url(name: str, *args, query: str = "") -> str | None:
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{path}?{query}" if query else path


def the_case():
    """The case page and pack everyone measures: the rapid review with the most accepted agency forms (the
    generator makes one with twelve)."""
    accepted = Count("agency_forms", filter=Q(agency_forms__status=FormStatus.ACCEPTED))
    cases = Case.objects.filter(partnership=measured())
    qs = cases.filter(stage=Stage.RAPID_REVIEW).annotate(n=accepted).order_by("-n", "-created_at")
    return qs.first() or cases.order_by("-created_at").first()


def scenarios(clients: int) -> dict:
    out: list[dict] = []
    cache: dict[str, list[str]] = {}

    def add(name: str, user: User | None, path: str | None, note: str = "") -> None:
        if path is None or (user is None and name != "floor"):
            print(f"skipped {name}: no {'URL' if path is None else 'user'}", file=sys.stderr)
            return
        cookies = [None]
        if user is not None:
            if user.email not in cache:
                cache[user.email] = sessions_for(user, clients)
            cookies = cache[user.email]
        out.append({"name": name, "path": path, "user": user.email if user else "", "cookies": cookies,
                    "note": note})

    business_unit = user_with_role(Role.BUSINESS_UNIT)
    case = the_case()
    form = lead = None
    if case is not None:
        for candidate in AgencyCheckForm.objects.filter(case=case).select_related("agency").order_by("agency__name"):
            lead = user_with_role(Role.AGENCY_LEAD, agency=candidate.agency_id)
            if lead is not None:
                form = candidate
                break

    add("floor", None, url("healthz"), "health check: database and broker, through the same stack")
    # The lead of a police force: one agency, several partnerships (the combined dashboard shows them all).
    police_lead = user_with_role(Role.AGENCY_LEAD, agency__type=AgencyType.POLICE) or lead
    for role in ROLE_ORDER:
        user = police_lead if role == Role.AGENCY_LEAD and police_lead else user_with_role(role)
        add(f"dashboard {role}", user, url("home"))
    add("what needs me, every partnership", police_lead, url("what_needs_me"),
        "the combined dashboard of a lead who serves several partnerships")
    last_year = timezone.localdate().year - 1
    add("case list", business_unit, url("referrals:case_list"))
    add("case list, filtered", business_unit, url("referrals:case_list", query=f"stage=closed&year={last_year}"),
        f"closed cases received in {last_year}")
    add("case page", business_unit, url("referrals:case_detail", case.pk) if case else None,
        f"{case.reference}, the rapid review with twelve agency forms" if case else "")
    add("agency check form (its lead)", lead, url("agencychecks:form", form.pk) if form else None,
        f"{form.agency.name} on {case.reference}" if form else "")
    add("agency checks, business unit", business_unit, url("agencychecks:index"))
    add("agency checks, agency lead", police_lead, url("agencychecks:index"))
    busiest = (Action.objects.filter(partnership=measured()).values("agency").annotate(n=Count("id"))
               .order_by("-n", "agency").first())
    agency = busiest["agency"] if busiest else None
    working_group = user_with_role(Role.WORKING_GROUP)
    add("action plan", working_group, url("actionplan:list"))
    add("action plan, filtered", working_group,
        url("actionplan:list", query=f"status=in_progress&agency={agency}" if agency else "status=in_progress"),
        "in progress, the agency with most actions")
    add("action plan CSV", working_group, url("actionplan:export_csv"))
    add("working group meetings", working_group, url("actionplan:meetings"))
    add("themes", business_unit, url("themes:list"))
    add("themes report", business_unit, url("themes:report"))
    add("annual statistics", business_unit, url("themes:statistics"))
    add("learning", business_unit, url("themes:learning"))
    add("CDOP and JAR discussions", business_unit, url("referrals:cdop_list"))
    add("all deadlines", business_unit, url("clocks:all"))
    add("my deadlines, agency lead", police_lead, url("clocks:mine"))
    add("non-working days", business_unit, url("clocks:closures"))
    add("outbox", business_unit, url("notifications:outbox"))
    add("panel calendar", business_unit, url("panels:calendar"))
    add("panel members", business_unit, url("panels:members"))
    add("conflicts of interest", business_unit, url("panels:conflicts"))
    add("decisions", business_unit, url("decisions:index"))
    add("decisions awaiting signature", user_with_role(Role.EXECUTIVE), url("decisions:awaiting"))
    add("people", business_unit, url("accounts:people"))
    add("agencies", business_unit, url("accounts:agencies"))
    add("access log", business_unit, url("audit:log"))
    add("retention", business_unit, url("audit:retention"))
    superuser = User.objects.filter(is_superuser=True, is_active=True).order_by("email").first()
    add("admin case changelist", superuser, "/django-admin/referrals/case/", "Django admin, 100 rows a page")
    return {"scenarios": out}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10)
    args = parser.parse_args()
    data = scenarios(args.clients)
    data["counts"] = {"cases": Case.objects.count(), "users": User.objects.count(),
                      "partnerships": Partnership.objects.count(), "measured": MEASURED,
                      "measured_cases": Case.objects.filter(partnership=measured()).count(),
                      "prepared_at": datetime.datetime.now(datetime.UTC).isoformat()}
    print(json.dumps(data))


if __name__ == "__main__":
    main()
