"""The "open now" button of a scheduled campaign."""

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


def open_now(client, campaign, capture):
    with capture(execute=True):
        return client.post(
            reverse("surveys:campaign_open", args=[campaign.slug]), {"confirm": "yes"}, follow=True
        )


def test_opening_a_scheduled_campaign_early_sends_the_invitations(
    client, hr_user, org, smtp_server, django_capture_on_commit_callbacks
):
    make_person(org["team"], "lea@example.org")
    campaign = services.campaign_launch(campaign=make_campaign([org["team"]], opens_in=4))

    response = open_now(logged_in(client, hr_user), campaign, django_capture_on_commit_callbacks)

    assert "The campaign is open: the invitations are on their way." in response.text
    campaign.refresh_from_db()
    assert (campaign.status, campaign.opens_on) == (Campaign.Status.OPEN, timezone.localdate())
    assert [message["To"] for message in smtp_server] == ["lea@example.org"]


def test_a_draft_cannot_be_opened_without_being_launched(
    client, hr_user, org, smtp_server, django_capture_on_commit_callbacks
):
    make_person(org["team"], "lea@example.org")
    campaign = make_campaign([org["team"]], opens_in=4)

    response = open_now(logged_in(client, hr_user), campaign, django_capture_on_commit_callbacks)

    assert "Only a scheduled campaign can open." in response.text
    assert Campaign.objects.get().status == Campaign.Status.DRAFT
    assert smtp_server == []
