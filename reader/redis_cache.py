"""Django's Redis cache backend, keeping one client per connection pool.

Django's client builds a new ``redis.Redis`` for every call, which cost
more than the network round trip (README, "Performance"), and the page
cache reads the content version from Redis on every request. A
``redis.Redis`` is safe to share: it takes a connection from its pool for
each command.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


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


class ReusingRedisCache(RedisCache):
    @cached_property
    def _cache(self):
        return ReusingRedisCacheClient(self._servers, **self._options)
