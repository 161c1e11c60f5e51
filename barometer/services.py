"""Computing and scheduling snapshots."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
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
        # Answers arriving during the delay share this one computation.
        compute_snapshot.apply_async(args=[campaign_id], countdown=settings.BAROMETER_REFRESH_DELAY)
        return True
    except Exception:
        log.warning("Could not queue a barometer refresh; the sweep will catch up", exc_info=True)
        try:
            cache.delete(key)
        except Exception:
            log.debug("cache unavailable too", exc_info=True)
        return False


def snapshot_refresh_pending_done(*, campaign_id):
    """Let the next answer queue a new refresh (called as a queued refresh starts)."""
    try:
        cache.delete(PENDING_KEY.format(campaign_id))
    except Exception:
        log.debug("cache unavailable", exc_info=True)


def stale_campaigns():
    """Campaigns whose response count moved since their latest snapshot (or that have
    responses and no snapshot yet)."""
    latest_seen = (
        Snapshot.objects.filter(campaign=OuterRef("pk"))
        .order_by("-computed_at")
        .values("responses_seen")[:1]
    )
    never = Q(responses_seen__isnull=True, responses_now__gt=0)
    moved = Q(responses_seen__isnull=False) & ~Q(responses_seen=F("responses_now"))
    return Campaign.objects.annotate(
        responses_now=Count("responses"), responses_seen=Subquery(latest_seen)
    ).filter(never | moved)


def barometer_sweep():
    """Recompute every stale campaign; return their slugs. Run by beat."""
    slugs = []
    for campaign in stale_campaigns():
        snapshot_compute(campaign=campaign)
        slugs.append(campaign.slug)
    return slugs
