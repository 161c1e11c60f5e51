"""The organisation overview: /dashboards/ and /dashboards/<slug>/, with its exports."""

import datetime
import io
import json

import openpyxl
import pytest

from barometer.dashboards import pages
from barometer.document import MIRRORED_DIMENSIONS
from barometer.services import snapshot_compute
from barometer.tests.factories import add_responses, make_campaign
from conftest import make_team

pytestmark = pytest.mark.django_db


def answers(likert, recommend):
    return {code: likert for code in MIRRORED_DIMENSIONS} | {"recommend": recommend}


@pytest.fixture
def campaign(org):
    """Reception happy, kitchen less so; a Paris team nobody answered for."""
    paris = make_team("paris", name="Paris")
    campaign = make_campaign(teams=[org["team"], org["sibling"], paris])
    add_responses(campaign, org["team"], "employee", 3, **answers(5, 10))
    add_responses(campaign, org["team"], "client", 3, **answers(3, 9))
    add_responses(campaign, org["sibling"], "employee", 3, **answers(2, 5))
    add_responses(campaign, org["sibling"], "client", 3, **answers(1, 2))
    snapshot_compute(campaign=campaign)
    return campaign


def url(campaign):
    return f"/dashboards/{campaign.slug}/"


def codes(rows):
    return [row["code"] for row in rows]


def spec(response, name):
    page = response.content.decode()
    return json.loads(page.split(f'id="{name}-spec" type="application/json">')[1].split("</")[0])


def test_hr_sees_every_team(client, hr_user, campaign):
    client.force_login(hr_user)
    response = client.get(url(campaign))
    assert response.status_code == 200
    assert codes(response.context["team_rows"]) == [
        "lyon",
        "lyon-kitchen",
        "lyon-reception",
        "paris",
    ]
    assert [row["team"]["code"] for row in response.context["heatmap_rows"]] == [
        "lyon",
        "lyon-kitchen",
        "lyon-reception",
        "paris",
    ]
    page = response.content.decode()
    assert 'data-chart="scatter-spec"' in page and 'data-chart="heatmap-spec"' in page
    assert "<script>" not in page


def test_manager_sees_their_subtree_and_the_organisation(client, manager, campaign):
    client.force_login(manager)
    response = client.get(url(campaign))
    assert response.status_code == 200
    assert codes(response.context["team_rows"]) == ["lyon-reception"]
    cards = {card["side"]: card for card in response.context["cards"]}
    assert cards["employee"]["responses"] == 6  # the whole organisation
    assert codes(response.context["scatter_rows"]) == ["lyon-reception"]


def test_site_manager_sees_the_site_and_its_teams(client, org, campaign):
    client.force_login(org["site_manager"])
    response = client.get(url(campaign))
    assert codes(response.context["team_rows"]) == ["lyon", "lyon-kitchen", "lyon-reception"]


def test_heatmap_tells_gaps_hidden_cells_and_no_data_apart(client, hr_user, campaign):
    client.force_login(hr_user)
    response = client.get(url(campaign))
    rows = {row["team"]["code"]: row["cells"] for row in response.context["heatmap_rows"]}
    assert {cell["state"] for _, cell in rows["lyon-reception"]} == {"gap"}
    assert rows["lyon-reception"][0][0] == "−100"  # clients 0 % favourable, employees 100 %
    assert {cell["state"] for _, cell in rows["paris"]} == {"no_data"}
    heatmap = spec(response, "heatmap")
    gaps, hidden, empty = heatmap["data"][:3]
    assert gaps["z"][3] == [None] * len(MIRRORED_DIMENSIONS)
    assert empty["z"][3] == [1] * len(MIRRORED_DIMENSIONS)
    assert hidden["z"][3] == [None] * len(MIRRORED_DIMENSIONS)


