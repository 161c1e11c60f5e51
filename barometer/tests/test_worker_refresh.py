"""With a real worker and Redis: answers lead to a snapshot, even across a Redis outage."""

import os
import subprocess
import sys

import pytest

from barometer.tests.factories import make_campaign, published_responses
from conftest import CeleryWorker, database_url_for_subprocess, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SUBMIT = """
from django.db import transaction
from barometer.refresh import snapshot_refresh_later
from barometer.tests.factories import add_response
from surveys.models import Campaign, Team
campaign = Campaign.objects.get(slug="live")
team = Team.objects.get(code="lyon-reception")
for _ in range({count}):
    with transaction.atomic():
        add_response(campaign, team, "client", recommend=9)
        transaction.on_commit(lambda: snapshot_refresh_later(campaign_id=campaign.pk))
print("stored")
"""


def submit(worker, count):
    """Store `count` answers from another process, the way the web tier does."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SUBMIT.format(count=count)],
        env={
            **os.environ,
            "DATABASE_URL": database_url_for_subprocess(),
            "CELERY_BROKER_URL": worker.broker_url,
            "CELERY_QUEUE": worker.queue,
            "CACHE_URL": worker.env["CACHE_URL"],
            "BAROMETER_REFRESH_DELAY": "1",
            "BROKER_TIMEOUT": "0.5",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "stored"


def test_snapshot_appears_and_the_sweep_catches_up_after_a_redis_outage(org, private_redis):
    campaign = make_campaign("live", teams=[org["team"]])
    # As in production, the cache that coalesces refreshes is shared by web and workers.
    worker = CeleryWorker(private_redis.url, CACHE_URL=private_redis.url.replace("/0", "/1"))
    try:
        submit(worker, 3)
        wait_for(
            lambda: published_responses(campaign) == 3, what="the snapshot of the first answers"
        )

        private_redis.stop()
        submit(worker, 3)  # the refresh cannot be queued: answers are kept
        assert campaign.responses.count() == 6
        assert published_responses(campaign) == 3

        private_redis.start()
        worker.send("barometer.tasks.sweep")
        wait_for(
            lambda: published_responses(campaign) == 6, timeout=60, what="the sweep to catch up"
        )
    finally:
        worker.stop()
