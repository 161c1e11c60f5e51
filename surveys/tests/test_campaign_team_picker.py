"""The campaign form's team picker: full paths, "and every team below", and a search that
works without JavaScript (the server shows the matching teams, keeping what was ticked)."""

import html

import pytest
from django.urls import reverse

from conftest import make_team
from surveys.models import Campaign
from surveys.tests.campaign_helpers import logged_in
from surveys.tests.test_campaign_create import form_data

pytestmark = pytest.mark.django_db
URL = reverse("surveys:campaign_create")


@pytest.fixture
def tree(org):
    paris = make_team("paris", name="Paris")
    return org | {
        "paris": paris,
        "paris-reception": make_team("paris-reception", parent=paris, name="Réception"),
        "paris-bar": make_team("paris-bar", parent=paris, name="Bar"),
    }


def post(client, user, **changes):
    return logged_in(client, user).post(URL, form_data(changes.pop("org"), tree="", **changes))


def test_the_picker_lists_full_paths_in_a_fieldset_per_top_team(client, hr_user, tree):
    text = html.unescape(logged_in(client, hr_user).get(URL).text)

    assert "Lyon › Réception" in text and "Paris › Réception" in text
    assert text.count("<legend") >= 2
    assert 'name="teams_search"' in text
    assert f'name="teams_below" value="{tree["paris"].pk}"' in text
    assert "Hold Ctrl" not in text


def test_a_branch_brings_the_team_and_every_team_below_it(client, hr_user, tree):
    response = post(
        client, hr_user, org=tree, teams=[tree["team"].pk], teams_below=[tree["paris"].pk]
    )

    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert sorted(campaign.teams.values_list("code", flat=True)) == [
        "lyon-reception",
        "paris",
        "paris-bar",
        "paris-reception",
    ]


def test_the_search_shows_the_matching_teams_and_keeps_the_ticked_ones(client, hr_user, tree):
    response = post(
        client,
        hr_user,
        org=tree,
        teams=[tree["team"].pk],
        teams_search="paris rec",
        teams_find="search",
    )

    assert response.status_code == 200
    assert not Campaign.objects.exists()
    text = html.unescape(response.text)
    assert "Teams matching “paris rec”: tick those to include, then save." in text
    assert "Choose a team tree or at least one team." not in text
    assert "Paris › Réception</label>" in text
    assert "Lyon › Réception</label>" not in text
    # Réception of Lyon, ticked before the search, is kept as a hidden choice.
    assert f'type="hidden" name="teams" value="{tree["team"].pk}"' in text
    assert 'value="all"' in text  # a way back to the whole list


def test_the_search_ignores_accents_and_case(client, hr_user, tree):
    text = html.unescape(
        post(client, hr_user, org=tree, teams_search="RECEPTION", teams_find="search").text
    )
    assert "Lyon › Réception</label>" in text and "Paris › Réception</label>" in text
    assert "Paris › Bar</label>" not in text


def test_enter_in_another_field_with_an_empty_search_saves(client, hr_user, tree):
    # Enter presses the form's first submit button, the picker's Search.
    response = post(
        client, hr_user, org=tree, teams=[tree["sibling"].pk], teams_search="", teams_find="search"
    )

    assert response.status_code == 302
    assert list(Campaign.objects.get().teams.values_list("code", flat=True)) == ["lyon-kitchen"]


def test_no_team_ticked_is_refused_and_nothing_is_written(client, hr_user, tree):
    response = post(client, hr_user, org=tree)

    assert response.status_code == 200
    assert "Choose a team tree or at least one team." in response.text
    assert not Campaign.objects.exists()


def test_an_unknown_team_is_refused(client, hr_user, tree):
    response = post(client, hr_user, org=tree, teams=["999999"])

    assert response.status_code == 200
    assert not Campaign.objects.exists()
