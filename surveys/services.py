"""Side-effecting operations of the surveys app (keyword-only, transactional)."""

from django.db import transaction
from django.utils import timezone

from surveys.models import Campaign


@transaction.atomic
def campaigns_follow_calendar(*, today=None):
    """Close the open campaigns whose close date has passed; return their slugs.

    Safe to run any number of times: a campaign is closed once.
    """
    today = today or timezone.localdate()
    over = Campaign.objects.select_for_update().filter(
        status=Campaign.Status.OPEN, closes_on__lt=today
    )
    closed = list(over.values_list("slug", flat=True))
    over.update(status=Campaign.Status.CLOSED)
    return closed
