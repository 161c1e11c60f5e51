"""Computed results: the one published document of each campaign, read by dashboards,
exports and the API, with the release state it was computed from."""

from django.conf import settings
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


class Report(models.Model):
    """An organisation report (PDF) prepared by a Celery job for one reader.

    Drawn from the snapshot computed at ``snapshot_at``, as ``user`` could see it
    (``reach``: a digest of the teams in their reach then) in ``language``. The file is
    kept in the database, which every web process and worker shares, for
    ``barometer.pdf.services.KEPT`` after it is ready; a newer snapshot or another
    reach makes it stale, and the page offers to prepare it again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        READY = "ready"
        FAILED = "failed"

    campaign = models.ForeignKey("surveys.Campaign", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    reach = models.CharField(max_length=64)
    snapshot_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["user", "campaign", "-requested_at"])]
