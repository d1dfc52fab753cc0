"""Walking every URL of the application and asking it, as each kind of person, with objects they may or may not see.

Shared by the permission matrix, the CSRF check, the header checks and the hostile-input tests.
"""

import copy
import re
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

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


def url_in(world, route: Route) -> str:
    """The address of ``route`` in the scene the access table asks it in; every object in it must exist."""
    from .access_table import SCENE

    url, missing = url_for(route, world.objects[SCENE.get(route.name, "A")])
    assert not missing, f"{route.name}: the world builds no {missing}; build them in world.py"
    return url


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


# Tables a refused request may still write: the record that someone looked (or tried to), and the session.
AUDIT_TABLES = {"audit_accesslog", "django_session"}
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)


class Writes(list):
    """The tables written to (INSERT, UPDATE or DELETE) while it is in use as a context manager."""

    def _record(self, execute, sql, params, many, context):
        if match := _WRITE.match(sql):
            self.append(match.group(1).lower())
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self._record)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)

    @property
    def changed(self) -> list[str]:
        """The tables written beyond the access log and the session: empty for every refused request."""
        return sorted(set(self) - AUDIT_TABLES)


def ask(client: Client, method: str, url: str, data=None, **extra):
    """One request whose effects are rolled back, so every request sees the same world (and the same session).

    ``response.writes`` lists the tables the request wrote to (INSERT, UPDATE or DELETE), before the rollback.
    """
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic(), Writes() as writes:
        response = getattr(client, method)(url, data or {}, **extra)
        transaction.set_rollback(True)
    client.cookies = cookies
    response.writes = writes
    return response


def changed_tables(response) -> list[str]:
    """The tables a request changed beyond the access log and the session: empty for every refused request."""
    return response.writes.changed


def outcome(response) -> str:
    """'page' (200), 'redirect:<url name>', 'login' (sent to sign in), 'deny' (403 or 404), 'method' (405),
    'invalid' (400), 'error' (5xx), or 'status <code>' for anything else."""
    code = response.status_code
    if code >= 500:
        return "error"
    if code == 405:
        return "method"
    if code in (403, 404):
        return "deny"
    if code == 200:
        return "page"
    if code == 400:
        return "invalid"
    if code in (301, 302, 303):
        location = response["Location"]
        if location.startswith(SIGN_IN_PAGES):
            return "login"
        try:
            return f"redirect:{resolve(location.split('?')[0].split('#')[0]).view_name}"
        except Resolver404:
            return f"redirect:{location}"
    return f"status {code}"
