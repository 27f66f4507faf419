"""With Redis down, rate-limited pages still answer: the cache falls back to process memory (issue 10).

Each test owns a redis-server on port 16382 as the cache (docker-compose shares one Redis for cache and
broker) and stops it.
"""

import pytest
import redis
from django.urls import reverse

from portal.cache import FailoverRedisCache
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.billing import BillFactory
from tests.services import RedisServer

pytestmark = [pytest.mark.redis, pytest.mark.django_db]
CACHE_PORT = 16382


@pytest.fixture
def cache_redis(tmp_path, settings):
    server = RedisServer(CACHE_PORT, tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailoverRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield server
    server.stop()


@pytest.fixture
def redis_down(cache_redis):
    cache_redis.stop()
    FailoverRedisCache.fallback.clear()  # process memory outlives a test: start every outage with fresh counters


@pytest.mark.parametrize(
    ("page", "expected_status"),
    [("billing:lookup", 200), ("complaints:new", 200), ("complaints:track", 200), ("payments:pay-public", 302)],
)
def test_a_rate_limited_form_answers_as_usual_with_the_cache_down(client, redis_down, caplog, page, expected_status):
    response = client.post(reverse(page), {})
    assert response.status_code == expected_status  # the form's own answer to empty input, not a 500
    assert "cache: Redis unavailable" in caplog.text


def test_a_bill_lookup_with_the_cache_down_shows_the_bill(client, redis_down):
    connection = ServiceConnectionFactory(account_number="1000000042")
    BillFactory(connection=connection, total=50000)
    body = client.post(reverse("billing:lookup"), {"account_number": "1000000042"}).content.decode()
    assert "Rp 50.000" in body


def test_lookups_stay_limited_per_process_while_the_cache_is_down(client, redis_down, settings):
    settings.BILL_LOOKUP_RATE = "3/m"
    answers = [client.post(reverse("billing:lookup"), {"account_number": "1000000042"}) for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]


def test_limits_are_counted_in_redis_again_once_it_is_back(client, redis_down, cache_redis, monkeypatch):
    monkeypatch.setattr(FailoverRedisCache, "retry_after_seconds", 0)  # as when the fallback period is over
    client.post(reverse("billing:lookup"), {"account_number": "1000000042"})
    cache_redis.start()
    client.post(reverse("billing:lookup"), {"account_number": "1000000042"})
    assert redis.Redis(port=CACHE_PORT).keys("*rl:*")


def test_cache_calls_reuse_one_redis_client_instead_of_building_one_per_call(cache_redis, monkeypatch):
    built = []
    monkeypatch.setattr(redis.Redis, "__init__", _recording(redis.Redis.__init__, built))
    cache = FailoverRedisCache(cache_redis.url, {})
    for number in range(5):
        cache.set(f"key-{number}", number)
        assert cache.get(f"key-{number}") == number
    assert len(built) == 1


def _recording(init, built):
    def recorded(self, *args, **kwargs):
        built.append(self)
        init(self, *args, **kwargs)

    return recorded
