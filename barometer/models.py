"""Computed results: the one published document of each campaign, read by dashboards,
exports and the API, with the release state it was computed from."""

from django.db import models
from django.utils import timezone


class SnapshotQuerySet(models.QuerySet):
    def latest_for(self, campaign):
        return self.filter(campaign=campaign).first()


class Snapshot(models.Model):
    """A campaign's published results: the current live release or the final document.

    One row per campaign, replaced in place by each release, so that no earlier figures
    stay behind to compare with (barometer.releases explains why that alone is not the
    protection, but keeps the database from holding every step).
    """

    campaign = models.OneToOneField(
        "surveys.Campaign", on_delete=models.CASCADE, related_name="snapshot"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    # True once computed for the closed campaign (every remainder pooled, comments in).
    final = models.BooleanField(default=False)
    document = models.JSONField()
    # barometer.releases' state: which answers are already in published atoms. Never
    # served: it holds own counts of groups that may not be published.
    state = models.JSONField(default=dict)

    objects = SnapshotQuerySet.as_manager()
