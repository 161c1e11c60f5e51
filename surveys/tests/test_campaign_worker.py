"""A real Celery worker, over Redis, sends the invitations to a real SMTP server."""

from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller

from conftest import CeleryWorker, _Inbox, free_port, wait_for
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


class FailingAfter(_Inbox):
    """An SMTP server that accepts `accepted` messages, then answers 421 (shutting down)."""

    def __init__(self, accepted):
        super().__init__()
        self.accepted = accepted

    async def handle_DATA(self, server, session, envelope):
        if len(self.messages) >= self.accepted:
            return "421 Service not available, closing transmission channel"
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.postgres  # a real worker and mail server: once, in the PostgreSQL pass
def test_with_the_mail_server_down_midway_the_worker_retries_and_nobody_gets_two_emails(
    org, redis_url
):
    people = [f"person{number}@example.org" for number in range(6)]
    for address in people:
        make_person(org["team"], address)
    campaign = services.campaign_launch(campaign=make_campaign([org["team"]], opens_in=1))
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.OPEN)
    ids = list(campaign.invitations.values_list("id", flat=True))
    port = free_port()
    # Two e-mails leave, then the server goes down in the middle of the batch.
    failing = Controller(FailingAfter(2), hostname="127.0.0.1", port=port)
    failing.start()
    worker = CeleryWorker(
        redis_url, EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(port), MAIL_RETRY_DELAY="3"
    )
    inbox = _Inbox()
    back = Controller(inbox, hostname="127.0.0.1", port=port)
    try:
        worker.send("surveys.tasks.invitations_send", ids)
        wait_for(lambda: "retry: Retry in 3s" in worker_log(worker), what="the first retry")
        failing.stop()
        assert campaign.invitations.filter(sent_count=1).count() == 2

        back.start()  # the server is back, on the same address
        wait_for(lambda: len(inbox.messages) == 4, timeout=90, what="the retry to send the rest")
        # The probe runs after the batch is done: nothing more is on its way.
        worker.send("symetrie.tests.celery_probe.record_attempt_then_finish", "probe", 0)
        wait_for(lambda: Team.objects.filter(code="probe-done").exists(), what="the worker")
    finally:
        back.stop()
        worker.stop()
        redis.Redis.from_url(redis_url).delete(worker.queue)

    received = failing.handler.messages + inbox.messages
    assert sorted(m["To"] for m in received) == sorted(people)
    assert campaign.invitations.filter(sent_count=1).count() == 6
    # The link in each e-mail is the one whose hash is stored.
    assert hashes(tokens_in(received)) == set(
        campaign.invitations.values_list("token_hash", flat=True)
    )


def worker_log(worker):
    return Path(worker.log.name).read_text()
