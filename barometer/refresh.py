"""Queueing barometer refreshes from the web tier: light, and never failing a request.

The one module of barometer's that surveys calls. Kept apart from `barometer.services`
so that a web process queueing a refresh does not import pandas and the computation
stack: the task is queued by name (`symetrie.jobs`). It also lends the campaign screens
the releases' own pooling rule (`pooling_forecast`), so that the pre-launch checks say
where small teams' answers will count without a second copy of that rule.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache

from barometer import releases
from barometer.models import Snapshot
from symetrie.jobs import job_enqueue

log = logging.getLogger(__name__)

COMPUTE_TASK = "barometer.tasks.compute_snapshot"
# While this key exists a refresh of the campaign is already queued: later answers
# ride on it. It expires by itself, so a lost task never blocks refreshes for long.
PENDING_KEY = "barometer:refresh-pending:{}"
PENDING_TTL = 90
# A process that found (or made) a refresh pending does not ask the shared cache
# again for this long: at hundreds of answers a second that is one round trip a
# second instead of one per answer. An answer committed just after the queued
# refresh started waits for the next answer's refresh, or at worst for the sweep.
PENDING_MEMO = 1.0
_pending_seen = {}


def _queue(campaign_id, countdown=None):
    job_enqueue(COMPUTE_TASK, args=[campaign_id], countdown=countdown)


def snapshot_refresh_later(*, campaign_id):
    """Queue one refresh of the campaign, coalescing with one already queued.

    Called after a submission commits. Never raises: a broker or cache outage only
    delays the figures, and the periodic sweep catches up (the answer is already
    safe in the database).
    """
    now = time.monotonic()
    if now - _pending_seen.get(campaign_id, float("-inf")) < PENDING_MEMO:
        return False
    key = PENDING_KEY.format(campaign_id)
    try:
        added = cache.add(key, 1, timeout=PENDING_TTL)
        if len(_pending_seen) > 1000:
            _pending_seen.clear()
        _pending_seen[campaign_id] = now
        if not added:
            return False
    except Exception:
        # The shared cache is down (likely the broker with it): do not wait on it twice,
        # nor again for the next answers of this second.
        _pending_seen[campaign_id] = now
        log.warning("Cache unavailable: barometer refresh left to the sweep", exc_info=True)
        return False
    try:
        # Answers arriving during the delay share this one computation.
        _queue(campaign_id, countdown=settings.BAROMETER_REFRESH_DELAY)
        return True
    except Exception:
        log.warning("Could not queue a barometer refresh; the sweep will catch up", exc_info=True)
        _pending_seen.pop(campaign_id, None)
        cache.delete(key)
        return False


def pending_memo_clear():
    """Forget what this process saw pending (tests reuse campaign ids)."""
    _pending_seen.clear()


def snapshot_final_later(*, campaign_id):
    """Queue a computation now (a campaign closed: no coalescing). Never raises."""
    try:
        _queue(campaign_id)
        return True
    except Exception:
        log.warning("Could not queue the final barometer; the sweep will do it", exc_info=True)
        return False


def snapshot_reopened(*, campaign_id):
    """Mark the campaign's published results as no longer final (it is being reopened):
    they stay as they are, and the next close publishes a final document again. Returns
    False, changing nothing, when those results were published before releases existed
    (no release state to go on from: new figures could be compared with them). Part of
    the reopening's transaction."""
    published = Snapshot.objects.filter(campaign_id=campaign_id)
    if published.filter(state={}).exists():
        return False
    published.update(final=False)
    return True


def snapshot_refresh_pending_done(*, campaign_id):
    """Let the next answer queue a new refresh (called as a queued refresh starts)."""
    try:
        cache.delete(PENDING_KEY.format(campaign_id))
    except Exception:
        log.debug("cache unavailable", exc_info=True)


def snapshot_refresh_hold(*, campaign_id):
    """Mark a refresh of the campaign as already queued, without queuing one: answers
    submitted meanwhile then queue none. For a writer that submits many answers and
    computes the snapshot itself once at the end (the demo seed). Release the mark with
    `snapshot_refresh_pending_done` (after the answers' commit); it also expires by
    itself like any pending refresh. Never raises: returns False when the shared cache
    is down, and each answer then leaves its refresh to the sweep."""
    try:
        cache.set(PENDING_KEY.format(campaign_id), 1, timeout=PENDING_TTL)
        return True
    except Exception:
        log.warning("Cache unavailable: answers leave their refresh to the sweep", exc_info=True)
        return False


def pooling_forecast(*, tree, invited, scores, comments):
    """Where each team-side's answers would count if everyone invited answered, by the
    close's pooling (``barometer.releases.release``, final, from an empty state).

    ``tree`` maps every team code to its parent's (None at the top); ``invited`` maps
    (team, side) to a number of people. Returns ``(landing, with_comments)``: ``landing``
    maps every team of ``tree``, on each side found in ``invited``, to the team whose own
    figures would hold the answers of its subtree that no team below it holds: itself
    when they reach ``scores``, else the lowest team above it where the pool does, ``""``
    for the organisation's figures only, None for no figure at all; ``with_comments`` is
    the set of (team, side) whose comments could show (the organisation's under ``""``).
    Public-link answers, unknown in advance, are left out.
    """
    raw = {}
    for (team, side), count in invited.items():
        if count:
            raw.setdefault(team, {})[side] = {"personal": {"respondents": count}}
    empty = releases.state_new(scores=scores, comments=comments, kinds={})
    state, _ = releases.release(empty, raw, tree=tree, final=True)
    atoms = state["atoms"]

    def holds(code, side):
        return atoms.get(code, {}).get(side, {}).get("respondents", 0) > 0

    landing = {}
    for side in {side for _team, side in invited}:
        for team in tree:
            code = team
            while code is not None and not holds(code, side):
                code = tree[code]
            if code is None:
                code = releases.ORGANISATION if holds(releases.ORGANISATION, side) else None
            landing[team, side] = code
    with_comments = {
        (code, side)
        for code, sides in atoms.items()
        for side, atom in sides.items()
        if atom.get("comment_respondents")
    }
    return landing, with_comments
