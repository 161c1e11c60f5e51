"""A real Celery worker, over Redis, sends the invitations to a real SMTP server."""

import pytest
import redis

from conftest import wait_for
from surveys import services
from surveys.models import Campaign, Invitation, Team
from surveys.tests.campaign_helpers import (
    hashes,
    make_campaign,
    make_person,
    tokens_in,
)

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_mail(smtp_server, settings, monkeypatch):
    """The loopback SMTP server, also for the worker process started after this fixture."""
    options = settings.MAILERS["default"]["OPTIONS"]
    monkeypatch.setenv("EMAIL_HOST", options["host"])
    monkeypatch.setenv("EMAIL_PORT", str(options["port"]))
    return smtp_server


def test_the_worker_sends_each_invitation_once_and_the_broker_never_sees_a_token(
    worker_mail, celery_worker_process, org, redis_url
):
    for number in range(3):
        make_person(org["team"], f"person{number}@example.org")
    campaign = services.campaign_launch(campaign=make_campaign([org["team"]], opens_in=1))
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.OPEN)
    ids = list(campaign.invitations.values_list("id", flat=True))

    # The same batch twice, as a redelivered task would be.
    celery_worker_process("surveys.tasks.invitations_send", ids)
    celery_worker_process("surveys.tasks.invitations_send", ids)
    # One worker process takes the queue in order: once this probe ran, both batches did.
    celery_worker_process("symetrie.tests.celery_probe.record_attempt_then_finish", "probe", 0)

    wait_for(lambda: Team.objects.filter(code="probe-done").exists(), what="the worker")
    tokens = tokens_in(worker_mail)
    stored = set(Invitation.objects.values_list("token_hash", flat=True))
    assert hashes(tokens) == stored
    broker = redis.Redis.from_url(redis_url)
    for key in broker.scan_iter(count=1000):
        dump = broker.dump(key) or b""
        assert not any(token.encode() in dump for token in tokens)
    assert len(worker_mail) == 3
