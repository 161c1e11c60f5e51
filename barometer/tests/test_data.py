"""Counts come from SQL aggregation: a few small frames, whatever the number of answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from barometer import data, services
from barometer.tests.factories import add_response, add_responses, invite, make_campaign

pytestmark = pytest.mark.django_db


def test_raw_tallies_group_identical_answers_into_one_count(org):
    campaign = make_campaign(teams=[org["team"]])
    add_responses(campaign, org["team"], "employee", 7, recommend=9, listening=4)
    add_response(campaign, org["team"], "employee", recommend=3, listening=0)

    raw, _ = data.raw_tallies(campaign)

    items = raw["lyon-reception"]["employee"]["personal"]["items"]
    assert items == {"recommend": {9: 7, 3: 1}, "listening": {4: 7, 0: 1}}
    assert set(data.question_kinds(campaign).values()) == {"nps", "likert"}


def test_the_number_of_queries_does_not_grow_with_the_answers(org):
    campaign = make_campaign(teams=[org["team"]])
    add_responses(campaign, org["team"], "client", 3, recommend=10)
    with CaptureQueriesContext(connection) as few:
        data.raw_tallies(campaign)
    add_responses(campaign, org["team"], "client", 40, recommend=10, trust=5, comment="Bien")
    with CaptureQueriesContext(connection) as many:
        raw, texts = data.raw_tallies(campaign)
    assert len(many) == len(few)
    items = raw["lyon-reception"]["client"]["personal"]["items"]
    assert len(items) == 2  # (recommend, 10) and (trust, 5)
    assert list(texts.values()) == ["Bien"]


def test_respondents_and_invited_are_counted_per_team_and_side(org):
    campaign = make_campaign(teams=[org["team"], org["sibling"]])
    add_responses(campaign, org["team"], "employee", 4, recommend=8)
    add_responses(campaign, org["sibling"], "client", 2, recommend=8)
    invite(campaign, org["team"], "employee", 6)

    raw, _ = data.raw_tallies(campaign)
    respondents = {
        (team, side): channels["personal"]["respondents"]
        for team, sides in raw.items()
        for side, channels in sides.items()
    }
    invited = {(r.team, r.side): r.invited for r in data.invited(campaign).itertuples()}

    assert respondents == {("lyon-reception", "employee"): 4, ("lyon-kitchen", "client"): 2}
    assert invited == {("lyon-reception", "employee"): 6}


def test_campaign_teams_include_ancestors_in_tree_order(org):
    campaign = make_campaign(teams=[org["team"], org["sibling"]])
    teams = data.campaign_teams(campaign)
    assert teams == [
        {"code": "lyon", "name": "Lyon", "parent": None},
        {"code": "lyon-kitchen", "name": "Cuisine", "parent": "lyon"},
        {"code": "lyon-reception", "name": "Réception", "parent": "lyon"},
    ]


def test_previous_final_is_the_published_document_of_the_campaign_closed_just_before(org):
    import datetime

    older = make_campaign("2026-q1", closes_on=datetime.date(2026, 3, 31), status="closed")
    before = make_campaign("2026-q2", closes_on=datetime.date(2026, 6, 30), status="closed", k=4)
    current = make_campaign("2026-q3", closes_on=datetime.date(2026, 9, 30))
    add_response(older, org["team"], "employee", recommend=10)
    assert data.previous_final(current) is None  # the one just before has no document

    published = services.snapshot_compute(campaign=before).document

    assert data.previous_final(current) == published
