"""PostgreSQL: the unlink job rewrites every used invitation each minute while their
campaign is open. With room left on the table's pages the rewrites stay on their
page (no new index entries, no new pages); on packed pages most moved to a new page,
and the table grew by the same amount every minute until a vacuum."""

import pytest
from django.db import connection, transaction

from surveys.answering.traces import invitations_unlink
from surveys.links import new_invitation_token
from surveys.models import Invitation, hash_token
from surveys.tests.respond_helpers import open_campaign

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
LINKS = 1000
ANSWERED = 400
PASSES = 8  # minutes of the job; the last one is measured
REWRITES = "pg_stat_get_xact_tuples_{}updated('surveys_invitation'::regclass)"


def _rewrites_so_far():
    """(rewrites that stayed on their page, all rewrites) counted by this connection."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {REWRITES.format('hot_')}, {REWRITES.format('')}")
        return cursor.fetchone()


def _unlink_pass():
    """One run of the job; returns (rows rewritten, how many stayed on their page)."""
    with transaction.atomic():  # the counters of one transaction cannot be flushed under us
        in_page_before, before = _rewrites_so_far()
        rewritten = invitations_unlink()
        in_page_after, after = _rewrites_so_far()
    assert after - before == rewritten
    return rewritten, in_page_after - in_page_before


def test_the_minute_rewrites_of_used_links_stay_on_their_page(org):
    campaign = open_campaign(org)
    # As a launch writes them, then the sending step gives each its link.
    invitations = Invitation.objects.bulk_create(
        Invitation(
            campaign=campaign,
            email=f"person-{number}@example.org",
            side="employee",
            team=org["team"],
        )
        for number in range(LINKS)
    )
    for invitation in invitations:
        invitation.token_hash = hash_token(new_invitation_token())
    Invitation.objects.bulk_update(invitations, ["token_hash"])
    # Some links answered, one submission after another.
    for invitation in invitations[:ANSWERED]:
        Invitation.objects.filter(pk=invitation.pk, used=False).update(used=True)

    for _ in range(PASSES - 1):
        _unlink_pass()
    rewritten, in_page = _unlink_pass()

    assert rewritten == ANSWERED
    assert in_page >= 0.75 * rewritten, f"only {in_page} of {rewritten} rewrites stayed in page"
    assert Invitation.objects.filter(campaign=campaign, used=True).count() == ANSWERED
