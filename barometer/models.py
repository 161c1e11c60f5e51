"""Computed results: one Snapshot per computation, read by dashboards, exports and the API."""

from django.db import models
from django.utils import timezone


class SnapshotQuerySet(models.QuerySet):
    def latest_for(self, campaign):
        return self.filter(campaign=campaign).order_by("-computed_at").first()


class Snapshot(models.Model):
    campaign = models.ForeignKey(
        "surveys.Campaign", on_delete=models.CASCADE, related_name="snapshots"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    # How many responses the campaign had when computed: the sweep recomputes
    # campaigns whose count moved since, so a lost refresh is caught up.
    responses_seen = models.PositiveIntegerField(default=0)
    document = models.JSONField()

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-computed_at"]
        indexes = [models.Index(fields=["campaign", "-computed_at"])]
