"""The third axis of the security matrix (issue 18 §2): every URL × every role × an object of another partnership.

The world holds two partnerships with the same scenes, people for every role in each, a case a third partnership
leads with the main one taking part, and a person with roles in both ("dual"); see ``world.py``. Everyone below
acts in the main partnership unless a test says otherwise.

- Every page about an object (an address with an object id), asked about the other partnership's copy of that
  object, refuses every person of the main partnership (403 or 404; 405 for a method the page does not take), on
  GET and on POST, and a refused POST writes nothing.
- Every page about no object (lists, dashboards, exports, statistics, audit pages) shows none of the other
  partnership's objects: no child's name, reference, pseudonym, text or object id in the page, its CSV or
  spreadsheet, or its PDF.
- Every e-mail in the outbox links to a page that, opened by someone with no role in the partnership that sent
  it, is refused or shows nothing of it.
- The person with roles in both sees only the partnership they act in, whichever it is.
- A case the main partnership only takes part in: its business unit reads it (200), and every POST that would
  change it is refused (403, the design; 404 where the object is not theirs to see) with nothing written.
"""

import html
import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from rapidreview.accounts.middleware import PARTNERSHIP_SESSION_KEY
from rapidreview.notifications.models import Notification
from referrals.models import Case, CaseParticipation

from .access_table import PUBLIC, SCENE
from .leaks import found, response_text
from .matrix import SLUG_VALUES, ask, changed_tables, outcome, routes, url_for
from .world import FOREIGN_CHILD_NAMES, JOINT_CHILD_NAME, PERSONAS, SHARED_KWARGS, build_world

REFUSED = {"deny", "method"}
# Pages that show someone everything that needs them in every partnership they hold a role in, by design.
ACROSS_MY_PARTNERSHIPS = {"what_needs_me"}
# Agencies are the installation's, shared by the partnerships that list them: a business unit adds any active one
# to its OWN arrangements, whichever other partnerships list it (only its own list changes:
# tests/core/test_people_across_partnerships.py). Changing or removing one is still refused across partnerships.
SHARED_AGENCY_ACTIONS = {"accounts:agency_add"}
# Everyone who acts in the main partnership: each kind of person, and the person with roles in both.
MAIN_PEOPLE = (*(p for p in PERSONAS if p != "anon"), "dual")
NOT_OBJECTS = set(SLUG_VALUES) | SHARED_KWARGS | {"number", "slug"}
LINK = re.compile(r"https?://[^/\s\"'<>]+(/[^\s\"'<>]*)")


def _object_kwargs(route) -> set[str]:
    return {name for name, _ in route.converters} - NOT_OBJECTS


def _acting(user, partnership) -> Client:
    """A client signed in as ``user``, acting in ``partnership`` (as the switcher leaves the session)."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    session = client.session
    session[PARTNERSHIP_SESSION_KEY] = partnership.pk
    session.save()
    return client


def _main_clients(world) -> dict[str, Client]:
    return {person: _acting(world.users[person], world.partnership) for person in MAIN_PEOPLE}


def _scene(objects_by_scene, route) -> dict:
    return objects_by_scene[SCENE.get(route.name, "A")]


@pytest.fixture
def world(db, settings):
    settings.MFA_REQUIRED = False
    return build_world(other=True)


def test_the_world_has_two_partnerships_that_share_nothing_but_the_dual_person(world):
    assert world.other is not None and world.other != world.partnership
    ours = set(Case.objects.filter(partnership=world.partnership).values_list("pk", flat=True))
    theirs = set(Case.objects.filter(partnership=world.other).values_list("pk", flat=True))
    assert len(ours) >= 7 and len(theirs) >= 7 and not ours & theirs
    assert {world.foreign[scene]["case_id"] for scene in world.foreign if "case_id" in world.foreign[scene]} <= theirs
    shared = {u.pk for u in world.users.values()} & {u.pk for u in world.foreign_users.values()}
    assert shared == {world.users["dual"].pk}
    assert not CaseParticipation.objects.filter(partnership__in=[world.partnership, world.other],
                                                case__partnership__in=[world.partnership, world.other])
    assert set(FOREIGN_CHILD_NAMES.values()) <= set(world.markers)


def test_every_object_of_another_partnership_is_refused_to_everyone_in_this_one(world):
    """Axis 3: every page with an object id, given the other partnership's object, as every person, GET and POST."""
    clients = _main_clients(world)
    failures, counts, pages = [], Counter(), set()
    for route in routes():
        if route.name in PUBLIC or route.name in SHARED_AGENCY_ACTIONS or not _object_kwargs(route):
            continue
        url, missing = url_for(route, _scene(world.foreign, route))
        assert not missing, f"{route.name}: the other partnership's world builds no {missing}; build them in world.py"
        pages.add(route.name)
        for person in MAIN_PEOPLE:
            for method in ("get", "post"):
                response = ask(clients[person], method, url)
                result = outcome(response)
                counts[method] += 1
                where = f"{method.upper()} {route.name} ({url}) as {person}"
                if result not in REFUSED:
                    failures.append(f"{where}: {result}, another partnership's object must be refused")
                elif method == "post" and (changed := changed_tables(response)):
                    failures.append(f"{where}: refused, but it wrote to {changed}")
                if response.status_code == 200 and (leaked := found(response_text(response), world.markers)):
                    failures.append(f"{where}: shows {leaked[:3]}")
    print(f"\nAxis 3: {len(pages)} pages with objects x {len(MAIN_PEOPLE)} people x GET and POST = "
          f"{sum(counts.values())} requests; {len(failures)} leaks across partnerships")
    assert not failures, f"{len(failures)} leaks across partnerships:\n" + "\n".join(failures)
    assert len(pages) > 100


