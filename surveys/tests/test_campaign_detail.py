"""A campaign's page: its settings, its progress, and the actions its status allows."""

import pytest
from django.urls import reverse

from surveys import services
from surveys.tests.campaign_helpers import (
    logged_in,
    make_campaign,
    make_person,
)

pytestmark = pytest.mark.django_db


def page(client, user, campaign):
    return logged_in(client, user).get(reverse("surveys:campaign_detail", args=[campaign.slug]))


def test_a_draft_shows_its_settings_and_offers_edit_and_launch(client, hr_user, org):
    campaign = make_campaign([org["team"]], score_threshold=6, reminder_days=[4, 9])

    response = page(client, hr_user, campaign)

    assert response.status_code == 200
    text = response.text
    assert "Draft" in text and "Réception" in text
    assert "days 4, 9 after opening" in text
    assert ">6<" in text  # the score threshold
    assert reverse("surveys:campaign_launch", args=["printemps"]) in text
    assert reverse("surveys:campaign_edit", args=["printemps"]) in text
    assert reverse("surveys:campaign_close", args=["printemps"]) not in text


def test_an_open_campaign_offers_reminder_and_close_and_polls_its_counts(
    client, hr_user, org, django_capture_on_commit_callbacks
):
    make_person(org["team"], "lea@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_launch(campaign=make_campaign([org["team"]]))

    response = page(client, hr_user, campaign)

    text = response.text
    assert "Open" in text
    assert reverse("surveys:campaign_remind", args=["printemps"]) in text
    assert reverse("surveys:campaign_close", args=["printemps"]) in text
    assert reverse("surveys:campaign_launch", args=["printemps"]) not in text
    assert f'data-monitor-url="{reverse("surveys:campaign_monitor", args=["printemps"])}"' in text
    assert "js/campaigns.js" in text
    assert reverse("surveys:campaign_public_links", args=["printemps"]) in text


def test_a_closed_campaign_offers_no_lifecycle_action(
    client, hr_user, org, django_capture_on_commit_callbacks
):
    make_person(org["team"], "lea@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_launch(campaign=make_campaign([org["team"]]))
    services.campaign_close(campaign=campaign)

    response = page(client, hr_user, campaign)

    assert "Closed" in response.text
    for action in ("campaign_launch", "campaign_open", "campaign_remind", "campaign_close"):
        assert reverse(f"surveys:{action}", args=["printemps"]) not in response.text
    assert "data-monitor-url" not in response.text


def test_an_unknown_campaign_is_not_found(client, hr_user):
    response = logged_in(client, hr_user).get(reverse("surveys:campaign_detail", args=["nope"]))

    assert response.status_code == 404
