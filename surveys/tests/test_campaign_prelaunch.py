"""Pre-launch checks on a draft campaign's page: warnings (never blocks), each with a link
to where it can be fixed."""

import html

import pytest
from django.urls import reverse

from conftest import make_team
from surveys import services
from surveys.models import Campaign, Side
from surveys.prelaunch import prelaunch_warnings
from surveys.tests.campaign_helpers import logged_in, make_campaign, make_person

pytestmark = pytest.mark.django_db


def staff(team, count, *, side=Side.EMPLOYEE, prefix=None):
    prefix = prefix or f"{team.code}-{side}"
    for index in range(count):
        make_person(team, f"{prefix}{index}@example.org", side=side)


def page(client, user, campaign):
    response = logged_in(client, user).get(reverse("surveys:campaign_detail", args=[campaign.slug]))
    assert response.status_code == 200
    return html.unescape(response.text)


def kinds(campaign):
    return [warning.kind for warning in prelaunch_warnings(campaign)]


def test_a_well_built_campaign_has_nothing_to_check(client, hr_user, org):
    staff(org["team"], 5)
    staff(org["team"], 6, side=Side.CLIENT)
    campaign = make_campaign([org["team"]], comment_threshold=5)

    text = page(client, hr_user, campaign)

    assert prelaunch_warnings(campaign) == []
    assert "No problem found" in text
    assert "points to check" not in text


def test_a_team_with_nobody_is_named_with_a_link_to_its_people(client, hr_user, org):
    staff(org["team"], 5)
    staff(org["team"], 5, side=Side.CLIENT)
    empty = make_team("lyon-bar", parent=org["site"], name="Bar")
    campaign = make_campaign([org["site"], org["team"], empty], comment_threshold=5)

    text = page(client, hr_user, campaign)

    assert kinds(campaign) == ["empty", "empty"]
    assert (
        "“Lyon” has nobody to invite: no employees and no clients. "
        "Its figures will be those of the teams below it."
    ) in text
    assert (
        "“Lyon › Bar” has nobody to invite: no employees and no clients. "
        "It still gets a public link and a poster for its clients."
    ) in text
    assert f'href="{reverse("surveys:people")}?team=lyon-bar"' in text
    # A warning, not a block: the launch button is still there.
    assert reverse("surveys:campaign_launch", args=[campaign.slug]) in text


def test_a_team_side_below_the_threshold_can_never_show_figures(client, hr_user, org):
    staff(org["team"], 3)
    staff(org["sibling"], 6)
    campaign = make_campaign(
        [org["team"], org["sibling"]], sides=[Side.EMPLOYEE], comment_threshold=5
    )

    text = page(client, hr_user, campaign)

    assert kinds(campaign) == ["below"]
    assert (
        "“Lyon › Réception”, employees: 3 people invited, fewer than the score threshold (5): "
        "this team can never show figures on this side. Even pooled up the tree they reach "
        "no threshold: they will count in no figure."
    ) in text
    assert reverse("surveys:team_edit", args=[org["team"].pk]) in text
    assert "Cuisine”, employees" not in text


def test_small_siblings_pooled_together_are_both_named(client, hr_user, org):
    staff(org["team"], 3)
    staff(org["sibling"], 2)
    campaign = make_campaign(
        [org["team"], org["sibling"]], sides=[Side.EMPLOYEE], comment_threshold=5
    )

    text = page(client, hr_user, campaign)

    assert kinds(campaign) == ["below", "below", "pooled", "comments"]
    assert "Their answers will count only in the figures of “Lyon”." in text
    pooled = next(w for w in prelaunch_warnings(campaign) if w.kind == "pooled")
    assert pooled.message.startswith("Employees of “Lyon › Cuisine” (2), “Lyon › Réception” (3)")
    assert "none of them shows figures of its own" in pooled.message
    assert pooled.link == f"{reverse('surveys:people')}?team=lyon&subteams=on&side=employee"


def test_a_comment_threshold_above_every_team_says_where_comments_can_show(client, hr_user, org):
    staff(org["team"], 6)
    staff(org["sibling"], 6)
    campaign = make_campaign(
        [org["team"], org["sibling"]], sides=[Side.EMPLOYEE], comment_threshold=10
    )

    text = page(client, hr_user, campaign)

    assert kinds(campaign) == ["comments"]
    assert (
        "The comment threshold (10) is above the size of every team (the largest has 6 people "
        "on one side): no team will show comments of its own. Pooled, comments can show only "
        "in: “Lyon”."
    ) in text
    assert reverse("surveys:campaign_edit", args=[campaign.slug]) in text


def test_an_address_in_two_teams_is_named_once_with_both_places(client, hr_user, org):
    staff(org["team"], 5)
    staff(org["sibling"], 5)
    make_person(org["team"], "Ann@Example.org")
    make_person(org["sibling"], "ann@example.org")
    campaign = make_campaign(
        [org["team"], org["sibling"]], sides=[Side.EMPLOYEE], comment_threshold=6
    )

    text = page(client, hr_user, campaign)

    assert kinds(campaign) == ["duplicate"]
    assert (
        "ann@example.org would be invited 2 times: employees · Lyon › Cuisine, "
        "employees · Lyon › Réception."
    ) in text
    assert f'href="{reverse("surveys:people")}?q=ann%40example.org"' in text


def test_the_checks_are_shown_on_drafts_only(
    client, hr_user, org, django_capture_on_commit_callbacks
):
    staff(org["team"], 2)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_launch(campaign=make_campaign([org["team"]]))
    assert campaign.status == Campaign.Status.OPEN

    text = page(client, hr_user, campaign)

    assert "Before launching" not in text


def test_the_warnings_speak_french_by_default(client, hr_user, org):
    staff(org["team"], 3)
    campaign = make_campaign([org["team"]], sides=[Side.EMPLOYEE], comment_threshold=5)
    client.force_login(hr_user)

    text = html.unescape(client.get(reverse("surveys:campaign_detail", args=[campaign.slug])).text)

    assert "Avant le lancement" in text
    assert (
        "“Lyon › Réception”, salariés : 3 personnes invitées, moins que le seuil des scores (5)"
    ) in text


def test_the_launch_confirmation_shows_the_same_warnings(client, hr_user, org):
    staff(org["team"], 3)  # below the score threshold of 5
    campaign = make_campaign([org["team"]], comment_threshold=5)
    url = reverse("surveys:campaign_launch", args=[campaign.slug])

    text = html.unescape(logged_in(client, hr_user).get(url).text)

    assert [w.kind for w in prelaunch_warnings(campaign)] != []
    for warning in prelaunch_warnings(campaign):
        assert warning.message in text
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.DRAFT
