"""A worker that cannot hand e-mails to the mail server tries again after MAIL_RETRY_DELAY
seconds, then twice that, four times…, never waiting more than 30 minutes between tries;
run in-process (no broker) the error comes at once."""

from smtplib import SMTPServerDisconnected
from types import SimpleNamespace

import pytest

from surveys import tasks


class Retry(Exception):
    pass


class FakeTask:
    """What _retry_later reads of a bound Celery task, recording the countdown asked for."""

    def __init__(self, retries, *, eager=False):
        self.request = SimpleNamespace(retries=retries, is_eager=eager)
        self.countdown = None

    def retry(self, *, exc, countdown):
        self.countdown = countdown
        return Retry()


def countdown_after(retries):
    task = FakeTask(retries)
    with pytest.raises(Retry):
        tasks._retry_later(task, SMTPServerDisconnected("gone"))
    return task.countdown


def test_the_first_retry_waits_thirty_seconds_by_default():
    assert countdown_after(0) == 30


@pytest.mark.parametrize(("retries", "seconds"), [(0, 5), (1, 10), (2, 20), (9, 1800)])
def test_the_wait_starts_at_the_configured_delay_and_doubles_up_to_30_minutes(
    settings, retries, seconds
):
    settings.MAIL_RETRY_DELAY = 5
    assert countdown_after(retries) == seconds


def test_in_process_the_mail_error_comes_at_once():
    task = FakeTask(0, eager=True)
    with pytest.raises(SMTPServerDisconnected):
        tasks._retry_later(task, SMTPServerDisconnected("gone"))
    assert task.countdown is None
