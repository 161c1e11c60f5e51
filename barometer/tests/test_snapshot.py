"""Snapshots: computed from the database, deterministic, refreshed and swept."""

import pytest
from django.core.cache import cache

from barometer import refresh, services
from barometer.models import Snapshot
from barometer.tests.factories import add_response, add_responses, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_snapshot_holds_the_figures_of_the_answers(org):
    campaign = make_campaign(teams=[org["team"], org["sibling"]], k=3, status="closed")
    add_responses(campaign, org["team"], "employee", 3, recommend=10, listening=5)
    add_response(campaign, org["team"], "employee", recommend=2, listening=2)
    add_responses(campaign, org["team"], "client", 4, recommend=8, listening=4)

    snapshot = services.snapshot_compute(campaign=campaign)

    team = next(t for t in snapshot.document["teams"] if t["code"] == "lyon-reception")
    assert snapshot.final
    assert snapshot.document["organisation"]["employee"]["responses"] == 4
    assert team["employee"]["status"] == "ok"
    assert team["employee"]["nps"] == pytest.approx(50.0)  # 3 promoters, 1 detractor of 4
    assert team["employee"]["dimensions"]["listening"]["favourable"] == pytest.approx(0.75)
    assert team["client"]["nps"] == pytest.approx(0.0)  # all passives
    assert team["symmetry"]["gaps"]["listening"] == pytest.approx(25.0)


def test_a_team_below_the_threshold_is_suppressed_in_the_snapshot(org):
    campaign = make_campaign(teams=[org["team"], org["sibling"]], k=3)
    add_responses(campaign, org["team"], "employee", 5, recommend=10)
    add_responses(campaign, org["sibling"], "employee", 2, recommend=0)

    document = services.snapshot_compute(campaign=campaign).document

    sibling = next(t for t in document["teams"] if t["code"] == "lyon-kitchen")
    assert sibling["employee"] == {"status": "suppressed", "invited": 0}


def test_computing_twice_gives_the_same_document_apart_from_the_time(org):
    campaign = make_campaign(teams=[org["team"]], k=3)
    add_responses(campaign, org["team"], "client", 4, recommend=9, trust=4, comment="Très bien")
    first = services.snapshot_compute(campaign=campaign).document
    second = services.snapshot_compute(campaign=campaign).document
    first.pop("computed_at"), second.pop("computed_at")
    assert first == second


def test_sweep_publishes_only_campaigns_with_k_new_respondents_in_a_team(org):
    quiet = make_campaign("quiet", teams=[org["team"]])
    busy = make_campaign("busy", teams=[org["team"]])
    add_responses(quiet, org["team"], "client", 3, recommend=9)
    add_responses(busy, org["team"], "client", 3, recommend=9)
    assert sorted(services.barometer_sweep()) == ["busy", "quiet"]

    add_responses(busy, org["team"], "client", 2, recommend=5)
    assert services.barometer_sweep() == []  # 2 new: fewer than k

    add_response(busy, org["team"], "client", recommend=5)
    assert services.barometer_sweep() == ["busy"]
    assert services.barometer_sweep() == []
    assert Snapshot.objects.latest_for(busy).document["organisation"]["client"]["responses"] == 6
    assert Snapshot.objects.count() == 2  # one document per campaign, replaced in place


def test_an_open_campaign_without_live_results_publishes_nothing_until_it_closes(org):
    campaign = make_campaign(teams=[org["team"]], live=False)
    add_responses(campaign, org["team"], "client", 5, recommend=9)

    assert services.snapshot_compute(campaign=campaign) is None
    assert services.barometer_sweep() == []
    assert not Snapshot.objects.exists()

    type(campaign).objects.filter(pk=campaign.pk).update(status="closed")
    assert services.barometer_sweep() == [campaign.slug]
    document = Snapshot.objects.latest_for(campaign).document
    assert document["organisation"]["client"]["responses"] == 5


def test_refreshes_are_coalesced_while_one_is_pending(org, settings):
    campaign = make_campaign(teams=[org["team"]])
    # Hold the task in the broker-less default: the pending mark alone is checked here.
    cache.add(refresh.PENDING_KEY.format(campaign.pk), 1)
    assert refresh.snapshot_refresh_later(campaign_id=campaign.pk) is False
    assert not Snapshot.objects.exists()


def test_a_refresh_runs_in_process_without_a_broker(org):
    campaign = make_campaign(teams=[org["team"]])
    add_responses(campaign, org["team"], "client", 3, recommend=9)

    assert refresh.snapshot_refresh_later(campaign_id=campaign.pk) is True

    document = Snapshot.objects.latest_for(campaign).document
    assert document["organisation"]["client"]["responses"] == 3
    # The pending mark is gone: the next answer queues a new refresh.
    assert cache.get(refresh.PENDING_KEY.format(campaign.pk)) is None


def _refresh_with_broker(url):
    """Queue a refresh in a separate process whose broker is `url`; return its output."""
    import os
    import subprocess
    import sys

    code = (
        "from barometer.refresh import snapshot_refresh_later as r;"
        "print('queued' if r(campaign_id=1) else 'dropped')"
    )
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env={**os.environ, "CELERY_BROKER_URL": url, "BROKER_TIMEOUT": "0.5"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("broker", ["stopped", "hung"])
def test_a_refresh_that_cannot_reach_the_broker_is_dropped_quietly(broker, silent_socket):
    from conftest import free_port

    port = free_port() if broker == "stopped" else silent_socket
    result = _refresh_with_broker(f"redis://127.0.0.1:{port}/0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "dropped"
    assert "the sweep will catch up" in result.stderr


def test_closing_a_campaign_computes_its_final_snapshot(org, django_capture_on_commit_callbacks):
    from surveys.services import campaign_close

    campaign = make_campaign(teams=[org["team"]])
    add_response(campaign, org["team"], "client", recommend=9)
    services.snapshot_compute(campaign=campaign)

    with django_capture_on_commit_callbacks(execute=True):
        campaign_close(campaign=campaign)

    assert Snapshot.objects.latest_for(campaign).document["campaign"]["status"] == "closed"


def test_sweep_catches_a_close_whose_final_snapshot_was_lost(org):
    campaign = make_campaign(teams=[org["team"]])
    add_response(campaign, org["team"], "client", recommend=9)
    services.snapshot_compute(campaign=campaign)
    type(campaign).objects.filter(pk=campaign.pk).update(status="closed")

    assert services.barometer_sweep() == [campaign.slug]
    assert Snapshot.objects.latest_for(campaign).document["campaign"]["status"] == "closed"
