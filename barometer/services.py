"""Computing and scheduling the published results: releases and their documents."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from barometer import data, releases
from barometer.models import Snapshot
from barometer.publish import publish
from surveys.models import Campaign

Status = Campaign.Status


def snapshot_compute(*, campaign):
    """Run one release of the campaign and publish its document if anything changed.

    Returns the campaign's Snapshot (new, replaced in place, or unchanged), or None when
    nothing is published: an open campaign without live results that was never closed.
    While open (live results), groups with at least k new respondents release; at close,
    everything left pools (``barometer.releases``) and the document becomes final. The
    previous document is replaced in the same transaction, so no superseded figures
    stay behind; a release that forms no new atom writes nothing. Two releases of one
    campaign never interleave (its Snapshot row is locked meanwhile). A final document
    computed before releases existed (no state) is kept as it is.
    """
    now = timezone.now()
    with transaction.atomic():
        # Releases of one campaign take turns on its Snapshot row: the next one starts
        # from the state this one stores. (Not on the campaign's row, which every answer
        # to it needs to share.) The first two at once both insert: the unique campaign
        # refuses the second, which the task retries from the first one's state.
        snapshot = Snapshot.objects.select_for_update().filter(campaign=campaign).first()
        campaign = Campaign.objects.get(pk=campaign.pk)
        final = campaign.status == Status.CLOSED
        if snapshot is not None and snapshot.final and not snapshot.state:
            return snapshot
        if not final and not campaign.live_results:
            return snapshot
        raw, texts = data.raw_tallies(campaign)
        teams = data.campaign_teams(campaign)
        document, state, changed = publish(
            campaign={
                "slug": campaign.slug,
                "name": campaign.name,
                "opens_on": campaign.opens_on.isoformat(),
                "closes_on": campaign.closes_on.isoformat(),
                "status": campaign.status,
            },
            computed_at=now.isoformat(),
            teams=teams,
            state=snapshot.state if snapshot is not None and snapshot.state else None,
            raw=raw,
            texts=texts,
            invited=data.invited(campaign),
            thresholds={"scores": campaign.score_threshold, "comments": campaign.comment_threshold},
            kinds=data.question_kinds(campaign),
            previous=data.previous_final(campaign),
            catalogue=data.question_catalogue(campaign),
            earlier=data.earlier_finals(campaign, [team["code"] for team in teams]),
        )
        if not changed and not final and (snapshot is None or not snapshot.final):
            # Nothing new to publish (and nothing published yet stays so).
            return snapshot
        if snapshot is not None and not changed and snapshot.final == final:
            return snapshot
        if snapshot is None:
            snapshot = Snapshot(campaign=campaign)
        snapshot.computed_at, snapshot.final = now, final
        snapshot.document, snapshot.state = document, state
        snapshot.save()
    return snapshot


def stale_campaigns():
    """Campaigns with something to publish: closed ones whose document is not final yet
    (or that have answers and no document), and open ones with live results where some
    team-side has at least k new respondents since its last release."""
    closed = Campaign.objects.filter(status=Status.CLOSED).filter(
        Q(snapshot__final=False) | Q(snapshot__isnull=True, responses__isnull=False)
    )
    stale = list(closed.distinct())
    for campaign in Campaign.objects.open().filter(live_results=True).select_related("snapshot"):
        snapshot = getattr(campaign, "snapshot", None)
        state = snapshot.state if snapshot is not None and snapshot.state else None
        personal = data.personal_respondents(campaign)
        if state is None:
            if any(n >= campaign.score_threshold for n in personal.values()):
                stale.append(campaign)
        elif releases.releasable(state, personal):
            stale.append(campaign)
    return stale


def barometer_sweep():
    """Publish what every stale campaign has to publish; return their slugs. Run by beat."""
    slugs = []
    for campaign in stale_campaigns():
        snapshot_compute(campaign=campaign)
        slugs.append(campaign.slug)
    return slugs
