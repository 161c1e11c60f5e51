"""Queueing barometer refreshes from the web tier: light, and never failing a request.

Kept apart from `barometer.services` so that a web process queueing a refresh does
not import pandas and the computation stack: with a broker, the task is sent by name.
"""

import logging

from celery import current_app
from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)

COMPUTE_TASK = "barometer.tasks.compute_snapshot"
# While this key exists a refresh of the campaign is already queued: later answers
# ride on it. It expires by itself, so a lost task never blocks refreshes for long.
PENDING_KEY = "barometer:refresh-pending:{}"
PENDING_TTL = 90


def _queue(campaign_id, countdown=None):
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # No broker (the embedded default): run the computation here and now.
        from barometer.tasks import compute_snapshot

        compute_snapshot.apply_async(args=[campaign_id], countdown=countdown)
    else:
        current_app.send_task(COMPUTE_TASK, args=[campaign_id], countdown=countdown)


def snapshot_refresh_later(*, campaign_id):
    """Queue one refresh of the campaign, coalescing with one already queued.

    Called after a submission commits. Never raises: a broker or cache outage only
    delays the figures, and the periodic sweep catches up (the answer is already
    safe in the database).
    """
    key = PENDING_KEY.format(campaign_id)
    try:
        if not cache.add(key, 1, timeout=PENDING_TTL):
            return False
    except Exception:
        # The shared cache is down (likely the broker with it): do not wait on it twice.
        log.warning("Cache unavailable: barometer refresh left to the sweep", exc_info=True)
        return False
    try:
        # Answers arriving during the delay share this one computation.
        _queue(campaign_id, countdown=settings.BAROMETER_REFRESH_DELAY)
        return True
    except Exception:
        log.warning("Could not queue a barometer refresh; the sweep will catch up", exc_info=True)
        cache.delete(key)
        return False


def snapshot_final_later(*, campaign_id):
    """Queue a computation now (a campaign closed: no coalescing). Never raises."""
    try:
        _queue(campaign_id)
        return True
    except Exception:
        log.warning("Could not queue the final barometer; the sweep will do it", exc_info=True)
        return False


def snapshot_refresh_pending_done(*, campaign_id):
    """Let the next answer queue a new refresh (called as a queued refresh starts)."""
    try:
        cache.delete(PENDING_KEY.format(campaign_id))
    except Exception:
        log.debug("cache unavailable", exc_info=True)
