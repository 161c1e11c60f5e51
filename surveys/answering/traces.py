"""What a submission leaves on its invitation, erased: the writer's transaction id it
shares with its response, and, after the retention, the address and link hash."""

import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from surveys.models import Campaign, Invitation


def invitations_unlink(*, today=None):
    """Rewrite every used invitation of the campaigns open now or closed in the last
    two days, all in one statement.

    In PostgreSQL each row version records the transaction that wrote it (xmin): an
    invitation marked used and the response stored with it share that number until
    the invitation is written again. Rewriting them all at once gives them one common
    number, so nothing ties an invitation to a response any more. Run by beat every
    minute; returns the number of rows rewritten.
    """
    if connection.vendor != "postgresql":
        return 0  # SQLite keeps no writer id per row
    since = (today or timezone.localdate()) - datetime.timedelta(days=2)
    recent = Q(campaign__status=Campaign.Status.OPEN) | Q(campaign__closes_on__gte=since)
    return Invitation.objects.filter(recent, used=True).update(used=True)


def invitations_purge(*, today=None):
    """Erase the e-mail address, person and link hash of every invitation of the
    campaigns closed more than RETENTION_DAYS ago; return how many were erased.

    What remains is whether each invitation was used, per team and side — enough
    for response rates — and the answers, which were never linked to anyone.
    """
    limit = (today or timezone.localdate()) - datetime.timedelta(days=settings.RETENTION_DAYS)
    return (
        Invitation.objects.filter(
            campaign__status=Campaign.Status.CLOSED, campaign__closes_on__lt=limit
        )
        .exclude(email="", person=None, token_hash=None)
        .update(email="", person=None, token_hash=None, link_key=None)
    )
