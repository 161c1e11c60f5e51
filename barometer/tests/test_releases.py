"""Releases: which answers enter the published figures, and when (no database)."""

import pytest

from barometer import releases
from barometer.tests.records import kinds_for, raw_from

TREE = {"site": None, "a": "site", "b": "site"}


def answers(count, team, side="employee", *, trust=4, channel="personal", **more):
    return [(team, side, {"recommend": 9, "trust": trust, **more}, None, channel)] * count


def state(k=3, comments=3):
    return releases.state_new(scores=k, comments=comments, kinds=kinds_for())


def step(current, records, *, final=False, tree=TREE):
    raw, _ = raw_from(records)
    return releases.release(current, raw, tree=tree, final=final)


def atom(current, team, side="employee"):
    return current["atoms"].get(team, {}).get(side, releases.empty_tally())


def test_a_live_release_waits_for_k_new_respondents_in_a_team():
    records = answers(2, "a")
    first, changed = step(state(), records)
    assert not changed and first["atoms"] == {}

    records += answers(1, "a")
    second, changed = step(first, records)
    assert changed and atom(second, "a")["respondents"] == 3

    records += answers(2, "a")
    third, changed = step(second, records)
    assert not changed  # 2 more: they wait
    assert atom(third, "a")["respondents"] == 3
    assert releases.held_back(third, raw_from(records)[0])["employee"] == 2


def test_an_item_waits_for_k_new_answers_to_it_even_when_its_team_releases():
    # Three respondents, one "don't know" on trust: the item has 2 answers, fewer than k.
    records = [
        *answers(2, "a"),
        ("a", "employee", {"recommend": 9, "trust": 0}, None),
    ]
    first, _ = step(state(), records)
    assert atom(first, "a")["respondents"] == 3
    assert "trust" not in atom(first, "a")["items"]
    assert atom(first, "a")["items"]["recommend"] == {9: 3}

    records += answers(3, "a", trust=2)
    second, _ = step(first, records)
    # Trust now has 5 answers since its last release: they enter together.
    assert atom(second, "a")["items"]["trust"] == {0: 1, 4: 2, 2: 3}


def test_at_close_remainders_pool_into_the_lowest_team_where_they_reach_k():
    records = [*answers(2, "a"), *answers(2, "b"), *answers(4, "site")]
    closed, changed = step(state(k=3), records, final=True)
    assert changed
    assert atom(closed, "a")["respondents"] == 0  # too few on their own
    assert atom(closed, "site")["respondents"] == 8  # its own 4 and the 4 from below
    assert closed["dropped"] == {"employee": 0, "client": 0}


def test_what_reaches_no_team_joins_the_organisation_or_else_no_figure():
    tree = {"x": None, "y": None}
    records = [*answers(2, "x"), *answers(2, "y")]
    closed, _ = step(state(k=3), records, final=True, tree=tree)
    assert atom(closed, releases.ORGANISATION)["respondents"] == 4

    alone, _ = step(state(k=3), answers(2, "x"), final=True, tree=tree)
    assert alone["atoms"] == {}
    assert alone["dropped"]["employee"] == 2


def test_public_link_answers_join_the_figures_at_close_only():
    records = answers(3, "a", side="client", channel="public")
    live, changed = step(state(), records)
    assert not changed
    closed, _ = step(live, records, final=True)
    assert atom(closed, "a", "client")["respondents"] == 3


def test_comments_are_pooled_with_their_own_threshold_at_close_only():
    records = [("a", "employee", {"recommend": 9}, f"mot {i}") for i in range(4)]
    records += [("b", "employee", {"recommend": 9}, f"autre {i}") for i in range(2)]
    live, _ = step(state(k=3, comments=4), records)
    assert not any(a["comments"] for s in live["atoms"].values() for a in s.values())

    closed, _ = step(live, records, final=True)
    assert len(atom(closed, "a")["comments"]) == 4
    # b's two respondents reach the thresholds nowhere: their comments are in no list.
    assert atom(closed, "site")["comments"] == {}
    assert atom(closed, releases.ORGANISATION)["comments"] == {}
    assert closed["dropped"]["employee"] == 2


def test_after_a_reopen_only_k_new_answers_change_the_figures():
    records = answers(3, "a")
    closed, _ = step(state(k=3), records, final=True)
    records += answers(2, "a")
    reopened, changed = step(closed, records)
    assert not changed
    again, _ = step(reopened, records, final=True)
    # The 2 new answers pool upwards; the 3 published at the first close stay where they were.
    assert atom(again, "a")["respondents"] == 3
    assert atom(again, "site")["respondents"] == 0
    assert again["dropped"]["employee"] == 2


def test_thresholds_stay_those_of_the_first_release():
    first = state(k=3)
    assert first["thresholds"] == {"scores": 3, "comments": 3}
    released, _ = step(first, answers(3, "a"))
    assert released["thresholds"] == {"scores": 3, "comments": 3}


def test_releasable_counts_new_personal_respondents_without_reading_answers():
    released, _ = step(state(k=3), answers(3, "a"))
    assert not releases.releasable(released, {("a", "employee"): 5})
    assert releases.releasable(released, {("a", "employee"): 6})


def test_answers_taken_back_are_refused():
    released, _ = step(state(k=3), answers(3, "a"))
    with pytest.raises(ValueError, match="fewer respondents than already released"):
        step(released, answers(2, "a"))


def test_a_team_outside_the_tree_is_refused():
    with pytest.raises(ValueError, match="unknown team codes"):
        step(state(), answers(3, "elsewhere"))


def test_the_state_survives_a_trip_through_json():
    import json

    released, _ = step(state(k=3), [*answers(3, "a"), *answers(1, "b")])
    stored = json.loads(json.dumps(released))
    again, changed = step(stored, [*answers(3, "a"), *answers(1, "b")])
    assert not changed
    assert releases.atom_frames(again) == releases.atom_frames(released)
