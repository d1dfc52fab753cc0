"""Counting requests against a limit: shared by every process through the cache, per process while it is down.

A cache outage must not switch rate limits off (issue 21, finding 3): the counters then live in this process
only, which still stops one client hammering one process.
"""

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

from rapidreview.cache import CacheUnavailable

_local = LocMemCache("rapidreview-ratelimit", {"OPTIONS": {"MAX_ENTRIES": 10000}})


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one request against ``key``; True when that makes more than ``limit`` in ``window`` seconds."""
    key = f"ratelimit:{key}"
    try:
        count = _incr(cache, key, window)
    except CacheUnavailable:
        count = _incr(_local, key, window)
    return count > limit


def _incr(store, key: str, window: int) -> int:
    store.add(key, 0, window)
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr
        store.set(key, 1, window)
        return 1
