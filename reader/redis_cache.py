"""Django's Redis cache backend, keeping one client per connection pool, and
answering like an empty cache while Redis cannot be reached.

Django's client builds a new ``redis.Redis`` for every call, which cost
more than the network round trip (README, "Performance"), and the page
cache reads the content version from Redis on every request. A
``redis.Redis`` is safe to share: it takes a connection from its pool for
each command.

Redis holds only what can be made again (pages, fragments, the content
version): while it is down or restarting, reads miss, writes are dropped
and pages are rendered afresh, instead of every reader getting an error
page. The page cache sees the version missing and neither reads nor stores
a page (reader/page_cache.py); a reconnect happens on the next command.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY = 10  # seconds: one line in the log, not one per request


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class _Unreachable:
    last_warning = 0.0

    @classmethod
    def note(cls, error):
        now = time.monotonic()
        if now - cls.last_warning >= WARN_EVERY:
            cls.last_warning = now
            logger.warning("Redis unreachable, pages rendered without the cache: %s", error)


def _or(default):
    """The method, or ``default`` while Redis cannot be reached."""

    def wrap(method):
        def guarded(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                _Unreachable.note(error)
                return default() if callable(default) else default

        guarded.__name__ = method.__name__
        return guarded

    return wrap


def _missing():
    raise ValueError("Redis unreachable")  # what incr() says of a missing key


class ReusingRedisCache(RedisCache):
    @cached_property
    def _cache(self):
        return ReusingRedisCacheClient(self._servers, **self._options)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            _Unreachable.note(error)
            return default

    add = _or(False)(RedisCache.add)
    set = _or(None)(RedisCache.set)
    touch = _or(False)(RedisCache.touch)
    delete = _or(False)(RedisCache.delete)
    get_many = _or(dict)(RedisCache.get_many)
    set_many = _or(list)(RedisCache.set_many)
    delete_many = _or(None)(RedisCache.delete_many)
    has_key = _or(False)(RedisCache.has_key)
    incr = _or(_missing)(RedisCache.incr)
