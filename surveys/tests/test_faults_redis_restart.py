"""Redis killed and restarted while the web tier and a worker are running.

test_respond_broker_down.py starts gunicorn with Redis already down, and
barometer/tests/test_worker_refresh.py shows the sweep catching up after an outage.
What is left: the processes that were connected when Redis died. After the restart,
with nobody restarted and no sweep, the next answers queue their refresh again over
new connections, and the worker, reconnected by itself, computes it.
"""

import time
from pathlib import Path

import pytest

from barometer.tests.factories import published_responses
from conftest import AppServer, CeleryWorker, wait_for
from surveys.models import Team
from surveys.tests.http_helpers import Visitor
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_after_a_redis_restart_answers_queue_refreshes_again_without_restarting_anything(
    org, private_redis
):
    campaign = open_campaign(org)
    tokens = [
        personal_link(campaign, org["team"], email=f"p{number}@example.org")[1]
        for number in range(8)
    ]
    answers = full_answers(campaign, "employee")
    shared = {
        "CACHE_URL": private_redis.url.replace("/0", "/1"),
        "BAROMETER_REFRESH_DELAY": "1",
    }
    worker = CeleryWorker(private_redis.url, **shared)
    server = AppServer(CELERY_BROKER_URL=private_redis.url, CELERY_QUEUE=worker.queue, **shared)

    def answer(token):
        visitor = Visitor(server.url)
        assert visitor.get(f"/r/{token}/")[0] == 200
        assert visitor.post(f"/r/{token}/", answers)[0] == 302

    try:
        for token in tokens[:3]:
            answer(token)
        wait_for(lambda: published_responses(campaign) == 3, timeout=60, what="the first snapshot")

        private_redis.stop()  # SIGKILL, by its pid
        for token in tokens[3:5]:
            answer(token)  # stored; its refresh is left to the sweep
        assert campaign.responses.count() == 5

        private_redis.start()  # same port, empty: what it held is lost
        # Answers keep coming, over a second apart: a process that just met the cache
        # down leaves the next second's answers to the ones after (PENDING_MEMO).
        for token in tokens[5:]:
            time.sleep(1.2)
            answer(token)
        # 5 waiting after the restart's first answer (k = 3): a refresh releases them.
        wait_for(
            lambda: published_responses(campaign) >= 6,
            timeout=90,
            what="a refresh queued after the restart (no sweep was sent)",
        )
    finally:
        server.stop()
        worker.stop()
    assert "Internal Server Error" not in server.log_text()


@pytest.mark.parametrize("held", ["a delayed task", "a running task"])
def test_a_worker_holding_a_task_when_redis_restarts_reconnects_and_goes_on_working(
    private_redis, held
):
    """With kombu 5.7's own transport, a worker holding a delayed task exits here
    (see symetrie/broker.py); one running a task kept going even then."""
    worker = CeleryWorker(private_redis.url)
    try:
        if held == "a delayed task":
            # A sweep due in a minute: the worker holds it, unacknowledged, until then.
            worker.client.send_task("barometer.tasks.sweep", queue=worker.queue, countdown=60)
            wait_for(lambda: "received" in worker_log(worker), what="the worker to take it")
        else:
            # Acknowledged only at its end, 4 seconds later.
            worker.send("symetrie.tests.celery_probe.record_attempt_then_finish", "held", 4)
            wait_for(
                lambda: Team.objects.filter(code__startswith="held-attempt-").exists(),
                what="the worker to start the task",
            )

        private_redis.stop()
        private_redis.start()  # same port, empty
        time.sleep(3)  # the worker notices the lost connection within a second
        assert worker.process.poll() is None, "the worker exited when Redis went away"

        worker.send("symetrie.tests.celery_probe.record_attempt_then_finish", "after", 0)
        wait_for(
            lambda: Team.objects.filter(code="after-done").exists(),
            timeout=60,
            what="a task sent after the restart to run",
        )
        if held == "a running task":
            assert Team.objects.filter(code="held-done").exists()
        assert worker.process.poll() is None
    finally:
        worker.stop()
    assert "Traceback" not in worker_log(worker)


def worker_log(worker):
    return Path(worker.log.name).read_text()
