"""Computing and scheduling snapshots."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.utils import timezone

from barometer import data
from barometer.document import build_document
from barometer.models import Snapshot
from surveys.models import Campaign

log = logging.getLogger(__name__)

# While this key exists a refresh of the campaign is already queued: later answers
# ride on it. It expires by itself, so a lost task never blocks refreshes for long.
PENDING_KEY = "barometer:refresh-pending:{}"
PENDING_TTL = 90


def snapshot_compute(*, campaign):
    """Compute the campaign's results document now and store it as a new Snapshot.

    Idempotent: computing twice from the same answers gives equal documents (only
    `computed_at` differs). The response count is read in the same transaction as
    the figures, so the sweep knows exactly which answers the snapshot includes.
    """
    now = timezone.now()
    with transaction.atomic():
        responses_seen = campaign.responses.count()
        document = build_document(
            campaign={
                "slug": campaign.slug,
                "name": campaign.name,
                "opens_on": campaign.opens_on.isoformat(),
                "closes_on": campaign.closes_on.isoformat(),
                "status": campaign.status,
            },
            computed_at=now.isoformat(),
            thresholds={"scores": campaign.score_threshold, "comments": campaign.comment_threshold},
            teams=data.campaign_teams(campaign),
            counts=data.answer_counts(campaign),
            respondents=data.respondents(campaign),
            invited=data.invited(campaign),
            comments=data.comments(campaign),
            previous=data.previous_campaign(campaign),
        )
    return Snapshot.objects.create(
        campaign=campaign,
        computed_at=now,
        responses_seen=responses_seen,
        document=document,
    )


def snapshot_refresh_later(*, campaign_id):
    """Queue one refresh of the campaign, coalescing with one already queued.

    Called after a submission commits. Never raises: a broker or cache outage only
    delays the figures, and the periodic sweep catches up (the answer is already
    safe in the database).
    """
    from barometer.tasks import compute_snapshot

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
        compute_snapshot.apply_async(args=[campaign_id], countdown=settings.BAROMETER_REFRESH_DELAY)
        return True
    except Exception:
        log.warning("Could not queue a barometer refresh; the sweep will catch up", exc_info=True)
        cache.delete(key)
        return False


def snapshot_final_later(*, campaign_id):
    """Queue a computation now (a campaign closed: no coalescing). Never raises."""
    from barometer.tasks import compute_snapshot

    try:
        compute_snapshot.delay(campaign_id)
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


def stale_campaigns():
    """Campaigns whose latest snapshot is behind: their response count or their status
    moved since (or they have responses and no snapshot yet)."""
    latest = Snapshot.objects.filter(campaign=OuterRef("pk")).order_by("-computed_at")
    never = Q(responses_seen__isnull=True, responses_now__gt=0)
    seen = Q(responses_seen__isnull=False)
    moved = seen & (~Q(responses_seen=F("responses_now")) | ~Q(status_seen=F("status")))
    return Campaign.objects.annotate(
        responses_now=Count("responses"),
        responses_seen=Subquery(latest.values("responses_seen")[:1]),
        status_seen=Subquery(
            latest.annotate(status=KT("document__campaign__status")).values("status")[:1]
        ),
    ).filter(never | moved)


def barometer_sweep():
    """Recompute every stale campaign; return their slugs. Run by beat."""
    slugs = []
    for campaign in stale_campaigns():
        snapshot_compute(campaign=campaign)
        slugs.append(campaign.slug)
    return slugs
