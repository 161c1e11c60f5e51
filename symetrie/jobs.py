"""Queueing a Celery task by its name.

A service that queues a job must not import the tasks module that runs it: the tasks
import the services (a task is a thin wrapper over one), so the other way round
would be a circle. Naming the task breaks it, and keeps a web process that queues a
job with a broker from importing what the job needs (pandas, for the barometer).
"""

from celery import current_app
from django.conf import settings


def job_enqueue(name, *, args=(), countdown=None):
    """Queue the task registered as `name` with positional `args`.

    With a broker the message is sent by name. Without one (the embedded default,
    `CELERY_TASK_ALWAYS_EAGER`) the task runs here and now, as `delay` would run it,
    after the apps' tasks modules are imported once. Raises what the broker raises.
    """
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        return current_app.send_task(name, args=list(args), countdown=countdown)
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name].apply_async(args=list(args), countdown=countdown)
