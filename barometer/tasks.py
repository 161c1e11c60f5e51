from celery import shared_task

from barometer import refresh, services
from barometer.pdf import services as report_services
from surveys.models import Campaign


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def compute_snapshot(campaign_id):
    refresh.snapshot_refresh_pending_done(campaign_id=campaign_id)
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is not None:  # deleted meanwhile: nothing to compute
        services.snapshot_compute(campaign=campaign)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def sweep():
    services.barometer_sweep()


@shared_task(acks_late=True)
def build_report(report_id):
    # No retry: a report that fails is marked so, and its reader asks again.
    report_services.report_build(report_id=report_id)
