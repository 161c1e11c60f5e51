"""Answering as a client through a team's public link (QR code): /q/<token>/."""

import pytest

from surveys.models import Campaign, Response
from surveys.tests.respond_helpers import full_answers, open_campaign, public_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(org):
    return public_link(open_campaign(org), org["team"])


def test_the_public_link_opens_the_client_questionnaire_of_the_team(client, link):
    page = client.get(f"/q/{link.token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "The staff take initiatives to solve my problem." in page.text


def test_a_public_answer_is_stored_for_the_team_without_any_link(client, link, org):
    response = client.post(f"/q/{link.token}/", full_answers(link.campaign, "client"))
    assert response.status_code == 302
    stored = Response.objects.get()
    assert (stored.team, stored.side, stored.channel) == (org["team"], "client", "public")


def test_the_same_browser_is_told_it_already_answered(client, link):
    client.post(f"/q/{link.token}/", full_answers(link.campaign, "client"))
    again = client.get(f"/q/{link.token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "already sent from this browser" in again.text
    client.post(f"/q/{link.token}/", full_answers(link.campaign, "client"))
    assert Response.objects.count() == 1


def test_another_browser_can_answer_the_same_public_link(client, link):
    from django.test import Client

    client.post(f"/q/{link.token}/", full_answers(link.campaign, "client"))
    Client().post(f"/q/{link.token}/", full_answers(link.campaign, "client"))
    assert Response.objects.count() == 2


def test_too_many_answers_from_one_address_are_refused_for_a_while(link, settings):
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    settings.PUBLIC_ANSWER_RATE = "2/h"
    statuses = [
        Client().post(f"/q/{link.token}/", full_answers(link.campaign, "client")).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Response.objects.count() == 2


def test_a_public_link_of_a_campaign_without_clients_is_not_valid(client, link):
    Campaign.objects.filter(pk=link.campaign.pk).update(ask_clients=False)
    assert client.get(f"/q/{link.token}/").status_code == 404


def test_an_unknown_public_link_is_not_valid(client, link):
    assert client.get("/q/abcdefghijklmnop/").status_code == 404
