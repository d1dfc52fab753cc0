"""Whether a reader may open an address, so that pages link only to what answers them (issue 21, finding 16).

A link to a page that answers 403 misleads the reader and adds a "denied" line to the access log at each visit.
The guard a view carries (``role_required`` marks it with ``required_roles``) is read here without calling the
view; object-level rules stay in each app's selectors and decide what a page offers in the first place.

``object_url`` is how models build their own address (``get_absolute_url``) cheaply enough for long lists.
"""

from functools import lru_cache

from django.urls import Resolver404, get_script_prefix, get_urlconf, resolve, reverse

_ANY_ID = "00000000-0000-0000-0000-000000000000"


def _required_roles(view) -> tuple[str, ...] | None:
    while view is not None:
        roles = getattr(view, "required_roles", None)
        if roles is not None:
            return roles
        view = getattr(view, "__wrapped__", None)
    return None


def can_open(user, path: str) -> bool:
    """False when the view at ``path`` needs a role ``user`` does not hold today (or the path resolves nowhere)."""
    if not path:
        return False
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    roles = _required_roles(match.func)
    return roles is None or (user.is_authenticated and user.has_role(*roles))


def openable(user, rows: list[dict], key: str = "url") -> list[dict]:
    """``rows`` (tasks, links) with ``key`` blanked where ``user`` could not open it: shown, but not as a link."""
    return [{**row, key: row[key] if row.get(key) and can_open(user, row[key]) else None} for row in rows]


@lru_cache(maxsize=64)
def _address_pattern(viewname: str, prefix: str, urlconf) -> str:
    return reverse(viewname, urlconf=urlconf, args=[_ANY_ID])


def object_url(viewname: str, object_id) -> str:
    """``reverse(viewname, args=[object_id])`` for a page addressed by one UUID, at a twentieth of the cost: the
    address is reversed once with a stand-in id, which each call replaces. Lists link dozens of rows per request,
    and ``reverse`` walks the URL conf for every one."""
    return _address_pattern(viewname, get_script_prefix(), get_urlconf()).replace(_ANY_ID, str(object_id))
