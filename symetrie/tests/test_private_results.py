"""Results pages, exports and the API are never stored by a browser or a proxy."""

import pytest
from django.urls import reverse

from barometer.services import snapshot_compute
from barometer.tests.factories import add_responses, make_campaign

pytestmark = pytest.mark.django_db

CAMPAIGN, TEAM = {"slug": "2026-q4"}, {"slug": "2026-q4", "code": "lyon-reception"}
# Every family of results URL: the overview, the team page, both export formats, the
# API, and the two shortcuts that redirect to the latest campaign.
RESULTS = [
    ("barometer:overview", CAMPAIGN, 200),
    ("barometer:overview_csv", CAMPAIGN, 200),
    ("barometer:overview_xlsx", CAMPAIGN, 200),
    ("barometer:dashboard_team", TEAM, 200),
    ("barometer:dashboard_team_csv", TEAM, 200),
    ("barometer:dashboard_team_xlsx", TEAM, 200),
    ("barometer:results_json", CAMPAIGN, 200),
    ("barometer:dashboards", {}, 302),
    ("barometer:dashboard_team_latest", {"code": "lyon-reception"}, 302),
]


@pytest.fixture
def campaign(org):
    campaign = make_campaign("2026-q4", teams=[org["team"], org["sibling"]])
    for team in (org["team"], org["sibling"]):
        for side in ("employee", "client"):
            add_responses(campaign, team, side, 3, recommend=9, listening=4)
    snapshot_compute(campaign=campaign)
    return campaign


def directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize(("name", "kwargs", "status"), RESULTS, ids=[row[0] for row in RESULTS])
def test_every_results_answer_is_private_and_never_stored(
    client, manager, campaign, name, kwargs, status
):
    client.force_login(manager)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == status
    assert {"private", "no-store"} <= directives(response)


def test_a_refusal_on_a_results_url_is_not_stored_either(client, manager, stranger, campaign):
    # The rule is the URL's, not the outcome's: a sibling team's export (403 or 404 by
    # the access rules) and a stranger's overview (404) carry it too.
    client.force_login(manager)
    sibling = {**TEAM, "code": "lyon-kitchen"}
    refused = client.get(reverse("barometer:dashboard_team_csv", kwargs=sibling))
    assert refused.status_code in (403, 404)
    assert {"private", "no-store"} <= directives(refused)
    client.force_login(stranger)
    refused = client.get(reverse("barometer:overview", kwargs=CAMPAIGN))
    assert refused.status_code == 404
    assert {"private", "no-store"} <= directives(refused)
