"""The team dashboard: /dashboards/<slug>/teams/<code>/, its latest-campaign shortcut and
its exports."""

import datetime
import io
import json

import openpyxl
import pytest

from barometer.document import MIRRORED_DIMENSIONS
from barometer.services import snapshot_compute
from barometer.tests.factories import add_responses, invite, make_campaign

pytestmark = pytest.mark.django_db


def answers(likert, recommend, **extra):
    """One response's answers: every mirrored dimension at `likert`."""
    return {code: likert for code in MIRRORED_DIMENSIONS} | {"recommend": recommend} | extra


def run_campaign(org, slug, *, closes_on, reception_clients=4, kitchen_clients=3):
    campaign = make_campaign(
        slug, teams=[org["team"], org["sibling"]], closes_on=closes_on, status="closed"
    )
    invite(campaign, org["team"], "employee", 5)
    add_responses(
        campaign, org["team"], "employee", 4, **answers(4, 9, perceived_other=4, comment="Super")
    )
    add_responses(
        campaign, org["team"], "client", reception_clients, **answers(5, 10, perceived_other=2)
    )
    add_responses(campaign, org["sibling"], "employee", 3, **answers(2, 3))
    add_responses(campaign, org["sibling"], "client", kitchen_clients, **answers(3, 6))
    snapshot_compute(campaign=campaign)
    return campaign


@pytest.fixture
def campaign(org):
    run_campaign(org, "2026-q2", closes_on=datetime.date(2026, 6, 15))
    return run_campaign(org, "2026-q4", closes_on=datetime.date(2026, 12, 15))


def url(campaign, code="lyon-reception"):
    return f"/dashboards/{campaign.slug}/teams/{code}/"


def spec(response, name):
    """The Plotly spec the page embeds for one chart."""
    return json.loads(
        response.content.decode()
        .split(f'id="{name}-spec" type="application/json">')[1]
        .split("</script>")[0]
    )


def test_manager_sees_both_sides_of_their_team(client, manager, campaign):
    client.force_login(manager)
    response = client.get(url(campaign))
    assert response.status_code == 200
    cards = {card["side"]: card for card in response.context["cards"]}
    assert cards["client"]["score"] == "+100"
    assert cards["employee"]["score"] == "+100"
    assert cards["employee"]["rate"] == "80\u00a0%"  # 4 of 5 invited, French by default
    page = response.content.decode()
    for name in ("nps", "mirror", "perception", "trend"):
        assert f'data-chart="{name}-spec"' in page
    assert "vendor/plotly/plotly.min.js" in page
    assert "<script>" not in page  # nothing inline: the CSP holds


def test_mirror_table_and_chart_hold_the_snapshot_figures(client, manager, campaign):
    client.force_login(manager)
    response = client.get(url(campaign))
    row = response.context["mirror_rows"][0]
    assert (row["employee"], row["client"], row["gap"]) == ("100\u00a0%", "100\u00a0%", "0")
    mirror = spec(response, "mirror")
    employees = next(trace for trace in mirror["data"] if trace["type"] == "bar")
    assert employees["x"] == [-100.0] * 11


def test_perception_compares_perceived_other_with_the_other_sides_average(
    client, english, manager, campaign
):
    client.force_login(manager)
    rows = client.get(url(campaign)).context["perception_rows"]
    # Employees think clients are served well (4/5: 100 % favourable); clients say 100 %.
    assert [row["perceived"] for row in rows] == ["100%", "0%"]
    assert [row["said"] for row in rows] == ["100%", "100%"]


def test_trend_lists_the_teams_campaigns_by_close_date(client, manager, campaign):
    client.force_login(manager)
    response = client.get(url(campaign))
    assert [row["campaign"].slug for row in response.context["trend_rows"]] == [
        "2026-q2",
        "2026-q4",
    ]
    trend = spec(response, "trend")
    assert trend["data"][0]["y"] == [100.0, 100.0]


def test_comments_show_when_the_group_is_large_enough(client, manager, campaign):
    client.force_login(manager)
    page = client.get(url(campaign)).content.decode()
    assert "Super" in page


