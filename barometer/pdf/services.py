"""Preparing organisation reports in the background, and keeping them for a while.

A report is asked for from the overview's report page, drawn by a Celery job
(``barometer.tasks.build_report``) from the latest snapshot as its reader may see it,
and kept in the database (a ``Report`` row, which every web process and worker shares)
for KEPT after it is ready; older ones go whenever a report is asked for.
"""

import datetime
import hashlib
import logging
from functools import partial

from django.db import transaction
from django.utils import timezone, translation

from barometer.access import results_for
from barometer.models import Report, Snapshot
from barometer.pdf.report import organisation_pdf
from symetrie.jobs import job_enqueue
from symetrie.roles import is_hr

log = logging.getLogger(__name__)

BUILD_TASK = "barometer.tasks.build_report"
KEPT = datetime.timedelta(hours=24)
# A job not finished after this long is taken for lost (its worker gone): it may be
# asked for again.
LOST = datetime.timedelta(hours=1)
Status = Report.Status


def report_reach(user, document):
    """A digest of the teams ``user`` sees in ``document`` (their reach): a report drawn
    for another reach is not theirs to download."""
    if is_hr(user):
        return hashlib.sha256(b"*").hexdigest()
    codes = sorted(team["code"] for team in document["teams"])
    return hashlib.sha256("\n".join(codes).encode()).hexdigest()


def report_current(*, user, campaign, snapshot, document, language, now=None):
    """The user's latest report of this snapshot, reach and language that is ready,
    being made or failed (and not older than KEPT), or None."""
    now = now or timezone.now()
    return (
        Report.objects.filter(
            user=user,
            campaign=campaign,
            language=language,
            snapshot_at=snapshot.computed_at,
            reach=report_reach(user, document),
            requested_at__gte=now - KEPT,
        )
        .defer("pdf")
        .order_by("-requested_at", "-pk")
        .first()
    )


def report_request(*, user, campaign, snapshot, document, language):
    """Ask for the organisation report as ``user`` sees ``document``; return its Report.

    One being made or ready for the same snapshot, reach and language is returned as it
    is (a failed or lost one is asked for again). The job is queued once the row is
    committed; reports older than KEPT are deleted on the way.
    """
    now = timezone.now()
    reports_purge(now=now)
    found = report_current(
        user=user, campaign=campaign, snapshot=snapshot, document=document, language=language
    )
    if found is not None and (
        found.status == Status.READY
        or (found.status != Status.FAILED and found.requested_at >= now - LOST)
    ):
        return found
    with transaction.atomic():
        report = Report.objects.create(
            user=user,
            campaign=campaign,
            language=language,
            snapshot_at=snapshot.computed_at,
            reach=report_reach(user, document),
        )
        transaction.on_commit(partial(job_enqueue, BUILD_TASK, args=[report.pk]))
    return report


def report_build(*, report_id):
    """Draw the report ``report_id`` and store it. A report whose reader can no longer
    see the campaign, or that fails to draw, is marked failed (the page says so)."""
    report = Report.objects.select_related("user", "campaign").filter(pk=report_id).first()
    if report is None or report.status == Status.READY:
        return
    report.status = Status.RUNNING
    report.save(update_fields=["status"])
    snapshot = Snapshot.objects.latest_for(report.campaign)
    document = results_for(report.user, snapshot.document) if snapshot else None
    pdf, status = None, Status.FAILED
    if document is not None:
        try:
            with translation.override(report.language):
                pdf = organisation_pdf(report.campaign, document, scope_all=is_hr(report.user))
            status = Status.READY
        except Exception:
            log.exception("The organisation report %s could not be drawn", report_id)
    # The snapshot drawn: a release between the request and the job is the one printed.
    report.snapshot_at = snapshot.computed_at if snapshot else report.snapshot_at
    report.status, report.pdf, report.finished_at = status, pdf, timezone.now()
    report.save(update_fields=["status", "pdf", "finished_at", "snapshot_at"])


def reports_purge(*, now=None):
    """Delete the reports asked for more than KEPT ago; return how many went."""
    limit = (now or timezone.now()) - KEPT
    deleted, _ = Report.objects.filter(requested_at__lt=limit).delete()
    return deleted