def test_heatmap_greys_out_hidden_sides(client, english, org):
    campaign = make_campaign("small", teams=[org["team"], org["sibling"]], status="closed")
    for team in (org["team"], org["sibling"]):
        add_responses(campaign, team, "employee", 3, **answers(4, 9))
        add_responses(campaign, team, "client", 2, **answers(4, 9))
    snapshot_compute(campaign=campaign)
    client.force_login(org["site_manager"])
    response = client.get(url(campaign))
    rows = {row["team"]["code"]: row["cells"] for row in response.context["heatmap_rows"]}
    assert {cell["state"] for _, cell in rows["lyon-kitchen"]} == {"suppressed"}
    assert {text for text, _ in rows["lyon-kitchen"]} == {"hidden"}
    assert {cell["state"] for _, cell in rows["lyon"]} == {"gap"}
    hidden = spec(response, "heatmap")["data"][1]
    assert hidden["z"][1] == [1] * len(MIRRORED_DIMENSIONS)
    assert hidden["colorscale"] == [[0, "#6c757d"], [1, "#6c757d"]]


def test_teams_table_sorts_by_a_column_with_missing_values_last(client, hr_user, campaign):
    client.force_login(hr_user)
    response = client.get(url(campaign) + "?sort=nps&order=desc")
    assert codes(response.context["team_rows"]) == [
        "lyon-reception",
        "lyon",
        "lyon-kitchen",
        "paris",
    ]
    response = client.get(url(campaign) + "?sort=nps&order=asc")
    assert codes(response.context["team_rows"])[-1] == "paris"
    response = client.get(url(campaign) + "?sort=nps")
    headers = {column["key"]: column for column in response.context["columns"]}
    assert headers["nps"]["aria_sort"] == "ascending"
    assert headers["nps"]["url"].startswith("?sort=nps&order=desc")


def test_a_large_tree_shows_its_top_levels_in_the_heatmap(client, hr_user, campaign, monkeypatch):
    monkeypatch.setattr(pages, "HEATMAP_ROWS", 3)  # lyon and paris fit, their teams not
    client.force_login(hr_user)
    response = client.get(url(campaign))
    assert [row["team"]["code"] for row in response.context["heatmap_rows"]] == ["lyon", "paris"]
    assert spec(response, "heatmap")["layout"]["yaxis"]["ticktext"] == ["Lyon", "Paris"]
    assert response.context["heatmap_hidden"] == 2
    assert 'data-testid="heatmap-note"' in response.content.decode()
    assert codes(response.context["team_rows"])[1] == "lyon-kitchen"  # the table has them all


def test_the_heatmap_takes_the_first_top_teams_when_even_those_do_not_fit(monkeypatch):
    monkeypatch.setattr(pages, "HEATMAP_ROWS", 1)
    teams = [{"code": "a"}, {"code": "a1"}, {"code": "b"}]
    shown = pages.heatmap_teams(teams, {"a": 0, "a1": 1, "b": 0})
    assert [team["code"] for team in shown] == ["a"]


def test_the_teams_table_is_paginated_and_keeps_its_sort(client, hr_user, campaign, monkeypatch):
    monkeypatch.setattr(pages, "TEAMS_PER_PAGE", 3)
    client.force_login(hr_user)
    response = client.get(url(campaign) + "?sort=nps&order=desc&page=2")
    assert codes(response.context["team_rows"]) == ["paris"]
    page = response.content.decode()
    assert 'href="?sort=nps&amp;order=desc&amp;page=1#teams"' in page
    response = client.get(url(campaign) + "?sort=nps&order=desc&page=9")
    assert codes(response.context["team_rows"]) == ["paris"]  # past the end: the last page


def test_beyond_a_page_of_dots_the_teams_table_stands_for_the_scatters_table(
    client, english, hr_user, campaign, monkeypatch
):
    monkeypatch.setattr(pages, "TEAMS_PER_PAGE", 1)
    client.force_login(hr_user)
    response = client.get(url(campaign))
    assert response.context["scatter_rows"] is None
    assert len(spec(response, "scatter")["data"][0]["x"]) == 2
    page = response.content.decode()
    assert 'data-testid="table-scatter"' not in page
    assert "One dot for each of 2 teams" in page and 'href="#teams"' in page


