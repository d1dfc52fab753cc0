"""The permission matrix: every URL, every kind of person, GET and POST, objects they may and may not see.

Expectations are in ``access_table.py``, one row per URL name. The list of URLs comes from the URL configuration:
a URL missing from the table fails, and so does a row whose URL no longer exists, so a renamed or removed page
cannot drop out quietly. A person allowed a page must get it (200) or the redirect its row names; a person not
allowed must be refused (403, 404, 405 or sent to sign in) and the refused request must change nothing.

``SECURITY_MATRIX_DISCOVER=/tmp/observed.py`` writes what the application does now, for review before anything is
copied into the table (never copy it unread).
"""

import os
import re
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from agencychecks.models import GlossaryTerm
from rapidreview.accounts.models import Role
from tests.factories import default_partnership, make_user

from .access_table import ACCESS, PUBLIC, SCENE, SEES_CHILD_NAME, answer, expected
from .leaks import found, response_text
from .matrix import ask, changed_tables, clients_for, outcome, routes, url_for, url_in
from .world import CASE_DEPENDENT, CHILD_NAMES, PERSONAS, SCENES, build_world

DENIED = {"deny", "login", "method"}


def _object_kwargs(route):
    return {name for name, _ in route.converters}


def _one_address_per_page(all_routes):
    """Each page once, at its fullest address: a public referral page also answers at its address from before
    partnerships (without the partnership's slug), which with several partnerships sends the referrer to choose one
    first (tests/referrals/test_partnerships.py)."""
    chosen = {}
    for route in all_routes:
        if route.name not in chosen or len(route.converters) > len(chosen[route.name].converters):
            chosen[route.name] = route
    return list(chosen.values())


def test_every_url_is_in_the_access_table_and_every_row_is_a_url():
    names = {route.name for route in routes()}
    unclassified = sorted(names - set(ACCESS))
    assert not unclassified, f"Decide who may use these pages and add them to access_table.ACCESS: {unclassified}"
    stale = sorted(set(ACCESS) - names)
    assert not stale, f"These pages no longer exist; remove them from access_table.ACCESS: {stale}"
    assert set(SCENE.values()) <= set(SCENES), "access_table.SCENE names a scene world.py does not build"
    assert set(SEES_CHILD_NAME) == set(SCENES), "say who may see the child's name in every scene"


def test_the_access_table_reads_as_documented():
    assert expected("decisions:sheet_send", "post") == ({"bu"}, True)
    assert answer("decisions:sheet_send", "post", "bu") == "redirect:decisions:sheet"
    assert expected("decisions:sheet_send", "get") == (set(), True)
    assert expected("themes:toggle", "get") == (set(), False)
    assert answer("decisions:vote", "post", "panel") == "invalid"
    assert answer("accounts:login", "get", "anon") == "page"
    assert answer("accounts:login", "get", "wg") == "redirect:home"
    assert "anon" not in expected("home", "get")[0] and "wg" in expected("home", "get")[0]