def test_comments_below_the_threshold_are_withheld(client, english, manager, org):
    campaign = make_campaign(teams=[org["team"]], comments=10, status="closed")
    add_responses(campaign, org["team"], "employee", 4, **answers(4, 9, comment="Secret"))
    snapshot_compute(campaign=campaign)
    client.force_login(manager)
    page = client.get(url(campaign)).content.decode()
    assert "Secret" not in page
    assert "Comments are shown only for groups of at least 10 respondents" in page


def test_a_hidden_side_says_why_and_shows_no_figure(client, english, manager, org):
    campaign = run_campaign(
        org, "small", closes_on=datetime.date(2026, 9, 1), reception_clients=2, kitchen_clients=2
    )
    client.force_login(manager)
    response = client.get(url(campaign))
    cards = {card["side"]: card for card in response.context["cards"]}
    assert "score" not in cards["client"]
    assert "Hidden to protect anonymity: fewer than 3 respondents" in cards["client"]["message"]
    assert "score" in cards["employee"]
    nps = spec(response, "nps")
    assert [trace["y"] for trace in nps["data"] if trace["name"] != "Organisation"] == [[1]]
    mirror = spec(response, "mirror")
    assert all(trace["name"] != "Clients" for trace in mirror["data"])
    assert response.context["mirror_rows"][0]["client"] == "hidden"
    assert "Hidden to protect anonymity" in response.content.decode()


def test_no_data_is_told_apart_from_hidden(client, english, manager, org):
    campaign = make_campaign(teams=[org["team"]])
    add_responses(campaign, org["team"], "employee", 3, **answers(4, 9))
    snapshot_compute(campaign=campaign)
    client.force_login(manager)
    response = client.get(url(campaign))
    cards = {card["side"]: card for card in response.context["cards"]}
    assert cards["client"]["status"] == "no_data"
    assert cards["client"]["message"] == "No answers yet"


def test_site_manager_sees_a_child_team_and_its_subteams(client, org, campaign):
    client.force_login(org["site_manager"])
    assert client.get(url(campaign)).status_code == 200
    response = client.get(url(campaign, "lyon"))
    assert [row["code"] for row in response.context["subteams"]] == [
        "lyon-kitchen",
        "lyon-reception",
    ]


def test_hr_sees_any_team(client, hr_user, campaign):
    client.force_login(hr_user)
    assert client.get(url(campaign, "lyon-kitchen")).status_code == 200


def test_manager_of_a_sibling_team_gets_403(client, manager, campaign):
    client.force_login(manager)
    assert client.get(url(campaign, "lyon-kitchen")).status_code == 403
    assert client.get("/dashboards/teams/lyon-kitchen/").status_code == 403
    assert client.get(url(campaign, "lyon-kitchen") + "export.csv").status_code == 403


def test_stranger_gets_404(client, stranger, campaign):
    client.force_login(stranger)
    assert client.get(url(campaign)).status_code == 404
    assert client.get("/dashboards/teams/lyon-reception/").status_code == 404


def test_login_is_required(client, campaign):
    response = client.get(url(campaign))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/dashboards/nope/teams/lyon-reception/",
        "/dashboards/2026-q4/teams/nope/",
        "/dashboards/teams/nope/",
    ],
)
def test_bad_campaign_or_team_gets_404(client, hr_user, campaign, path):
    client.force_login(hr_user)
    assert client.get(path).status_code == 404


def test_latest_campaign_shortcut_redirects(client, manager, campaign):
    client.force_login(manager)
    response = client.get("/dashboards/teams/lyon-reception/")
    assert response.status_code == 302
    assert response["Location"] == url(campaign)


def test_team_exports_hold_the_team_and_its_subtree_only(client, org, campaign):
    client.force_login(org["site_manager"])
    response = client.get(url(campaign, "lyon-kitchen") + "export.csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert {line.split(";")[1] for line in lines[1:]} == {"", "lyon-kitchen"}
    response = client.get(url(campaign, "lyon") + "export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Résultats par côté"]
    teams = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert teams == {None, "lyon", "lyon-kitchen", "lyon-reception"}
