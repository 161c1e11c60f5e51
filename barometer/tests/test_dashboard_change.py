"""What the dashboards show of the change since the previous campaign, and a manager's
headline: their own teams first, the organisation as a visible reference."""

import datetime
import json

import pytest

from barometer.services import snapshot_compute
from barometer.tests.factories import add_response, make_campaign
from conftest import make_team, make_user

pytestmark = pytest.mark.django_db


def respond(campaign, team, side, recommend, listening):
    for nps, likert in zip(recommend, listening, strict=True):
        add_response(campaign, team, side, recommend=nps, listening=likert)


def closed(slug, closes_on, teams):
    return make_campaign(slug, teams=teams, closes_on=closes_on, status="closed", live=False)


@pytest.fixture
def december(org):
    """Reception's clients went from none favourable on listening (3 answers) to all
    (5): significant; its employees' eNPS from +50 to +100: within noise."""
    reception, kitchen = org["team"], org["sibling"]
    june = closed("2026-06", datetime.date(2026, 6, 15), [reception, kitchen])
    respond(june, reception, "employee", [10, 10, 9, 5], [5, 4, 2, 1])
    respond(june, reception, "client", [9, 9, 9], [2, 2, 2])
    respond(june, kitchen, "employee", [10, 10], [5, 5])
    snapshot_compute(campaign=june)
    december = closed("2026-12", datetime.date(2026, 12, 15), [reception, kitchen])
    respond(december, reception, "employee", [10] * 6, [5] * 6)
    respond(december, reception, "client", [10] * 5, [5] * 5)
    respond(december, kitchen, "employee", [2, 3, 9, 9, 10], [1, 2, 4, 4, 5])
    snapshot_compute(campaign=december)
    return december


def team_url(campaign, code):
    return f"/dashboards/{campaign.slug}/teams/{code}/"


def spec(response, name):
    page = response.content.decode()
    return json.loads(page.split(f'id="{name}-spec" type="application/json">')[1].split("</")[0])


def test_the_team_cards_and_mirror_table_show_the_change(english, manager, december):
    english.force_login(manager)
    response = english.get(team_url(december, "lyon-reception"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Since the previous campaign: ▲ +50 points, within noise" in page
    assert "compare with “2026-06”, closed on" in page
    rows = {row["code"]: row for row in response.context["mirror_rows"]}
    assert rows["listening"]["employee_change"] == "▲ +50 points, within noise"
    assert rows["listening"]["client_change"] == "▲ +100 points, significant"
    assert rows["trust"]["client_change"] == "—"  # not asked: nothing to compare


def test_the_mirror_marks_the_changes(english, manager, december):
    english.force_login(manager)
    mirror = spec(english.get(team_url(december, "lyon-reception")), "mirror")
    marks = [t for t in mirror["data"] if t["name"] == "Change since the previous campaign"]
    assert [t["text"] for t in marks] == [["▲"], ["▲"]]
    assert any("significant" in text for t in marks for text in t["hovertext"])


def test_a_hidden_previous_figure_gives_no_change(english, org, december):
    english.force_login(org["sibling_manager"])
    response = english.get(team_url(december, "lyon-kitchen"))
    assert response.status_code == 200
    cards = {card["side"]: card for card in response.context["cards"]}
    assert cards["employee"]["score"] and cards["employee"]["change"] is None
    assert 'data-testid="change-employee"' not in response.content.decode()


def test_the_heatmap_shows_changes_on_request(english, hr_user, december):
    english.force_login(hr_user)
    response = english.get(f"/dashboards/{december.slug}/?view=change")
    assert response.context["heatmap_view"] == "change"
    rows = {row["team"]["code"]: row for row in response.context["heatmap_rows"]}
    listening = [text for text, cell in rows["lyon-reception"]["cells"]][3]
    assert listening == "+50 •"  # clients +100, employees +50: the gap moved 50 points
    heatmap = spec(response, "heatmap")
    assert heatmap["config"]["toImageButtonOptions"]["filename"].endswith("-changes")
    gaps = english.get(f"/dashboards/{december.slug}/")
    assert gaps.context["heatmap_view"] == "gap"
    assert 'href="?view=change#heatmap-title"' in gaps.content.decode()


def test_the_teams_table_has_the_score_changes(english, hr_user, december):
    english.force_login(hr_user)
    response = english.get(f"/dashboards/{december.slug}/")
    rows = {row["code"]: row for row in response.context["team_rows"]}
    assert rows["lyon-reception"]["enps_change_text"] == "▲ +50 points, within noise"
    assert rows["lyon-kitchen"]["enps_change_text"] == "—"


# --- scope first ------------------------------------------------------------


def test_a_manager_headline_is_their_own_team(english, manager, december):
    english.force_login(manager)
    response = english.get(f"/dashboards/{december.slug}/")
    [group] = response.context["scope"]
    assert group["team"]["code"] == "lyon-reception"
    cards = {card["side"]: card for card in group["cards"]}
    assert cards["employee"]["score"] == "+100" and cards["employee"]["org"] is not None
    page = response.content.decode()
    assert 'data-testid="scope-lyon-reception"' in page
    heading = page.split('id="organisation-title">')[1].split("</h2>")[0]
    assert heading == "The organisation, for reference"
    assert 'class="visually-hidden">' not in page.split('data-testid="organisation"')[1][:400]


def test_a_manager_of_two_teams_gets_one_card_each_never_their_union(english, org, december):
    paris = make_team("paris", name="Paris", managers=[org["manager"]])
    respond(december, paris, "employee", [0] * 5, [1] * 5)
    snapshot_compute(campaign=december)
    english.force_login(org["manager"])
    response = english.get(f"/dashboards/{december.slug}/")
    groups = {group["team"]["code"]: group for group in response.context["scope"]}
    assert list(groups) == ["lyon-reception", "paris"]
    scores = {code: g["cards"][1]["score"] for code, g in groups.items()}
    assert scores == {"lyon-reception": "+100", "paris": "−100"}
    # 11 employees answered across the two: no card shows their pooled figures.
    assert all(card["responses"] != 11 for g in groups.values() for card in g["cards"])


def test_the_site_manager_headline_is_the_site(english, org, december):
    english.force_login(org["site_manager"])
    response = english.get(f"/dashboards/{december.slug}/")
    assert [g["team"]["name"] for g in response.context["scope"]] == ["Lyon"]


def test_hr_sees_the_organisation_under_a_visible_heading(english, hr_user, december):
    english.force_login(hr_user)
    response = english.get(f"/dashboards/{december.slug}/")
    assert response.context["scope"] == []
    assert 'id="organisation-title">The organisation</h2>' in response.content.decode()


def test_dashboards_are_in_every_manager_menu(english, org):
    for user in (org["manager"], org["site_manager"]):
        english.force_login(user)
        page = english.get("/").content.decode()
        assert 'href="/dashboards/"' in page.split("</nav>")[0]


def test_no_dashboards_link_for_someone_with_no_role(english, stranger):
    english.force_login(stranger)
    assert 'href="/dashboards/"' not in english.get("/").content.decode().split("</nav>")[0]


def test_a_new_manager_gets_the_link_too(english, org):
    newcomer = make_user("nina@example.org")
    org["sibling"].managers.add(newcomer)
    english.force_login(newcomer)
    assert 'href="/dashboards/"' in english.get("/").content.decode().split("</nav>")[0]
