"""A campaign's releases with the database: its frozen tree, reopening, thresholds, and
what the dashboards say about them."""

import datetime

import pytest
from django.utils import timezone, translation

from barometer import data, services
from barometer.models import Snapshot
from barometer.tests.factories import add_responses, make_campaign
from conftest import make_team
from surveys import services as campaigns
from surveys.models import Campaign, Person, Team
from surveys.services import CampaignError
from surveys.tests.campaign_helpers import make_campaign as make_draft

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def in_english():
    with translation.override("en"):
        yield


def published(campaign, code=None, side="employee"):
    document = Snapshot.objects.get(campaign=campaign).document
    if code is None:
        return document["organisation"][side]
    return next(t for t in document["teams"] if t["code"] == code)[side]


def test_launching_freezes_the_tree_that_figures_roll_up_through(org):
    Person.objects.create(side="employee", email="e@example.org", team=org["team"])
    draft = make_draft([org["team"], org["sibling"]], sides=["employee"])
    campaign = campaigns.campaign_launch(campaign=draft)
    frozen = data.campaign_teams(campaign)

    # HR moves the reception team under a new site after the launch.
    elsewhere = make_team("paris", name="Paris")
    Team.objects.filter(pk=org["team"].pk).update(parent=elsewhere)

    assert data.campaign_teams(Campaign.objects.get(pk=campaign.pk)) == frozen
    assert {"code": "lyon-reception", "name": "Réception", "parent": "lyon"} in frozen


def test_a_team_answered_for_outside_the_frozen_tree_becomes_a_new_leaf(org):
    campaign = make_campaign(teams=[org["team"]], status="closed")
    campaign.frozen_tree = [{"code": "lyon", "name": "Lyon", "parent": None}]
    campaign.save(update_fields=["frozen_tree"])
    add_responses(campaign, org["sibling"], "employee", 3, recommend=9)

    assert data.campaign_teams(campaign) == [
        {"code": "lyon", "name": "Lyon", "parent": None},
        {"code": "lyon-kitchen", "name": "Cuisine", "parent": "lyon"},
    ]


def test_a_threshold_changed_after_figures_are_out_changes_nothing(org):
    campaign = make_campaign(teams=[org["team"]], k=3)
    add_responses(campaign, org["team"], "employee", 3, recommend=9)
    services.snapshot_compute(campaign=campaign)
    Campaign.objects.filter(pk=campaign.pk).update(score_threshold=8)

    add_responses(campaign, org["team"], "employee", 3, recommend=9)
    snapshot = services.snapshot_compute(campaign=campaign)

    assert snapshot.document["thresholds"]["scores"] == 3
    assert published(campaign)["responses"] == 6


def closed_with_results(org, k=3):
    campaign = make_campaign(
        teams=[org["team"], org["sibling"]],
        k=k,
        live=False,
        status="closed",
        closes_on=TODAY - datetime.timedelta(days=2),
    )
    add_responses(campaign, org["team"], "employee", 4, recommend=9, trust=4)
    services.snapshot_compute(campaign=campaign)
    return campaign


def test_a_reopened_campaign_keeps_its_figures_until_it_closes_again(org):
    campaign = closed_with_results(org)
    before = Snapshot.objects.get(campaign=campaign).document

    campaigns.campaign_reopen(campaign=campaign, closes_on=TODAY + datetime.timedelta(days=5))
    add_responses(campaign, org["team"], "employee", 2, recommend=0, trust=1)
    add_responses(campaign, org["sibling"], "employee", 3, recommend=0, trust=1)
    campaign.refresh_from_db()
    assert campaign.status == "open"
    assert services.snapshot_compute(campaign=campaign).document == before

    campaigns.campaign_close(campaign=campaign)
    services.barometer_sweep()

    # The kitchen's 3 new answers reach k; the reception's 2 do not and wait in no
    # figure: the reception still shows its first 4, not a difference of 2.
    assert published(campaign, "lyon-reception")["responses"] == 4
    assert published(campaign, "lyon-kitchen")["responses"] == 3
    assert published(campaign, "lyon")["responses"] == 7
    assert Snapshot.objects.get(campaign=campaign).final


def test_a_campaign_closed_long_ago_or_followed_by_another_cannot_reopen(org, in_english):
    campaign = closed_with_results(org)
    Campaign.objects.filter(pk=campaign.pk).update(
        closes_on=TODAY - datetime.timedelta(days=30), opens_on=TODAY - datetime.timedelta(days=60)
    )
    with pytest.raises(CampaignError, match="more than 30 days"):
        campaigns.campaign_reopen(campaign=campaign, closes_on=TODAY)

    Campaign.objects.filter(pk=campaign.pk).update(closes_on=TODAY - datetime.timedelta(days=2))
    make_campaign("next", teams=[org["team"]], closes_on=TODAY + datetime.timedelta(days=20))
    with pytest.raises(CampaignError, match="later campaign"):
        campaigns.campaign_reopen(campaign=campaign, closes_on=TODAY)
    assert Campaign.objects.get(pk=campaign.pk).status == "closed"


def test_results_published_before_releases_existed_cannot_be_reopened(org, in_english):
    campaign = closed_with_results(org)
    Snapshot.objects.filter(campaign=campaign).update(state={}, final=True)
    with pytest.raises(CampaignError, match="earlier version"):
        campaigns.campaign_reopen(campaign=campaign, closes_on=TODAY)
    # ... and they are never recomputed (new figures could be compared with them).
    document = Snapshot.objects.get(campaign=campaign).document
    assert services.snapshot_compute(campaign=campaign).document == document


def test_the_overview_says_how_live_figures_move_and_how_many_answers_wait(
    client, english, hr_user, org
):
    campaign = make_campaign(teams=[org["team"]], k=3)
    add_responses(campaign, org["team"], "employee", 3, recommend=9)
    services.snapshot_compute(campaign=campaign)
    add_responses(campaign, org["team"], "employee", 2, recommend=9)
    client.force_login(hr_user)

    page = client.get(f"/dashboards/{campaign.slug}/").content.decode()

    assert "Figures are updated by groups of at least 3 answers in a team." in page
    assert "2 new answers are waiting for the next update." in page


def test_a_campaign_without_live_results_says_its_results_come_at_close(
    client, english, hr_user, org
):
    campaign = make_campaign("quiet", teams=[org["team"]], live=False)
    add_responses(campaign, org["team"], "employee", 6, recommend=9)
    client.force_login(hr_user)

    page = client.get("/dashboards/").content.decode()

    assert "QUIET: results appear when the campaign closes" in page
    assert not Snapshot.objects.exists()


def test_a_closed_team_page_says_how_many_answers_count_only_higher_up(
    client, english, manager, org
):
    campaign = make_campaign(teams=[org["team"], org["sibling"]], k=3, status="closed")
    add_responses(campaign, org["team"], "employee", 2, recommend=9)
    add_responses(campaign, org["sibling"], "employee", 3, recommend=9)
    services.snapshot_compute(campaign=campaign)
    client.force_login(manager)

    page = client.get(f"/dashboards/{campaign.slug}/teams/lyon-reception/").content.decode()

    assert "2 answers of this team are not in its figures" in page
