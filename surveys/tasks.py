from celery import shared_task

from surveys import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def campaigns_follow_calendar():
    services.campaigns_follow_calendar()
