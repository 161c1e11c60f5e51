"""Whatever Redis does, an answer that got the thank-you page is in the database.

The web app runs under gunicorn in its own process, with Redis as broker and cache,
and that Redis either stopped or accepting connections without ever answering.
"""

import time

import pytest

from conftest import AppServer
from surveys.models import Response
from surveys.tests.http_helpers import Visitor
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link, public_link

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["stopped", "hung"])
def broken_redis(request, private_redis, silent_socket):
    if request.param == "stopped":
        private_redis.stop()
        return private_redis.url
    return f"redis://127.0.0.1:{silent_socket}/0"


def test_answers_are_stored_when_redis_is_down_or_hung(org, broken_redis):
    campaign = open_campaign(org)
    _, token = personal_link(campaign, org["team"])
    link = public_link(campaign, org["sibling"])
    server = AppServer(CELERY_BROKER_URL=broken_redis, CACHE_URL=broken_redis.replace("/0", "/1"))
    try:
        visitor = Visitor(server.url, timeout=30)
        assert visitor.get(f"/r/{token}/")[0] == 200
        started = time.monotonic()
        status, _, headers = visitor.post(f"/r/{token}/", full_answers(campaign, "employee"))
        personal_seconds = time.monotonic() - started
        assert (status, headers.get("Location")) == (302, "/thanks/?lang=fr")

        client = Visitor(server.url, timeout=30)
        client.get(f"/q/{link.token}/")
        status, _, _ = client.post(f"/q/{link.token}/", full_answers(campaign, "client"))
        assert status == 302
    finally:
        server.stop()
    assert Response.objects.filter(channel="link").count() == 1
    assert Response.objects.filter(channel="public", team=org["sibling"]).count() == 1
    # Shown, not asserted: speed is measured in bench/.
    print(f"submission with Redis {broken_redis}: {personal_seconds:.2f} s")
    log = server.log_text()
    assert token not in log
    assert link.token not in log
