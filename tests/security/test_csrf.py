"""Every page that accepts a POST refuses one without a CSRF token, for a person who may otherwise post there, and
the refused POST changes nothing."""

import pytest
from django.test import Client

from .access_table import ACCESS, PUBLIC, expected
from .matrix import ask, changed_tables, routes, url_in
from .world import build_world

PREFERENCE = ("bu", "chair", "lead", "panel", "exec", "wg", "threshold", "other_exec", "other_lead", "conflicted")


@pytest.mark.django_db
def test_every_post_without_a_csrf_token_is_refused():
    world = build_world()
    clients = {}
    checked, failures = 0, []
    for route in routes():
        if route.name not in ACCESS:
            continue
        allowed, offered = expected(route.name, "post")
        if not offered:
            continue
        if route.name in PUBLIC:
            persona = "anon"
        else:
            persona = next((p for p in PREFERENCE if p in allowed), None)
            if persona is None:
                continue
        if persona not in clients:
            clients[persona] = Client(enforce_csrf_checks=True, raise_request_exception=False)
            if persona != "anon":
                clients[persona].force_login(world.users[persona])
        response = ask(clients[persona], "post", url_in(world, route), {"anything": "x"})
        checked += 1
        if response.status_code != 403:
            failures.append(f"POST {route.name} as {persona} without a token: {response.status_code}")
        elif changed := changed_tables(response):
            failures.append(f"POST {route.name} as {persona} without a token: refused, but it wrote to {changed}")
    print(f"\nCSRF: {checked} POST endpoints checked")
    assert checked > 50
    assert not failures, "\n".join(failures)


def test_no_view_is_exempt_from_csrf():
    from django.urls import URLPattern, URLResolver, get_resolver

    def patterns(resolver):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from patterns(entry)
            elif isinstance(entry, URLPattern):
                yield entry

    exempt = [p.name for p in patterns(get_resolver()) if getattr(p.callback, "csrf_exempt", False)]
    assert exempt == []
