"""snapshot_refresh_hold: a bulk writer's answers queue no refresh until it lets go."""

import pytest
from django.core.cache import cache

from barometer import refresh
from barometer.models import Snapshot
from barometer.tests.factories import add_responses, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_answers_queue_no_refresh_while_the_campaign_is_held(org):
    campaign = make_campaign(teams=[org["team"]])
    add_responses(campaign, org["team"], "client", 3, recommend=9)

    assert refresh.snapshot_refresh_hold(campaign_id=campaign.pk) is True

    assert refresh.snapshot_refresh_later(campaign_id=campaign.pk) is False
    assert not Snapshot.objects.exists()


def test_once_released_the_next_answer_queues_a_refresh_again(org):
    campaign = make_campaign(teams=[org["team"]])
    add_responses(campaign, org["team"], "client", 3, recommend=9)
    refresh.snapshot_refresh_hold(campaign_id=campaign.pk)

    refresh.snapshot_refresh_pending_done(campaign_id=campaign.pk)
    refresh.pending_memo_clear()  # as another process would, without the memo

    assert refresh.snapshot_refresh_later(campaign_id=campaign.pk) is True
    assert Snapshot.objects.latest_for(campaign).document["organisation"]["client"]["responses"]


def test_holding_other_campaigns_leaves_this_one_free(org):
    held = make_campaign(teams=[org["team"]], slug="held")
    free = make_campaign(teams=[org["team"]], slug="free")
    add_responses(free, org["team"], "client", 3, recommend=9)

    refresh.snapshot_refresh_hold(campaign_id=held.pk)

    assert refresh.snapshot_refresh_later(campaign_id=free.pk) is True