def test_no_list_export_or_report_shows_another_partnerships_objects(world):
    """Pages about no object: every person of the main partnership, GET, in every form the page answers."""
    clients = _main_clients(world)
    failures, checked, pages = [], 0, set()
    for route in routes():
        if _object_kwargs(route):
            continue
        url, _ = url_for(route, _scene(world.objects, route))
        pages.add(route.name)
        for person in MAIN_PEOPLE:
            if person == "dual" and route.name in ACROSS_MY_PARTNERSHIPS:
                continue  # the person in both sees both there: test_the_person_in_both_partnerships...
            response = ask(clients[person], "get", url)
            checked += 1
            if outcome(response) == "error":
                failures.append(f"GET {route.name} as {person}: server error")
            elif leaked := found(response_text(response), world.markers):
                failures.append(f"GET {route.name} ({url}) as {person}: shows {leaked[:5]}")
    print(f"\nLists, exports, dashboards: {len(pages)} pages x {len(MAIN_PEOPLE)} people = {checked} requests; "
          f"{len(failures)} leaks")
    assert not failures, "\n".join(failures)


def test_the_person_in_both_partnerships_sees_only_the_one_they_act_in(world):
    """"dual" acting in the other partnership: the main partnership's objects are refused and its lists show none of
    them; acting in the main partnership, every page (objects and lists, GET and POST) shows nothing of the other."""
    dual = world.users["dual"]
    main_markers = _main_markers(world)
    in_other, in_main = _acting(dual, world.other), _acting(dual, world.partnership)
    failures, counts = [], Counter()
    for route in routes():
        if route.name in PUBLIC or route.name in ACROSS_MY_PARTNERSHIPS | SHARED_AGENCY_ACTIONS:
            continue
        url, missing = url_for(route, _scene(world.objects, route))
        if _object_kwargs(route):
            for method in ("get", "post"):
                response = ask(in_other, method, url)
                counts["main objects, acting in the other"] += 1
                result = outcome(response)
                if result not in REFUSED:
                    failures.append(f"{method.upper()} {route.name} acting in the other partnership: {result}")
                elif method == "post" and (changed := changed_tables(response)):
                    failures.append(f"POST {route.name} acting in the other partnership: wrote to {changed}")
        else:
            response = ask(in_other, "get", url)
            counts["lists, acting in the other"] += 1
            if leaked := found(response_text(response), main_markers):
                failures.append(f"GET {route.name} acting in the other partnership: shows {leaked[:5]}")
        if missing:
            continue
        for method in ("get", "post"):
            response = ask(in_main, method, url)
            counts["every page, acting in the main"] += 1
            if outcome(response) == "error":
                failures.append(f"{method.upper()} {route.name} acting in the main partnership: server error")
            elif leaked := found(response_text(response), world.markers):
                failures.append(f"{method.upper()} {route.name} acting in the main partnership: shows {leaked[:5]}")
    # What needs them: both partnerships, each under its own name.
    page = ask(in_main, "get", reverse("what_needs_me")).content.decode()
    for partnership in (world.partnership, world.other):
        if partnership.name not in page:
            failures.append(f"What needs me does not name {partnership.name}")
    print(f"\nThe person in both partnerships: {dict(counts)}; {len(failures)} leaks")
    assert not failures, "\n".join(failures)


