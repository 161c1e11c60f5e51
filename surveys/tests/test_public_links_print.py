"""The printable A4 poster of a team's public link."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from surveys import services
from surveys.tests.campaign_helpers import (
    logged_in,
    make_campaign,
)

pytestmark = pytest.mark.django_db


def test_the_poster_shows_the_team_the_campaign_the_qr_code_and_the_short_url(client, hr_user, org):
    campaign = make_campaign([org["team"]], name="Baromètre 2027", opens_in=1)
    link = services.campaign_launch(campaign=campaign).public_links.get()

    response = logged_in(client, hr_user).get(
        reverse("surveys:public_link_print", args=[campaign.slug, "lyon-reception"])
    )

    assert response.status_code == 200
    text = response.text
    assert "Réception" in text and "Baromètre 2027" in text
    assert f"/q/{link.token}/" in text
    qr = reverse("surveys:public_link_qr", args=[campaign.slug, "lyon-reception", "svg"])
    assert f'src="{qr}"' in text
    assert 'lang="fr"' in text and 'lang="en"' in text  # the invitation, in both languages
    assert "css/campaigns_print.css" in text
    assert "<script>" not in text


def test_the_poster_style_sets_an_a4_page():
    with open(finders.find("css/campaigns_print.css"), encoding="utf-8") as style:
        assert "size: A4" in style.read()


def test_a_team_without_public_link_has_no_poster(client, hr_user, org):
    campaign = make_campaign([org["team"]], opens_in=1)

    url = reverse("surveys:public_link_print", args=[campaign.slug, "lyon-reception"])
    assert logged_in(client, hr_user).get(url).status_code == 404
