"""Walking every URL of the application and asking it, as each kind of person, with objects they may or may not see.

Shared by the permission matrix, the CSRF check, the header checks and the hostile-input tests.
"""

import copy
import re
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .world import PERSONAS

# Values for the non-object parts of addresses.
SLUG_VALUES = {"step": "referrer", "key": "involvement", "log": "rapid_review", "kind": "bulletin",
               "uidb64": "MQ", "token": "set-password"}
SKIPPED_PREFIXES = ("django-admin/",)  # the Django admin: staff only, has its own permission checks

SIGN_IN_PAGES = ("/accounts/login/", "/accounts/verify/", "/accounts/account/authenticator/")


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    converters: tuple[tuple[str, str], ...]  # (kwarg name, converter)


def walk(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            pattern = prefix + str(entry.pattern)
            converters = tuple(re.findall(r"<(?:(\w+):)?(\w+)>", pattern))
            yield Route(f"{namespace}{entry.name}", pattern, tuple((name, conv or "str") for conv, name in converters))


def routes() -> list[Route]:
    return [r for r in walk() if not r.pattern.startswith(SKIPPED_PREFIXES)]


def url_for(route: Route, objects: dict) -> tuple[str, list[str]]:
    """The address of ``route`` for the objects of one variant; also the kwargs that had no object (random ids)."""
    kwargs, missing = {}, []
    for name, converter in route.converters:
        if name in objects:
            kwargs[name] = objects[name]
        elif name in SLUG_VALUES:
            kwargs[name] = SLUG_VALUES[name]
        elif converter == "uuid":
            kwargs[name] = uuid.uuid4()
            missing.append(name)
        elif converter == "int":
            kwargs[name] = 987654
            missing.append(name)
        else:
            kwargs[name] = "x"
            missing.append(name)
    return reverse(route.name, kwargs=kwargs), missing


def clients_for(world) -> dict[str, Client]:
    clients = {}
    for persona in PERSONAS:
        client = Client(raise_request_exception=False)
        if persona != "anon":
            client.force_login(world.users[persona])
        clients[persona] = client
    return clients


def ask(client: Client, method: str, url: str, data=None, **extra):
    """One request whose effects are rolled back, so every request sees the same world (and the same session)."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = getattr(client, method)(url, data or {}, **extra)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def outcome(response) -> str:
    """'allow', 'deny', 'login' (sent to sign in), 'method' (405), or 'error' (5xx)."""
    code = response.status_code
    if code >= 500:
        return "error"
    if code == 405:
        return "method"
    if code in (403, 404):
        return "deny"
    if code in (301, 302) and response["Location"].startswith(SIGN_IN_PAGES):
        return "login"
    return "allow"
