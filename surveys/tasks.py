"""Celery tasks of the surveys app: thin, taking ids, with their retry policy."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from surveys import sending, services, shuffle
from surveys.answering import traces

# A mail server that cannot be reached or answers with an error.
MAIL_ERRORS = (SMTPException, OSError)
# The longest wait between two tries at sending mail, in seconds.
MAIL_RETRY_CAP = 1800


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def campaigns_follow_calendar():
    services.campaigns_follow_calendar()


@shared_task(bind=True, max_retries=10)
def invitations_send(self, invitation_ids):
    try:
        sending.invitations_send(invitation_ids=invitation_ids)
    except MAIL_ERRORS as error:
        _retry_later(self, error)


@shared_task(bind=True, max_retries=10)
def reminders_send(self, invitation_ids, reminder_round):
    try:
        sending.reminders_send(invitation_ids=invitation_ids, reminder_round=reminder_round)
    except MAIL_ERRORS as error:
        _retry_later(self, error)


def _retry_later(task, error):
    # Back off MAIL_RETRY_DELAY (30 s), twice that, four times… up to 30 min. Run
    # in-process (no broker), there is no worker to retry later: fail now, the "send
    # pending e-mails" button and the calendar task send what is left.
    if task.request.is_eager:
        raise error
    delay = settings.MAIL_RETRY_DELAY * 2**task.request.retries
    raise task.retry(exc=error, countdown=min(delay, MAIL_RETRY_CAP))


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def invitations_unlink():
    traces.invitations_unlink()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def responses_shuffle():
    shuffle.responses_shuffle()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def responses_shuffle_campaign(campaign_id):
    shuffle.responses_shuffle(campaign_id=campaign_id, whole=True)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def invitations_purge():
    traces.invitations_purge()
