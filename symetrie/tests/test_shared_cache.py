"""The shared cache (CACHE_URL, Redis): production settings pass the deployment
checklist with it, and the rate-limit counters it holds lose no hit."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import redis
from django.test import RequestFactory
from django_ratelimit.core import get_usage

from symetrie.tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.redis

# A database of the shared Redis of its own; the keys a test writes carry its own prefix
# and it deletes them.
CACHE_DB = 13


@pytest.fixture
def cache_url(redis_url):
    return urlsplit(redis_url)._replace(path=f"/{CACHE_DB}").geturl()


def test_production_settings_with_the_redis_cache_pass_the_deployment_checklist(cache_url):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, CACHE_URL=cache_url
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def backend_for(cache_url):
    """The cache backend production settings configure for CACHE_URL."""
    expression = "settings.CACHES['default']['BACKEND']"
    env = {**PRODUCTION, "CACHE_URL": cache_url}
    result = manage("shell", "-c", f"from django.conf import settings; print({expression})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def redis_cache(settings, cache_url):
    """The default cache as CACHE_URL configures it; deletes its keys afterwards."""
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    settings.CACHES = {
        "default": {"BACKEND": backend_for(cache_url), "LOCATION": cache_url, "KEY_PREFIX": prefix}
    }
    yield
    client = redis.Redis.from_url(cache_url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_concurrent_hits_on_the_shared_cache_are_each_counted_once(redis_cache):
    # What the public answer rate limit does, from eight threads at once (each with its
    # own connection). An increment that read then wrote would lose hits: a file-based
    # cache loses most of them.
    request, hits = RequestFactory().post("/"), 8 * 25

    def usage(increment):
        return get_usage(
            request, group="probe", key="ip", rate=f"{2 * hits}/h", increment=increment
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(lambda _: usage(increment=True)["count"], range(hits)))
    assert sorted(counts) == list(range(1, hits + 1))
    assert usage(increment=False)["count"] == hits
