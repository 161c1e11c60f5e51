"""The audit log's periodic job (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from audit import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def entries_purge():
    services.entries_purge()
