"""The page of a campaign's public links: one per team, for clients."""

import pytest
from django.urls import reverse

from surveys import services
from surveys.tests.campaign_helpers import (
    logged_in,
    make_campaign,
)

pytestmark = pytest.mark.django_db


def test_each_team_has_its_public_link_with_qr_codes_and_a_poster(client, hr_user, org, settings):
    settings.SITE_URL = "https://barometre.example.org"
    campaign = make_campaign([org["team"], org["sibling"]], opens_in=2)
    services.campaign_launch(campaign=campaign)

    response = logged_in(client, hr_user).get(
        reverse("surveys:campaign_public_links", args=[campaign.slug])
    )

    assert response.status_code == 200
    for link in campaign.public_links.all():
        assert f"https://barometre.example.org/q/{link.token}/" in response.text
        for format in ("png", "svg"):
            qr = reverse("surveys:public_link_qr", args=[campaign.slug, link.team.code, format])
            assert f'download href="{qr}"' in response.text
        poster = reverse("surveys:public_link_print", args=[campaign.slug, link.team.code])
        assert poster in response.text


def test_a_campaign_without_clients_has_no_public_link(client, hr_user, org):
    campaign = make_campaign([org["team"]], sides=["employee"])

    response = logged_in(client, hr_user).get(
        reverse("surveys:campaign_public_links", args=[campaign.slug])
    )

    assert "No public link" in response.text