@pytest.mark.django_db
def test_every_person_gets_exactly_the_access_the_table_gives_them(settings):
    settings.MFA_REQUIRED = False
    world = build_world(other=True)  # a second partnership beside: none of it may show (test_cross_partnership.py)
    clients = clients_for(world)
    failures, observed, counts, seen = [], {}, Counter(), {}
    discover = os.environ.get("SECURITY_MATRIX_DISCOVER")
    for route in _one_address_per_page(routes()):
        if route.name not in ACCESS and not discover:
            continue  # reported by the test above
        url = url_in(world, route)
        for method in ("get", "post"):
            allowed, offered = expected(route.name, method) if route.name in ACCESS else (set(PERSONAS), True)
            for persona in PERSONAS:
                response = ask(clients[persona], method, url)
                result = outcome(response)
                failures.extend(_leaks(world, route, method, persona, response))
                if not getattr(response, "streaming", False):
                    for scene in SCENES:
                        if CHILD_NAMES[scene].encode() in response.content:
                            seen.setdefault(scene, set()).add(persona)
                observed.setdefault(route.name, {}).setdefault(method, {})[persona] = result
                counts[method] += 1
                where = f"{method.upper()} {route.name} ({url}) as {persona}"
                if result == "error":
                    failures.append(f"{where}: server error")
                    continue
                if persona == "anon" and route.name not in PUBLIC:
                    if result != "login":
                        failures.append(f"{where}: {result}, not sent to sign in")
                elif persona in allowed and offered:
                    if result != (want := answer(route.name, method, persona)):
                        failures.append(f"{where}: {result}, expected {want}")
                elif result not in DENIED and not (route.name in PUBLIC and persona == "anon"):
                    failures.append(f"{where}: {result}, expected to be refused")
                if method == "post" and result in DENIED and (changed := changed_tables(response)):
                    failures.append(f"{where}: refused, but it wrote to {changed}")
        # The same page for case B, which none of the case-dependent people is involved in: 404 or 403. Pages
        # whose other objects exist only in their own scene (a dispute, a milestone) are refused to these people
        # in that scene already, above.
        url_b, missing_b = url_for(route, world.objects["B"])
        if _object_kwargs(route) & {"case_id", "form_id"} and route.name not in PUBLIC and not missing_b:
            for persona in CASE_DEPENDENT + ("conflicted", "other_lead"):
                for method in ("get", "post"):
                    response = ask(clients[persona], method, url_b)
                    result = outcome(response)
                    counts[f"{method} (case B)"] += 1
                    if result not in DENIED:
                        failures.append(f"{method.upper()} {route.name} for case B as {persona}: {result}; "
                                        "must be refused")
                    elif method == "post" and (changed := changed_tables(response)):
                        failures.append(f"POST {route.name} for case B as {persona}: refused, but it wrote to "
                                        f"{changed}")
    if discover:
        _write_observed(discover, observed, seen)
        return
    print(f"\nPermission matrix: {len(observed)} URLs x {len(PERSONAS)} people; requests: {dict(counts)}")
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
    unseen = [scene for scene in SCENES if SEES_CHILD_NAME[scene] and not seen.get(scene)]
    assert not unseen, f"the leak check never saw the child's name of scenes {unseen}"


def _leaks(world, route, method, persona, response) -> list[str]:
    """What no response may do: name a child to someone not entitled, be cached, or go without the CSP."""
    problems = []
    where = f"{method.upper()} {route.name} as {persona}"
    if "Content-Security-Policy" not in response:
        problems.append(f"{where}: no Content-Security-Policy header")
    if persona != "anon" and response.get("Cache-Control") != "no-store":
        problems.append(f"{where}: Cache-Control is {response.get('Cache-Control')!r}, not no-store")
    body = b"" if getattr(response, "streaming", False) else response.content
    for scene in SCENES:
        if persona not in SEES_CHILD_NAME[scene] and CHILD_NAMES[scene].encode() in body:
            problems.append(f"{where}: shows the name of the child in scene {scene}")
    if response.status_code == 200 and (leaked := found(response_text(response), world.markers)):
        problems.append(f"{where}: shows another partnership's {leaked[:3]}")
    if response.get("Content-Type", "").startswith("text/html") and response.status_code == 200:
        text = body.decode(errors="replace")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"<[a-z][^>]*\sstyle=", text):
            problems.append(f"{where}: inline script or style, which the Content Security Policy blocks")
    return problems


def _write_observed(path, observed, seen):
    """Each URL's results per person, one line per URL and method, for review against the table."""
    with open(path, "w") as out:
        for scene in SCENES:
            out.write(f"child's name of scene {scene} seen by: {' '.join(sorted(seen.get(scene, ())))}\n")
        for name in sorted(observed):
            for method in ("get", "post"):
                results = observed[name][method]
                groups = {}
                for persona in PERSONAS:
                    groups.setdefault(results[persona], []).append(persona)
                text = "; ".join(f"{r}: {' '.join(p)}" for r, p in sorted(groups.items()))
                out.write(f"{name} {method.upper()} | {text}\n")


@pytest.mark.django_db
def test_the_matrix_sees_what_a_request_writes_so_a_refusal_that_changes_something_fails(settings):
    settings.MFA_REQUIRED = False
    default_partnership()  # made by the migrations; here, before the requests
    term = GlossaryTerm.objects.create(term="MXW", expansion="Matrix write")
    url = reverse("agencychecks:glossary_delete", args=[term.pk])
    clients = {}
    for key, role in (("bu", Role.BUSINESS_UNIT), ("wg", Role.WORKING_GROUP)):
        clients[key] = Client()
        clients[key].force_login(make_user(role))
    done = ask(clients["bu"], "post", url)
    assert outcome(done) == "redirect:agencychecks:glossary"
    assert "agencychecks_glossaryterm" in changed_tables(done)
    refused = ask(clients["wg"], "post", url)
    assert outcome(refused) == "deny" and changed_tables(refused) == []
    assert GlossaryTerm.objects.filter(pk=term.pk).exists()  # ask() rolled the deletion back
