"""Expensive reports, kept in the cache until the data they are worked out from changes.

A report names the models it reads::

    watch("themes-report", CaseTheme, Theme, Case.involved_agencies.through)
    report = cached("themes-report", ("year", 2026), lambda: work_it_out(2026))

Any save or delete of a watched model (or a change to a watched many-to-many table) gives the report a new
version; a result cached under an old version is never read again, so nobody sees a figure older than the data.
The version changes at once (so that the writer's own next page is right) and again when the transaction
commits (so that a report worked out by another process while the transaction was open is not kept). Writes that
bypass model signals (``QuerySet.update``, ``bulk_create``) call ``model_changed(Model)`` themselves.

docs/decisions/0005-report-cache.md says why, and what it costs.
"""

import hashlib
import uuid
from collections.abc import Callable, Hashable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

TIMEOUT = 6 * 60 * 60
_watched: dict[type, set[str]] = {}


def _version_key(name: str) -> str:
    return f"datacache:{name}:version"


def _new_version(name: str) -> None:
    cache.set(_version_key(name), uuid.uuid4().hex, None)


def changed(name: str) -> None:
    """The data behind report ``name`` changed: work it out again next time."""
    _new_version(name)
    transaction.on_commit(lambda: _new_version(name))


def model_changed(model: type) -> None:
    """Rows of ``model`` were written without model signals (``QuerySet.update``): every report reading it is stale."""
    for name in _watched.get(model, ()):
        changed(name)


def _on_write(sender, **kwargs) -> None:
    model_changed(sender)


def watch(name: str, *models: type) -> None:
    """Report ``name`` reads ``models``: a write to any of them makes its cached results stale."""
    for model in models:
        if model not in _watched:
            _watched[model] = set()
            post_save.connect(_on_write, sender=model, dispatch_uid=f"datacache-save-{model._meta.label}")
            post_delete.connect(_on_write, sender=model, dispatch_uid=f"datacache-delete-{model._meta.label}")
            m2m_changed.connect(_on_write, sender=model, dispatch_uid=f"datacache-m2m-{model._meta.label}")
        _watched[model].add(name)


def watched(name: str) -> set[type]:
    """The models report ``name`` watches."""
    return {model for model, names in _watched.items() if name in names}


def cached(name: str, key: Iterable[Hashable], compute: Callable, timeout: int = TIMEOUT):
    """``compute()``, or its result from the cache if nothing report ``name`` watches has changed since."""
    version = cache.get(_version_key(name))
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_version_key(name), version, None)
        version = cache.get(_version_key(name), version)
    # Hashed: keys can name many themes or filters, and cache backends limit key length.
    parts = hashlib.sha256(":".join(str(part) for part in key).encode()).hexdigest()
    cache_key = f"datacache:{name}:{version}:{parts}"
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, timeout)
    return value
