"""A worker process killed (SIGKILL) in the middle of a barometer computation: the
computation is redone, and the snapshot is the one computed in-process from the same
answers.

To kill it in the middle and not before or after, the test holds a lock on the table of
the campaign's teams, which the computation reads after counting the responses and
before aggregating the answers: the worker's query waits on it, visibly, in
pg_stat_activity. Nothing in the app knows about the test.
"""

import os
import random
import signal
from pathlib import Path

import psycopg
import pytest
import redis

from barometer.models import Snapshot
from barometer.services import snapshot_compute
from barometer.tests.factories import add_response, make_campaign
from conftest import CeleryWorker, database_url_for_subprocess, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

LOCKED_TABLE = "surveys_campaign_teams"


def answer_at_random(campaign, teams, rng):
    """Six responses per team and side, with varied scores and comments."""
    dimensions = ["autonomy", "listening", "trust", "perceived_other"]
    for team in teams:
        for side in ("employee", "client"):
            for _ in range(6):
                values = {code: rng.randint(0, 5) for code in dimensions}
                add_response(
                    campaign,
                    team,
                    side,
                    recommend=rng.randint(0, 10),
                    comment=rng.choice(["Merci", "Plus d'écoute", "Très bien"]),
                    **values,
                )


def waiting_on_the_lock(connection):
    """PostgreSQL backends of the test database waiting on the locked table."""
    rows = connection.execute(
        "SELECT pid FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE %s",
        [f"%{LOCKED_TABLE}%"],
    ).fetchall()
    return {pid for (pid,) in rows}


def pool_processes(worker):
    """The prefork pool's processes (the ones running tasks) of a worker."""
    pid = worker.process.pid
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def without_time(document):
    return {key: value for key, value in document.items() if key != "computed_at"}


def test_a_computation_killed_midway_is_redone_and_gives_the_right_snapshot(org, redis_url):
    campaign = make_campaign("live", teams=[org["team"], org["sibling"]])
    answer_at_random(campaign, [org["team"], org["sibling"]], random.Random(8))
    worker = CeleryWorker(redis_url)
    observer = psycopg.connect(database_url_for_subprocess(), autocommit=True)
    locker = psycopg.connect(database_url_for_subprocess())
    try:
        with locker.transaction():
            locker.execute(f"LOCK TABLE {LOCKED_TABLE} IN ACCESS EXCLUSIVE MODE")
            worker.send("barometer.tasks.compute_snapshot", campaign.pk)
            first = wait_for(
                lambda: waiting_on_the_lock(observer), what="the computation to reach the lock"
            )
            (killed,) = pool_processes(worker)  # --concurrency=1: the one computing
            os.kill(killed, signal.SIGKILL)
            # Delivered again (late acknowledgement, rejected on worker lost) to the
            # fresh process that the pool starts in place of the killed one.
            wait_for(
                lambda: waiting_on_the_lock(observer) - first,
                what="the computation to start again in another process",
            )
            assert killed not in pool_processes(worker)
            assert not Snapshot.objects.filter(campaign=campaign).exists()
        # The lock is released: the second attempt goes on to the end.
        wait_for(lambda: Snapshot.objects.filter(campaign=campaign).exists(), what="the snapshot")
    finally:
        locker.close()
        observer.close()
        worker.stop()
        redis.Redis.from_url(redis_url).delete(worker.queue)

    (from_worker,) = Snapshot.objects.filter(campaign=campaign)
    # The same release computed afresh in this process, from no state.
    Snapshot.objects.filter(campaign=campaign).delete()
    snapshot_compute(campaign=campaign)
    in_process = Snapshot.objects.get(campaign=campaign)
    assert from_worker.state == in_process.state
    assert without_time(from_worker.document) == without_time(in_process.document)
