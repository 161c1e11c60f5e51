"""Adding teams and people to a launched campaign: the numbers first, then the
invitations out through the usual sending, nobody twice, added teams as new leaves of
the campaign's frozen tree."""

import pytest
from django.urls import reverse

from conftest import make_team
from surveys import services
from surveys.models import Campaign, Invitation, PublicLink, Side
from surveys.tests.campaign_helpers import logged_in, make_campaign, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org, smtp_server, django_capture_on_commit_callbacks):
    """Open on the reception only; Léa has her invitation."""
    make_person(org["team"], "lea@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_launch(campaign=make_campaign([org["team"]]))
    smtp_server.clear()
    return campaign


def add(client, campaign, capture, **data):
    with capture(execute=True):
        return client.post(
            reverse("surveys:campaign_extend", args=[campaign.slug]), data, follow=True
        )


def test_adding_a_team_shows_the_numbers_first_and_sends_nothing(
    client, hr_user, org, campaign, smtp_server, django_capture_on_commit_callbacks
):
    make_person(org["sibling"], "hugo@example.org")
    make_person(org["sibling"], "client@example.org", side=Side.CLIENT)

    response = add(
        logged_in(client, hr_user),
        campaign,
        django_capture_on_commit_callbacks,
        teams=[org["sibling"].pk],
    )

    assert "1 team joins the campaign" in response.text
    assert response.context["per_side"] == [
        {"side": "employee", "label": "Employees", "count": 1},
        {"side": "client", "label": "Clients", "count": 1},
    ]
    assert Invitation.objects.count() == 1
    assert smtp_server == []


def test_a_confirmed_team_is_invited_and_becomes_a_leaf_of_the_frozen_tree(
    client, hr_user, org, campaign, smtp_server, django_capture_on_commit_callbacks
):
    make_person(org["sibling"], "hugo@example.org")
    before = list(Campaign.objects.get(pk=campaign.pk).frozen_tree)

    response = add(
        logged_in(client, hr_user),
        campaign,
        django_capture_on_commit_callbacks,
        teams=[org["sibling"].pk],
        confirm="yes",
    )

    assert "1 person invited. 1 team added." in response.text
    assert [message["To"] for message in smtp_server] == ["hugo@example.org"]
    campaign.refresh_from_db()
    assert set(campaign.teams.all()) == {org["team"], org["sibling"]}
    assert campaign.frozen_tree == [
        *before,
        {"code": "lyon-kitchen", "name": "Cuisine", "parent": "lyon"},
    ]
    assert PublicLink.objects.filter(campaign=campaign, team=org["sibling"]).exists()


def test_a_team_from_another_branch_hangs_under_its_nearest_ancestor_in_the_tree(
    client, hr_user, org, campaign, django_capture_on_commit_callbacks
):
    # The bar sits under a floor that is not in the campaign: it joins under Lyon.
    floor = make_team("lyon-floor", parent=org["site"], name="Étage")
    bar = make_team("lyon-bar", parent=floor, name="Bar")

    add(
        logged_in(client, hr_user),
        campaign,
        django_capture_on_commit_callbacks,
        teams=[bar.pk],
        confirm="yes",
    )

    campaign.refresh_from_db()
    assert campaign.frozen_tree[-1] == {"code": "lyon-bar", "name": "Bar", "parent": "lyon"}
    assert [row["code"] for row in campaign.frozen_tree].count("lyon-bar") == 1


def test_people_added_by_address_are_invited_once(
    client, hr_user, org, campaign, smtp_server, django_capture_on_commit_callbacks
):
    make_person(org["team"], "nina@example.org")
    hr = logged_in(client, hr_user)

    add(
        hr,
        campaign,
        django_capture_on_commit_callbacks,
        emails="nina@example.org lea@example.org",
        confirm="yes",
    )
    again = add(
        hr, campaign, django_capture_on_commit_callbacks, emails="nina@example.org", confirm="yes"
    )

    assert "0 people invited." in again.text
    assert [message["To"] for message in smtp_server] == ["nina@example.org"]
    assert Invitation.objects.filter(email="lea@example.org").count() == 1
    assert Invitation.objects.filter(email="nina@example.org").count() == 1


def test_the_newcomers_of_the_campaigns_teams_are_invited(
    client, hr_user, org, campaign, smtp_server, django_capture_on_commit_callbacks
):
    make_person(org["team"], "nina@example.org")
    make_person(org["team"], "omar@example.org", side=Side.CLIENT)

    add(
        logged_in(client, hr_user),
        campaign,
        django_capture_on_commit_callbacks,
        newcomers="on",
        confirm="yes",
    )

    assert sorted(message["To"] for message in smtp_server) == [
        "nina@example.org",
        "omar@example.org",
    ]


def test_a_person_of_a_team_outside_the_campaign_is_refused_with_the_reason(
    client, hr_user, org, campaign, smtp_server, django_capture_on_commit_callbacks
):
    make_person(org["sibling"], "hugo@example.org")

    response = add(
        logged_in(client, hr_user),
        campaign,
        django_capture_on_commit_callbacks,
        emails="hugo@example.org",
        confirm="yes",
    )

    assert "hugo@example.org is in the team “Cuisine”" in response.text
    assert Invitation.objects.count() == 1
    assert smtp_server == []


def test_an_unknown_address_is_refused_and_nothing_is_added(
    client, hr_user, org, campaign, smtp_server, django_capture_on_commit_callbacks
):
    response = add(
        logged_in(client, hr_user),
        campaign,
        django_capture_on_commit_callbacks,
        teams=[org["sibling"].pk],
        emails="nobody@example.org",
        confirm="yes",
    )

    assert "Nobody with this address on an asked side: nobody@example.org" in response.text
    assert list(campaign.teams.all()) == [org["team"]]
    assert smtp_server == []


def test_an_empty_choice_says_what_to_choose(
    client, hr_user, campaign, django_capture_on_commit_callbacks
):
    response = add(logged_in(client, hr_user), campaign, django_capture_on_commit_callbacks)

    assert "Choose teams, people or the newcomers to add." in response.text


def test_nothing_can_be_added_to_a_closed_campaign(
    client, hr_user, org, campaign, django_capture_on_commit_callbacks
):
    services.campaign_close(campaign=campaign)
    make_person(org["sibling"], "hugo@example.org")

    response = add(
        logged_in(client, hr_user),
        campaign,
        django_capture_on_commit_callbacks,
        teams=[org["sibling"].pk],
        confirm="yes",
    )

    assert "can only be added to a scheduled or open campaign" in response.text
    assert list(campaign.teams.all()) == [org["team"]]


def test_people_added_to_a_scheduled_campaign_wait_for_its_opening(
    client, hr_user, org, smtp_server, django_capture_on_commit_callbacks
):
    make_person(org["team"], "lea@example.org")
    campaign = services.campaign_launch(campaign=make_campaign([org["team"]], opens_in=3))
    make_person(org["sibling"], "hugo@example.org")

    add(
        logged_in(client, hr_user),
        campaign,
        django_capture_on_commit_callbacks,
        teams=[org["sibling"].pk],
        confirm="yes",
    )

    assert Invitation.objects.filter(email="hugo@example.org", sent_count=0).exists()
    assert smtp_server == []
