"""Computing and scheduling snapshots."""

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.utils import timezone

from barometer import data
from barometer.document import build_document
from barometer.models import Snapshot
from surveys.models import Campaign


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
