"""The overview read as text: its sentences about the same teams never contradict each
other, and response rates count personal links only, whatever the number of teams."""

import html
import json
import re

import pytest

from barometer.services import snapshot_compute
from barometer.tests.factories import add_response, add_responses, invite, make_campaign
from conftest import make_team
from surveys.models import Response

pytestmark = pytest.mark.django_db

NO_POINTS = "Aucune équipe affichée n’a encore ses deux côtés à comparer"
TOO_FEW = "Il n’y a pas encore assez d’équipes"
PUBLIC_CLIENTS = 16


def answer(campaign, team, side, promoters):
    """Three respondents, ``promoters`` of them at 10 and the others at 3."""
    for i in range(3):
        add_response(campaign, team, side, recommend=10 if i < promoters else 3, trust=4)


def add_public(campaign, team, count):
    for _ in range(count):
        Response.objects.create(
            campaign=campaign,
            team=team,
            side="client",
            submitted_on=campaign.opens_on,
            channel=Response.Channel.PUBLIC,
        )


def overview_text(client, campaign):
    page = client.get(f"/dashboards/{campaign.slug}/").content.decode()
    spec = json.loads(page.split('id="scatter-spec" type="application/json">')[1].split("</")[0])
    notes = [html.unescape(note["text"]) for note in spec["layout"]["annotations"]]
    dots = sum(len(trace["x"]) for trace in spec["data"] if trace["name"] == "Équipes")
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.split("<main")[1]))
    return " ".join(text.split()), notes, dots


@pytest.mark.parametrize("compared", [0, 1, 2, 5, 30])
def test_the_overview_says_one_thing_about_the_teams_compared(client, hr_user, compared):
    site = make_team("site", name="Site")
    teams = [make_team(f"t{i:02d}", parent=site, name=f"Équipe {i}") for i in range(compared)]
    lonely = make_team("lonely", parent=site, name="Sans clients")
    campaign = make_campaign(teams=[site, lonely, *teams], status="closed", k=3)
    for i, team in enumerate(teams):
        invite(campaign, team, "employee", 4)
        invite(campaign, team, "client", 3)
        answer(campaign, team, "employee", i % 4)
        answer(campaign, team, "client", (2 * i + 1) % 4)
    # A team whose employees answered and whose clients did not: never compared.
    invite(campaign, lonely, "employee", 3)
    add_responses(campaign, lonely, "employee", 3, recommend=9)
    if teams:
        add_public(campaign, teams[0], PUBLIC_CLIENTS)
    snapshot_compute(campaign=campaign)
    client.force_login(hr_user)

    text, notes, dots = overview_text(client, campaign)

    assert dots == compared
    r_line = notes[0]
    if compared < 5:
        assert r_line.startswith("r\u00a0: non mesurable")
        assert re.search(rf"\b{compared} équipes? comparées?", r_line), r_line
        assert TOO_FEW in text
    else:
        assert r_line.startswith("r = ")
        assert f"· {compared} équipes ·" in r_line
        assert TOO_FEW not in text
    assert (NO_POINTS in text) == (compared == 0)
    assert (NO_POINTS in notes) == (compared == 0)
    # Rates: personal links over invitations, the public link counted apart.
    rates = [int(value) for value in re.findall(r"taux de réponse (\d+)", text)]
    assert rates and all(rate <= 100 for rate in rates)
    if teams:
        assert f"+ {PUBLIC_CLIENTS} par le lien public" in text
        clients = 3 * compared
        assert f"({clients} sur {3 * compared} invités)" in text
    if compared >= 30:
        assert "fiable" in text


def test_a_team_dashboard_counts_its_public_link_answers_apart(client, hr_user):
    team = make_team("bar", name="Bar")
    campaign = make_campaign(teams=[team], status="closed", k=3)
    invite(campaign, team, "client", 10)
    answer(campaign, team, "client", 2)
    answer(campaign, team, "client", 1)
    add_public(campaign, team, PUBLIC_CLIENTS)
    snapshot_compute(campaign=campaign)
    client.force_login(hr_user)
    page = client.get(f"/dashboards/{campaign.slug}/teams/bar/").content.decode()
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "n = 22 répondants" in text
    assert "taux de réponse 60 % (6 sur 10 invités)" in text
    assert f"+ {PUBLIC_CLIENTS} par le lien public" in text
