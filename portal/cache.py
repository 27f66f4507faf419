"""A Redis cache that a Redis outage cannot turn into server errors.

Django's RedisCache raises on a connection error, and django-ratelimit asks the cache on every limited
request (bill lookup, reporting, tracking, paying): with Redis down, all of them answered 500. Here a
connection error switches the process to its own memory for a few seconds, logged, and Redis is tried
again after that: limits hold per process during the outage and pages keep working.
"""

import logging
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("tirta.cache")


class ReusedRedisClient(RedisCacheClient):
    """Django builds a new `redis.Redis` for every cache call, copying some 170 response callbacks each time
    (about 0.5 ms of a 4 ms home page); one client per connection pool is enough, as redis-py clients are
    thread-safe and the pool is Django's own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # the pools live as long as this object
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailoverRedisCache(RedisCache):
    retry_after_seconds = 5.0
    # One per process, shared by the per-thread cache objects (LocMemCache keeps its data by name).
    fallback = LocMemCache("tirta-cache-fallback", {})

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedRedisClient
        self._down_until = 0.0  # while Redis is known down, don't pay a connection attempt per call

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= self._down_until:
            try:
                return getattr(super(), method)(*args, **kwargs)
            except (RedisConnectionError, RedisTimeoutError) as exc:
                self._down_until = time.monotonic() + self.retry_after_seconds
                logger.error("cache: Redis unavailable (%s); using this process's memory for now", exc)
        return getattr(self.fallback, method)(*args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set", *args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("add", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get_many", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("incr", *args, **kwargs)

    def clear(self) -> Any:
        return self._call("clear")
