"""The close button: answers stop, the state is recorded."""

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import services
from surveys.models import Campaign
from surveys.tests.campaign_helpers import (
    logged_in,
    make_campaign,
    make_person,
)

pytestmark = pytest.mark.django_db


def close(client, campaign):
    return client.post(
        reverse("surveys:campaign_close", args=[campaign.slug]), {"confirm": "yes"}, follow=True
    )


def test_closing_an_open_campaign_stops_the_answers(client, hr_user, org):
    make_person(org["team"], "lea@example.org")
    campaign = services.campaign_launch(campaign=make_campaign([org["team"]], days=10))

    response = close(logged_in(client, hr_user), campaign)

    assert "The campaign is closed: it accepts no more answers." in response.text
    campaign.refresh_from_db()
    assert (campaign.status, campaign.closes_on) == (Campaign.Status.CLOSED, timezone.localdate())


def test_a_draft_cannot_be_closed(client, hr_user, org):
    campaign = make_campaign([org["team"]])

    response = close(logged_in(client, hr_user), campaign)

    assert "Only an open campaign can be closed." in response.text
    assert Campaign.objects.get().status == Campaign.Status.DRAFT
