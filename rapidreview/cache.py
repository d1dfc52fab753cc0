"""A Redis cache that degrades to the database when Redis is down, never to a server error.

Everything kept in the cache can be worked out again from the database (partnership settings, non-working days,
report results, rate-limit counters), and sessions live in the database. So while Redis does not answer, reads
miss, writes and deletes are skipped, and every page is served from the database, a little slower (issue 21,
finding 3). Only e-mail waits: the outbox rows stay queued until the broker is back (``requeue_due``).

A write skipped during the outage may have been an invalidation (a report's new version, changed settings), so
whatever the cache held from before could now be out of date. The first time this process reaches Redis again
after failing to, it deletes this cache's keys (only keys with its prefix: a broker sharing the database keeps
its queues).
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Redis down must cost a page little: a refused connection fails at once, an unreachable host within this.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


class CacheUnavailable(Exception):
    """Raised by ``incr`` while Redis is down, so a counter can fall back to something else (rapidreview.ratelimit)."""


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self.is_down = False

    def _guard(self, operation, default, *args, **kwargs):
        try:
            result = operation(*args, **kwargs)
        except UNAVAILABLE as exc:
            if not self.is_down:
                logger.warning("Cache unavailable, reading from the database until it is back: %s", exc)
            self.is_down = True
            if default is CacheUnavailable:
                raise CacheUnavailable(str(exc)) from exc
            return default
        if self.is_down:
            self.is_down = False
            self._forget_everything_from_before()
            logger.warning("Cache available again; entries from before the outage were deleted.")
            result = operation(*args, **kwargs)
        return result

    def _forget_everything_from_before(self) -> None:
        try:
            client = self._cache.get_client(None, write=True)
            # Django's keys read "<prefix>:<version>:<key>"; kombu's and Celery's never start that way.
            keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
            for start in range(0, len(keys), 500):
                client.delete(*keys[start:start + 500])
        except UNAVAILABLE:
            self.is_down = True

    def get(self, key, default=None, version=None):
        return self._guard(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._guard(super().has_key, False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().set_many, list(data), data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().add, False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        return self._guard(super().delete_many, None, keys, version)

    def incr(self, key, delta=1, version=None):
        return self._guard(super().incr, CacheUnavailable, key, delta, version)

    def clear(self):
        return self._guard(super().clear, False)
