"""Tasks the worker tests send to a real Celery worker (loaded with --include)."""

import os
import time

from celery import shared_task

from surveys.models import Team


@shared_task
def record_attempt_then_finish(code, pause):
    """Record one attempt (with the worker process id), pause, then record completion.

    Only the first attempt pauses, leaving the test time to kill that process.
    """
    Team.objects.create(code=f"{code}-attempt-{os.getpid()}", name="attempt")
    if Team.objects.filter(code__startswith=f"{code}-attempt-").count() == 1:
        time.sleep(pause)
    Team.objects.get_or_create(code=f"{code}-done", defaults={"name": "done"})
