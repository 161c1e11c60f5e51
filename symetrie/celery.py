"""The Celery application. Configuration lives in settings (CELERY_* names)."""

import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

from symetrie.logging import RedactTokens

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symetrie.settings")

app = Celery("symetrie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def redact_worker_logs(logger, **kwargs):
    """A worker replaces the handlers of settings.LOGGING with its own: give them the
    filter that keeps tokens and e-mail addresses out (what a task prints, such as an
    e-mail from the console backend, lands in the same log)."""
    for handler in logger.handlers:
        handler.addFilter(RedactTokens())
