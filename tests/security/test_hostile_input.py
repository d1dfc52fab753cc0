"""Hostile input: random and hostile values posted to every form in the application, by someone allowed to post.

Forms are found by walking every URL and reading the fields of each page's POST form. Each form gets
four fixed examples (every field script, an impossible number, 100,000 characters, an attribute break-out) and
``HOSTILE_EXAMPLES`` random ones (environment variable, default 5): huge text, unusual unicode, HTML and script,
SQL-like strings, wrong types, impossible dates, missing and duplicated fields. Never a server error, and what was
typed never comes back unescaped, on the form page or on the page it leads to.
"""

import os
import re
from collections import Counter

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .access_table import ACCESS, PUBLIC, expected
from .matrix import ask, routes, url_in
from .world import build_world

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "5"))
PREFERENCE = ("bu", "chair", "lead", "panel", "exec", "wg", "threshold", "other_exec", "other_lead", "conflicted")
# Reached only with side effects the fuzzing should not repeat (signing out ends the session of the fuzzer).
SKIP = {"accounts:logout", "accounts:login", "accounts:reauthenticate", "accounts:mfa_setup",
        "accounts:mfa_backup_codes", "accounts:password_change"}

SCRIPT = '<script>alert("rrxss")</script>'
ATTRIBUTE = '"><svg onload=rrxss>'
RAW_MARKERS = ('<script>alert("rrxss")', "<svg onload=rrxss>")

hostile_text = st.sampled_from([
    SCRIPT, ATTRIBUTE, "' OR '1'='1' --", "'); DROP TABLE referrals_case; --", "%00", "\x00", "\u202egnp.exe",
    "Z̷̢͓a̸l̶g̷o", "🧒🏽👨‍👩‍👧", "\ud7ff\ufeff\u200b", "A" * 100_000, "-1", "0", "99999999999999999999", "1e309",
    "NaN", "31", "2", "2026", "31/02/2026", "2026-02-31", "0000-00-00", "true", "on", "None", "[]", "{}",
    "../../etc/passwd", "{{ 7*7 }}", "{% debug %}", "http://evil.example/", "javascript:alert(1)", " ", "",
])
value = st.one_of(hostile_text, st.text(max_size=300), st.integers().map(str),
                  st.dates().map(lambda d: d.isoformat()))


def _post_forms(html: str) -> list[list[str]]:
    """The field names of each POST form on a page (the CSRF token left out)."""
    forms = []
    for body in re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', html, flags=re.S | re.I):
        names = re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', body, flags=re.I)
        names = [n for n in dict.fromkeys(names) if n != "csrfmiddlewaretoken"]
        if names:
            forms.append(names)
    return forms


def _client(world, persona):
    client = Client(raise_request_exception=False)
    if persona != "anon":
        client.force_login(world.users[persona])
    return client


def _targets(world):
    """(url name, url, persona, fields) for every page with a POST form that some person may submit."""
    found = []
    for route in routes():
        if route.name not in ACCESS or route.name in SKIP:
            continue
        allowed, offered = expected(route.name, "post")
        if not offered:
            continue
        persona = "anon" if route.name in PUBLIC else next((p for p in PREFERENCE if p in allowed), None)
        if persona is None:
            continue
        url = url_in(world, route)
        client = _client(world, persona)
        page = ask(client, "get", url)
        if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
            continue
        for fields in _post_forms(page.content.decode()):
            found.append((route.name, url, persona, client, fields))
            break
    return found


def _attack(name, url, client, fields, tried):
    """A Hypothesis test for one form: post generated values, check the answer and the page it leads to."""

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(data=st.fixed_dictionaries({f: st.one_of(value, st.lists(value, min_size=2, max_size=2), st.none())
                                       for f in fields}))
    def attack(data):
        payload = {k: v for k, v in data.items() if v is not None}  # None: the field is left out
        with transaction.atomic():
            response = client.post(url, payload)
            pages = [response]
            location = response.get("Location", "")
            if response.status_code in (301, 302) and location.startswith("/"):
                pages.append(client.get(location))
            transaction.set_rollback(True)
        tried[name] += 1
        for page in pages:
            assert page.status_code < 500, f"{name}: server error for {payload!r:.300}"
            if page.get("Content-Type", "").startswith("text/html"):
                text = page.content.decode(errors="replace")
                for marker in RAW_MARKERS:
                    assert marker not in text, f"{name}: {marker} came back unescaped"

    # Always tried first, whatever Hypothesis draws: every field at once script, an impossible number, huge text.
    for bad in (SCRIPT, "99999999999999999999", "A" * 100_000, ATTRIBUTE):
        attack = example(data=dict.fromkeys(fields, bad))(attack)
    return attack


@pytest.mark.django_db
def test_hostile_values_never_break_a_form_and_always_come_back_escaped():
    world = build_world()
    targets = _targets(world)
    tried = Counter()
    failures = []

    for name, url, _persona, client, fields in targets:
        try:
            _attack(name, url, client, fields, tried)()
        except AssertionError as error:
            failures.append(str(error).splitlines()[0])
    print(f"\nHostile input: {len(targets)} forms fuzzed, {sum(tried.values())} examples posted")
    assert len(targets) > 30
    assert not failures, "\n".join(failures)
