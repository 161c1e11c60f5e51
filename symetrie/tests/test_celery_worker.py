"""A real Celery worker, started by the test against Redis, does the work."""

import datetime
import os
import signal

import pytest

from conftest import wait_for
from surveys.models import Campaign, Team

pytestmark = pytest.mark.redis


def test_worker_closes_a_campaign_past_its_close_date(celery_worker_process):
    today = datetime.date.today()
    campaign = Campaign.objects.create(
        name="Printemps",
        slug="printemps",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today - datetime.timedelta(days=1),
        status=Campaign.Status.OPEN,
    )

    celery_worker_process("surveys.tasks.campaigns_follow_calendar")

    def closed():
        campaign.refresh_from_db()
        return campaign.status == Campaign.Status.CLOSED

    wait_for(closed, what="the worker to close the campaign")


def test_task_whose_worker_process_is_killed_runs_again(celery_worker_process):
    celery_worker_process("symetrie.tests.celery_probe.record_attempt_then_finish", "job", 120)
    first = wait_for(
        lambda: Team.objects.filter(code__startswith="job-attempt-").first(),
        what="the first attempt to start",
    )

    os.kill(int(first.code.rsplit("-", 1)[1]), signal.SIGKILL)

    wait_for(lambda: Team.objects.filter(code="job-done").exists(), what="the task to run again")
    assert Team.objects.filter(code__startswith="job-attempt-").count() == 2