def _main_markers(world) -> list[str]:
    """What identifies the main partnership's cases: their references, children and ids."""
    markers = set()
    for case in Case.objects.filter(partnership=world.partnership):
        markers |= {case.reference, case.child_first_name, str(case.pk)}
    return sorted(markers)


def test_every_e_mail_link_to_another_partnership_is_refused_or_shows_nothing_of_it(world):
    """Every link in every e-mail the other partnership sent, opened by each person of the main partnership who
    holds no role there; the person in both is switched to it by the link."""
    clients = _main_clients(world)
    notes = list(Notification.objects.filter(partnership=world.other))
    assert notes, "the other partnership sent no e-mail"
    failures, results, links = [], Counter(), set()
    for note in notes:
        for path in LINK.findall(f"{note.body_text}\n{note.body_html}"):
            links.add(html.unescape(path))
    for path in sorted(links):
        for person in MAIN_PEOPLE:
            if person == "dual":
                continue
            response = ask(clients[person], "get", path)
            result = outcome(response)
            results[response.status_code] += 1
            if result == "error":
                failures.append(f"{path} as {person}: server error")
            elif leaked := found(response_text(response), world.markers):
                failures.append(f"{path} as {person}: {result}, shows {leaked[:5]}")
            elif _names_an_object(path) and result != "deny":
                failures.append(f"{path} as {person}: {result}, a link to another partnership's object is refused")
    dual = _acting(world.users["dual"], world.partnership)
    switched = [path for path in sorted(links) if "partnership=" in path and _names_an_object(path)]
    assert switched, "no e-mail links to an object in its partnership (the in_partnership filter)"
    for path in switched:
        response = ask(dual, "get", path)
        if response.status_code == 404:
            failures.append(f"{path} as the person in both partnerships: 404; the link must switch to its partnership")
    print(f"\nE-mail links: {len(notes)} e-mails, {len(links)} links x {len(MAIN_PEOPLE) - 1} people: {dict(results)}; "
          f"{len(failures)} leaks")
    assert not failures, "\n".join(failures)


def _names_an_object(path: str) -> bool:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return False
    return bool(set(match.kwargs) - NOT_OBJECTS)


def test_a_case_the_partnership_only_takes_part_in_is_read_only_to_its_business_unit(world):
    """Joint review: the third partnership leads, the main one takes part. The main business unit reads the case; every
    POST on its pages is refused to everyone in the main partnership, and writes nothing."""
    clients = _main_clients(world)
    case_page = url_for(next(r for r in routes() if r.name == "referrals:case_detail"), world.joint)[0]
    page = ask(clients["bu"], "get", case_page)
    assert page.status_code == 200, f"the main business unit cannot read the case it takes part in: {page.status_code}"
    assert JOINT_CHILD_NAME in page.content.decode()
    failures, results, pages = [], Counter(), set()
    for route in routes():
        if "case_id" not in _object_kwargs(route):
            continue
        url, missing = url_for(route, world.joint)
        if missing:
            continue
        pages.add(route.name)
        for person in MAIN_PEOPLE:
            response = ask(clients[person], "post", url)
            result = outcome(response)
            results[f"{person == 'bu' and 'business unit' or 'others'}: {response.status_code}"] += 1
            where = f"POST {route.name} on the joint case as {person}"
            if result not in REFUSED:
                failures.append(f"{where}: {result}; only the leading partnership changes the case")
            elif changed := changed_tables(response):
                failures.append(f"{where}: refused, but it wrote to {changed}")
            elif person == "bu" and set(_object_kwargs(route)) == {"case_id"} and result == "deny" \
                    and response.status_code != 403:
                failures.append(f"{where}: {response.status_code}; a case it takes part in is 403, not hidden")
    print(f"\nJoint case: {len(pages)} pages x {len(MAIN_PEOPLE)} people, POST: {dict(results)}; "
          f"{len(failures)} problems")
    assert not failures, "\n".join(failures)
