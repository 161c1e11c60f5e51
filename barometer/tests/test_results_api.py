"""GET /api/campaigns/<slug>/results.json, filtered by who asks."""

import pytest

from barometer.services import snapshot_compute
from barometer.tests.factories import add_responses, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org):
    campaign = make_campaign(teams=[org["team"], org["sibling"]], k=3)
    add_responses(campaign, org["team"], "employee", 4, recommend=10)
    add_responses(campaign, org["sibling"], "employee", 4, recommend=3)
    snapshot_compute(campaign=campaign)
    return campaign


def url(campaign):
    return f"/api/campaigns/{campaign.slug}/results.json"


def team_codes(response):
    return [team["code"] for team in response.json()["teams"]]


def test_hr_sees_every_team(client, hr_user, campaign):
    client.force_login(hr_user)
    response = client.get(url(campaign))
    assert response.status_code == 200
    assert team_codes(response) == ["lyon", "lyon-kitchen", "lyon-reception"]


def test_manager_sees_their_team_and_the_organisation_only(client, manager, campaign):
    client.force_login(manager)
    response = client.get(url(campaign))
    assert response.status_code == 200
    assert team_codes(response) == ["lyon-reception"]
    assert response.json()["organisation"]["employee"]["responses"] == 8


def test_site_manager_sees_the_whole_subtree(client, org, campaign):
    client.force_login(org["site_manager"])
    assert team_codes(client.get(url(campaign))) == ["lyon", "lyon-kitchen", "lyon-reception"]


def test_stranger_gets_404(client, stranger, campaign):
    client.force_login(stranger)
    assert client.get(url(campaign)).status_code == 404


def test_manager_of_a_team_outside_the_campaign_gets_404(client, org):
    campaign = make_campaign("elsewhere", teams=[org["sibling"]], k=3)
    add_responses(campaign, org["sibling"], "client", 3, recommend=9)
    snapshot_compute(campaign=campaign)
    client.force_login(org["manager"])
    # The snapshot lists the parent site and the kitchen, never the reception team.
    assert client.get(url(campaign)).status_code == 404


def test_login_is_required(client, campaign):
    response = client.get(url(campaign))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_unknown_campaign_gets_404(client, hr_user):
    client.force_login(hr_user)
    assert client.get("/api/campaigns/nope/results.json").status_code == 404