def test_a_new_snapshot_shows_at_once(client, hr_user, campaign, org):
    client.force_login(hr_user)
    before = client.get(url(campaign)).context["cards"]
    add_responses(campaign, org["team"], "employee", 3, **answers(1, 0))
    snapshot_compute(campaign=campaign)
    after = client.get(url(campaign)).context["cards"]
    assert before[1]["responses"] == 6 and after[1]["responses"] == 9


def test_an_unknown_sort_keeps_the_tree_order(client, hr_user, campaign):
    client.force_login(hr_user)
    response = client.get(url(campaign) + "?sort=password")
    assert codes(response.context["team_rows"])[0] == "lyon"


def test_too_few_teams_for_a_correlation_are_said_in_words(client, english, hr_user, campaign):
    client.force_login(hr_user)
    response = client.get(url(campaign))
    assert "not enough teams yet" in response.context["recommend_sentence"]
    rows = response.context["correlation_rows"]
    assert rows[0]["words"] == "not measurable yet: too few teams"


def test_dashboards_opens_the_latest_campaign(client, manager, campaign, org):
    older = make_campaign("2025-q4", teams=[org["team"]], closes_on=datetime.date(2025, 12, 1))
    add_responses(older, org["team"], "employee", 3, **answers(4, 8))
    snapshot_compute(campaign=older)
    client.force_login(manager)
    response = client.get("/dashboards/")
    assert response["Location"] == url(campaign)
    links = client.get(url(campaign)).context["campaigns"]
    assert [link["campaign"].slug for link in links] == [campaign.slug, "2025-q4"]


def test_dashboards_without_results_say_so(client, manager):
    client.force_login(manager)
    response = client.get("/dashboards/")
    assert response.status_code == 200
    assert response.templates[0].name == "barometer/empty.html"


def test_stranger_gets_404(client, stranger, campaign):
    client.force_login(stranger)
    assert client.get("/dashboards/").status_code == 404
    assert client.get(url(campaign)).status_code == 404
    assert client.get(url(campaign) + "export.csv").status_code == 404


def test_manager_of_a_team_outside_the_campaign_gets_404(client, org):
    campaign = make_campaign("elsewhere", teams=[org["sibling"]])
    add_responses(campaign, org["sibling"], "employee", 3, **answers(4, 9))
    snapshot_compute(campaign=campaign)
    client.force_login(org["manager"])
    assert client.get(url(campaign)).status_code == 404


def test_login_is_required(client, campaign):
    for path in ("/dashboards/", url(campaign), url(campaign) + "export.xlsx"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_unknown_campaign_gets_404(client, hr_user, campaign):
    client.force_login(hr_user)
    assert client.get("/dashboards/nope/").status_code == 404
    assert client.get("/dashboards/nope/export.csv").status_code == 404


def test_exports_hold_what_the_manager_sees(client, manager, campaign):
    client.force_login(manager)
    response = client.get(url(campaign) + "export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="symetrie-2026-q4.csv"' in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert {line.split(";")[1] for line in lines[1:]} == {"", "lyon-reception"}
    response = client.get(url(campaign) + "export.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Résultats par côté", "Symétrie", "Corrélations", "À lire"]
    teams = {row[1] for row in workbook["Symétrie"].iter_rows(min_row=2, values_only=True)}
    assert teams == {None, "lyon-reception"}


def test_exports_follow_the_readers_language_or_the_one_asked_for(client, hr_user, campaign):
    client.force_login(hr_user)

    def first_line(query=""):
        response = client.get(url(campaign) + "export.csv" + query)
        return response.content.decode("utf-8-sig").splitlines()[0]

    assert first_line().startswith("Équipe;Code de l’équipe;Chemin;")
    assert first_line("?lang=en").startswith("Team,Team code,Path,")
    assert first_line("?lang=xx").startswith("Équipe;")  # an unknown language is ignored
    client.cookies["django_language"] = "en"
    assert first_line().startswith("Team,Team code,")
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(url(campaign) + "export.xlsx?lang=fr").content)
    )
    assert workbook.sheetnames[-1] == "À lire"
