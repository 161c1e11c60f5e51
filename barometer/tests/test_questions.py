"""The campaign's own questions in the document: mirrored codes, single-choice figures,
and a release state from before single-choice items were reported."""

import pytest

from barometer import questions
from barometer.publish import publish


def item(code, kind="likert", sides=("employee", "client"), mirrored=True, options=()):
    return {
        "code": code,
        "kind": kind,
        "sides": list(sides),
        "mirrored": mirrored,
        "texts": {side: {"fr": code, "en": code} for side in sides},
        "options": [{"fr": o, "en": o} for o in options],
    }


def test_built_in_dimensions_come_first_then_the_added_ones_in_order():
    catalogue = [item("recognition"), item("trust"), item("perceived_other", mirrored=False)]
    assert questions.mirrored_codes(catalogue, ("listening", "trust")) == ["trust", "recognition"]


@pytest.mark.parametrize(
    ("counts", "k", "expected"),
    [
        ({0: 1, 2: 3}, 3, {"n": 4, "shares": [0.25, 0.0, 0.75]}),
        ({0: 1, 2: 1}, 3, {"n": None, "shares": None}),
        ({}, 3, {"n": None, "shares": None}),
    ],
)
def test_a_choice_item_gives_a_share_per_option_or_nothing_under_k(counts, k, expected):
    assert questions.choice_figures(counts, 3, k) == expected


def test_an_answer_outside_the_options_is_refused():
    with pytest.raises(ValueError, match="outside"):
        questions.choice_figures({3: 5}, 3, 3)


def test_a_state_from_before_choices_were_reported_learns_their_kind():
    teams = [{"code": "a", "name": "A", "parent": None}]
    tally = {"respondents": 4, "items": {"recommend": {10: 4}, "channel": {1: 4}}, "comments": {}}
    kinds = {"client/recommend": "nps"}
    args = {
        "campaign": {"slug": "s", "status": "closed", "closes_on": "2026-12-15"},
        "computed_at": "2026-12-16T00:00:00+00:00",
        "teams": teams,
        "raw": {"a": {"client": {"personal": tally}}},
        "texts": {},
        "invited": [],
    }
    _, old_state, _ = publish(
        state=None, thresholds={"scores": 3, "comments": 3}, kinds=kinds, **{**args, "raw": {}}
    )
    catalogue = [item("channel", kind="choice", sides=("client",), mirrored=False, options="xy")]
    document, state, _ = publish(
        state=old_state, kinds={**kinds, "client/channel": "choice"}, catalogue=catalogue, **args
    )
    assert state["kinds"]["client/channel"] == "choice"
    assert document["teams"][0]["client"]["choices"]["channel"] == {"n": 4, "shares": [0.0, 1.0]}
