"""The permission matrix: every URL, every kind of person, GET and POST, objects they may and may not see.

Expectations are in ``access_table.py``. A URL that is not in the table fails the test, so each new page gets a
decision about who may use it. ``SECURITY_MATRIX_DISCOVER=/tmp/observed.py`` writes what the application does
now, for review before it is copied into the table (never copy it unread).
"""

import os
import re
from collections import Counter

import pytest

from .access_table import ACCESS, NOT_BUILT, PUBLIC, SEES_CHILD_NAME, expected
from .matrix import ask, clients_for, outcome, routes, url_for
from .world import CASE_DEPENDENT, PERSONAS, build_world

DENIED = {"deny", "login", "method"}


def _object_kwargs(route):
    return {name for name, _ in route.converters}


@pytest.mark.django_db
def test_every_url_is_classified_in_the_access_table():
    names = {route.name for route in routes()}
    unclassified = sorted(names - set(ACCESS))
    assert not unclassified, f"Decide who may use these pages and add them to access_table.ACCESS: {unclassified}"
    stale = sorted(set(ACCESS) - names)
    assert not stale, f"These pages no longer exist; remove them from access_table.ACCESS: {stale}"


@pytest.mark.django_db
def test_every_person_gets_exactly_the_access_the_table_gives_them(settings):
    settings.MFA_REQUIRED = False
    world = build_world()
    clients = clients_for(world)
    failures, observed, counts = [], {}, Counter()
    discover = os.environ.get("SECURITY_MATRIX_DISCOVER")
    for route in routes():
        if route.name not in ACCESS and not discover:
            continue
        url, missing = url_for(route, world.objects["A"])
        for method in ("get", "post"):
            allowed, offered = expected(route.name, method) if route.name in ACCESS else (set(PERSONAS), True)
            for persona in PERSONAS:
                response = ask(clients[persona], method, url)
                result = outcome(response)
                failures.extend(_leaks(world, route, method, persona, response))
                if persona == "bu" and not getattr(response, "streaming", False):
                    counts["bu pages naming child A"] += world.objects["A"]["case"].child_first_name.encode() in \
                        response.content
                observed.setdefault(route.name, {}).setdefault(method, {})[persona] = result
                counts[method] += 1
                if result == "error":
                    failures.append(f"{method.upper()} {route.name} as {persona}: server error")
                    continue
                if persona == "anon" and route.name not in PUBLIC:
                    if result != "login":
                        failures.append(f"{method.upper()} {route.name} as anonymous: {result}, not sent to sign in")
                    continue
                if persona in allowed and offered:
                    ok = result == "allow" or (result in ("deny", "method") and (missing or route.name in NOT_BUILT))
                else:
                    ok = result in DENIED or (route.name in PUBLIC and persona == "anon")
                if not ok:
                    failures.append(f"{method.upper()} {route.name} ({url}) as {persona}: {result}, expected "
                                    f"{'allowed' if persona in allowed and offered else 'denied'}")
        # The same page for case B, which none of the case-dependent people is involved in: 404 or 403.
        if _object_kwargs(route) & {"case_id", "form_id"} and route.name not in PUBLIC:
            url_b, _ = url_for(route, world.objects["B"])
            for persona in CASE_DEPENDENT + ("conflicted", "other_lead"):
                result = outcome(ask(clients[persona], "get", url_b))
                counts["get (case B)"] += 1
                if result not in DENIED:
                    failures.append(f"GET {route.name} for case B as {persona}: {result}; must be refused")
    if discover:
        _write_observed(discover, observed)
        return
    print(f"\nPermission matrix: {len(observed)} URLs x {len(PERSONAS)} people; requests: {dict(counts)}")
    assert not failures, "\n".join(failures)
    assert counts["bu pages naming child A"] > 0, "the leak check never saw the name it looks for"


def _leaks(world, route, method, persona, response) -> list[str]:
    """What no response may do: name a child to someone not entitled, be cached, or go without the CSP."""
    problems = []
    where = f"{method.upper()} {route.name} as {persona}"
    if "Content-Security-Policy" not in response:
        problems.append(f"{where}: no Content-Security-Policy header")
    if persona != "anon" and response.get("Cache-Control") != "no-store":
        problems.append(f"{where}: Cache-Control is {response.get('Cache-Control')!r}, not no-store")
    body = b"" if getattr(response, "streaming", False) else response.content
    for key in ("A", "B"):
        name = world.objects[key]["case"].child_first_name.encode()
        if persona not in SEES_CHILD_NAME[key] and name in body:
            problems.append(f"{where}: shows case {key}'s child's name")
    if response.get("Content-Type", "").startswith("text/html") and response.status_code == 200:
        text = body.decode(errors="replace")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"<[a-z][^>]*\sstyle=", text):
            problems.append(f"{where}: inline script or style, which the Content Security Policy blocks")
    return problems


def _write_observed(path, observed):
    def allowed(results):
        people = [p for p in PERSONAS if results.get(p) == "allow"]
        if not people and all(v == "method" for k, v in results.items() if k != "anon"):
            return "-"
        return " ".join(people) or "nobody"

    with open(path, "w") as out:
        for name in sorted(observed):
            out.write(f'    "{name}": ("{allowed(observed[name]["get"])}", "{allowed(observed[name]["post"])}"),\n')
