"""The results document, assembled from plain frames without a database."""

import json
import random
from collections import Counter

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barometer import metrics
from barometer.document import MIRRORED_DIMENSIONS, build_document
from barometer.publish import publish
from barometer.tests.records import kinds_for, raw_from

CAMPAIGN = {
    "slug": "2026-q4",
    "name": "Automne 2026",
    "opens_on": "2026-11-01",
    "closes_on": "2026-11-20",
    "status": "closed",
}
NOW = "2026-11-22T10:00:00+00:00"


def frames(records):
    """Frames of build_document's inputs straight from respondents (no release)."""
    counts, responses, comments = Counter(), Counter(), []
    for team, side, answers, comment in records:
        responses[(team, side)] += 1
        for question, value in answers.items():
            kind = "nps" if question == "recommend" else "likert"
            counts[(team, side, question, kind, value)] += 1
        if comment is not None:
            comments.append((team, side, comment))
    return (
        pd.DataFrame(
            [(*key, n) for key, n in counts.items()],
            columns=["team", "side", "question", "kind", "value", "count"],
        ),
        pd.DataFrame(
            [(*key, n) for key, n in responses.items()], columns=["team", "side", "responses"]
        ),
        pd.DataFrame(comments, columns=["team", "side", "text"]),
    )


def build(teams, records, *, invited=(), k=5, comments_threshold=6, **extra):
    """The final document of a closed campaign with these respondents."""
    raw, texts = raw_from(records)
    rows = teams.to_dict("records") if isinstance(teams, pd.DataFrame) else teams
    rows = [
        {**row, "parent": row["parent"] if isinstance(row["parent"], str) else None} for row in rows
    ]
    document, _state, _changed = publish(
        campaign=CAMPAIGN,
        computed_at=NOW,
        teams=rows,
        state=None,
        raw=raw,
        texts=texts,
        invited=list(invited),
        thresholds={"scores": k, "comments": comments_threshold},
        kinds=kinds_for(),
        **extra,
    )
    return document


def people(team, side, recommend, trust=(), listening=(), comments=()):
    """One record per respondent; missing answers are simply not given."""
    records = []
    for i, value in enumerate(recommend):
        answers = {"recommend": value}
        if i < len(trust):
            answers["trust"] = trust[i]
        if i < len(listening):
            answers["listening"] = listening[i]
        records.append((team, side, answers, comments[i] if i < len(comments) else None))
    return records


TEAMS = [
    {"code": "hq", "name": "Siège", "parent": None},
    {"code": "north", "name": "Nord", "parent": "hq"},
    {"code": "south", "name": "Sud", "parent": "hq"},
]
RECORDS = [
    *people(
        "north",
        "employee",
        [10, 10, 9, 8, 3, 0],
        trust=[5, 5, 4, 3, 2, 1],
        listening=[5, 4, 4, 2, 0, 0],
        comments=["Bonne équipe", "Trop de réunions"],
    ),
    *people("south", "employee", [10, 0], comments=["Secret"]),
    *people("hq", "employee", [9, 7, 6], trust=[4, 4, 0]),
    *people("north", "client", [10, 9, 9, 7, 2], trust=[5, 4, 4, 4, 1], comments=["Rapide"]),
]
INVITED = [("north", "employee", 10), ("south", "employee", 4)]


@pytest.fixture
def document():
    return build(TEAMS, RECORDS, invited=INVITED)


def _team(document, code):
    return next(t for t in document["teams"] if t["code"] == code)


def test_document_has_the_shape_of_the_design(document):
    assert list(document) == [
        "campaign",
        "computed_at",
        "thresholds",
        "organisation",
        "teams",
        "correlations",
        "questions",
    ]
    assert document["campaign"] == CAMPAIGN
    assert document["thresholds"] == {"scores": 5, "comments": 6}
    assert [(t["code"], t["name"], t["parent"]) for t in document["teams"]] == [
        ("hq", "Siège", None),
        ("north", "Nord", "hq"),
        ("south", "Sud", "hq"),
    ]


def test_a_parent_side_is_computed_from_its_whole_subtree(document):
    hq = _team(document, "hq")["employee"]
    assert (hq["status"], hq["responses"], hq["invited"]) == ("ok", 11, 14)
    assert hq["response_rate"] == pytest.approx(11 / 14)
    assert (hq["promoters"], hq["passives"], hq["detractors"]) == (5, 2, 4)
    assert hq["nps"] == pytest.approx(100 / 11)
    lo, hi = hq["nps_ci95"]
    assert lo < hq["nps"] < hi
    # hq's own two trust answers would be hq minus north: they reach no figure.
    assert hq["dimensions"]["trust"] == {"favourable": 0.5, "mean": pytest.approx(20 / 6), "n": 6}


def test_a_figure_on_fewer_than_k_answers_is_null_on_a_shown_side(document):
    north = _team(document, "north")["employee"]
    assert north["status"] == "ok"
    assert north["dimensions"]["listening"] == {"favourable": None, "mean": None, "n": None}
    assert north["dimensions"]["trust"]["favourable"] == 0.5
    assert north["nps"] == pytest.approx(100 / 6)


def test_a_suppressed_side_shows_nothing_but_its_status_and_invitations(document):
    assert _team(document, "south")["employee"] == {"status": "suppressed", "invited": 4}


def test_a_side_without_respondents_is_no_data_not_suppressed(document):
    assert _team(document, "south")["client"] == {
        "status": "no_data",
        "responses": 0,
        "invited": 0,
        "response_rate": None,
    }


def test_public_link_answers_give_no_response_rate(document):
    north = _team(document, "north")["client"]
    assert (north["responses"], north["invited"], north["response_rate"]) == (5, 0, None)


def test_symmetry_compares_the_published_favourable_shares(document):
    north = _team(document, "north")["symmetry"]
    assert north["gaps"] == {"trust": pytest.approx(30.0)}
    assert north["index"] == pytest.approx(70.0)
    assert _team(document, "hq")["symmetry"]["gaps"] == {"trust": pytest.approx(30.0)}
    assert _team(document, "south")["symmetry"] == {"gaps": {}, "index": None}


def test_comments_appear_only_for_groups_over_the_comment_threshold(document):
    north = _team(document, "north")["employee"]["comments"]
    assert sorted(c["text"] for c in north) == ["Bonne équipe", "Trop de réunions"]
    assert {c["date"] for c in north} == {"2026-11-20"}
    assert all(set(c) == {"text", "date"} for c in north)
    # The other 5 employees (hq's own and south's) are too few together: "Secret" is in
    # no list, so hq's list is north's and nothing is left to subtract.
    hq = _team(document, "hq")["employee"]["comments"]
    assert sorted(c["text"] for c in hq) == ["Bonne équipe", "Trop de réunions"]
    assert _team(document, "north")["client"]["comments"] is None
    assert document["organisation"]["employee"]["comments"] == hq


def test_the_organisation_aggregates_every_team(document):
    org = document["organisation"]
    assert (org["employee"]["responses"], org["client"]["responses"]) == (11, 5)
    assert org["employee"]["nps"] == _team(document, "hq")["employee"]["nps"]
    assert org["symmetry"] == _team(document, "hq")["symmetry"]


def test_correlations_are_insufficient_with_a_single_unit_and_lagged_is_absent(document):
    correlations = document["correlations"]
    assert correlations["recommend"]["label"] == "insufficient"
    assert correlations["recommend"]["teams"] == 1
    assert list(correlations["dimensions"]) == list(MIRRORED_DIMENSIONS)
    assert correlations["lagged"] is None


def _flat_records(employee_scores, client_scores, size=5):
    records = []
    for i, (emp, cli) in enumerate(zip(employee_scores, client_scores, strict=True)):
        records += people(f"t{i}", "employee", [emp] * size, trust=[4 if emp > 8 else 2] * size)
        records += people(f"t{i}", "client", [cli] * size, trust=[5 if cli > 5 else 1] * size)
    return records


FLAT = [{"code": f"t{i}", "name": f"T{i}", "parent": None} for i in range(7)]


def test_correlation_units_are_teams_whose_own_two_sides_reach_k():
    employee = [10, 9, 0, 7, 10, 3]
    client = [9, 10, 2, 1, 10, 6]
    records = _flat_records(employee, client)
    # t6 has 4 own clients only: not a unit.
    records += people("t6", "employee", [10] * 5) + people("t6", "client", [0] * 4)
    document = build(FLAT, records)
    expected = metrics.correlation(
        [100.0, 100.0, -100.0, 0.0, 100.0, -100.0], [100.0, 100.0, -100.0, -100.0, 100.0, -100.0]
    )
    assert document["correlations"]["recommend"] == expected
    assert (expected["teams"], expected["label"]) == (6, "exploratory")
    trust = document["correlations"]["dimensions"]["trust"]
    assert trust["teams"] == 6
    assert trust["pearson"] is not None


def test_lagged_correlations_pair_one_campaign_with_the_next():
    previous = build(FLAT, _flat_records([10, 9, 0, 7, 10, 3], [0, 0, 10, 10, 9, 8]))
    document = build(
        FLAT, _flat_records([0, 0, 9, 9, 0, 10], [9, 10, 2, 1, 10, 6]), previous=previous
    )
    lagged = document["correlations"]["lagged"]
    assert lagged["employee_to_client"] == metrics.correlation(
        [100.0, 100.0, -100.0, 0.0, 100.0, -100.0], [100.0, 100.0, -100.0, -100.0, 100.0, -100.0]
    )
    assert lagged["client_to_employee"] == metrics.correlation(
        [-100.0, -100.0, 100.0, 100.0, 100.0, 0.0], [-100.0, -100.0, 100.0, 100.0, -100.0, 100.0]
    )


@pytest.mark.parametrize(
    ("change", "match"),
    [
        pytest.param({"thresholds": {"scores": 2, "comments": 10}}, "at least 3", id="k below 3"),
        pytest.param(
            {"teams": [{"code": "hq", "name": "x", "parent": "nowhere"}]},
            "unknown ancestor",
            id="bad tree",
        ),
    ],
)
def test_bad_inputs_are_refused(change, match):
    counts, respondents, comments = frames(RECORDS)
    arguments = {
        "campaign": CAMPAIGN,
        "computed_at": NOW,
        "thresholds": {"scores": 5, "comments": 10},
        "teams": TEAMS,
        "counts": counts,
        "respondents": respondents,
        "invited": pd.DataFrame(INVITED, columns=["team", "side", "invited"]),
        "comments": comments,
        **change,
    }
    with pytest.raises(ValueError, match=match):
        build_document(**arguments)


def test_counts_for_a_team_outside_the_tree_are_refused():
    with pytest.raises(ValueError, match="unknown team codes"):
        build(TEAMS, [*RECORDS, *people("ghost", "client", [10])])


# --- properties over random organisations ------------------------------------------


@st.composite
def organisations(draw):
    size = draw(st.integers(1, 8))
    codes = [f"t{i}" for i in range(size)]
    teams = []
    for i, code in enumerate(codes):
        parent = draw(st.one_of(st.none(), st.sampled_from(codes[:i]))) if i else None
        teams.append({"code": code, "name": code.upper(), "parent": parent})
    answer = st.fixed_dictionaries(
        {},
        optional={
            "recommend": st.integers(0, 10),
            "trust": st.integers(0, 5),
            "listening": st.integers(0, 5),
            "perceived_other": st.integers(0, 5),
        },
    )
    record = st.tuples(
        st.sampled_from(codes),
        st.sampled_from(["employee", "client"]),
        answer,
        st.one_of(st.none(), st.sampled_from(["oui", "non", "bof", "top"])),
    )
    records = draw(st.lists(record, max_size=60))
    invited = [(c, s, draw(st.integers(0, 9))) for c in codes for s in ("employee", "client")]
    return teams, records, invited, draw(st.integers(3, 5)), draw(st.integers(3, 8))


def _sides(document):
    yield None, document["organisation"]
    for team in document["teams"]:
        yield team["code"], team


@settings(max_examples=40, deadline=None)
@given(organisations())
def test_no_published_figure_rests_on_fewer_than_k(case):
    teams, records, invited, k, threshold = case
    document = build(teams, records, invited=invited, k=k, comments_threshold=threshold)
    members = metrics.subtrees({t["code"]: t["parent"] for t in teams})
    for code, group in _sides(document):
        for side in ("employee", "client"):
            answered = sum(
                1
                for team, s, *_ in records
                if s == side and (code is None or team in members[code])
            )
            figures = group[side]
            if figures["status"] == "suppressed":
                assert set(figures) == {"status", "invited"}
                continue
            if figures["status"] == "no_data":
                assert figures["responses"] == 0
                continue
            assert figures["responses"] >= k
            if figures["nps"] is not None:
                assert figures["promoters"] + figures["passives"] + figures["detractors"] >= k
            for dimension in figures["dimensions"].values():
                assert dimension["n"] is None or dimension["n"] >= k
            if figures["comments"] is not None:
                assert answered >= threshold


@settings(max_examples=40, deadline=None)
@given(organisations())
def test_no_suppressed_count_follows_from_a_visible_parent_and_its_visible_children(case):
    teams, records, invited, k, threshold = case
    document = build(teams, records, invited=invited, k=k, comments_threshold=threshold)
    parents = {t["code"]: t["parent"] for t in teams}
    groups = dict(_sides(document))
    for side in ("employee", "client"):

        def shown(code, side=side):
            figures = groups[code][side]
            return figures["responses"] if figures["status"] == "ok" else 0

        for group in groups:
            if groups[group][side]["status"] != "ok":
                continue
            children = [c for c, p in parents.items() if p == group]
            rest = shown(group) - sum(shown(c) for c in children)
            assert rest == 0 or rest >= k, (side, group, rest)


@settings(max_examples=30, deadline=None)
@given(organisations(), st.randoms(use_true_random=False))
def test_document_is_json_and_independent_of_the_order_of_rows(case, rnd):
    teams, records, invited, k, threshold = case
    document = build(teams, records, invited=invited, k=k, comments_threshold=threshold)
    shuffled = list(records)
    rnd.shuffle(shuffled)
    again = build(teams, shuffled, invited=invited[::-1], k=k, comments_threshold=threshold)
    assert again == document
    text = json.dumps(document, allow_nan=False)
    assert json.loads(text) == document


def test_a_campaign_without_answers_is_all_no_data():
    document = build(TEAMS, [])
    assert {document["organisation"][s]["status"] for s in ("employee", "client")} == {"no_data"}
    assert {t[s]["status"] for t in document["teams"] for s in ("employee", "client")} == {
        "no_data"
    }
    json.dumps(document, allow_nan=False)


def test_teams_may_be_given_as_a_dataframe_with_missing_parents():
    frame = pd.DataFrame(TEAMS)
    assert build(frame, RECORDS, invited=INVITED) == build(TEAMS, RECORDS, invited=INVITED)


def test_seeded_order_of_comments_is_not_the_order_of_arrival():
    texts = [f"avis {i}" for i in range(15)]
    records = [("hq", "employee", {"recommend": 9}, text) for text in texts]
    document = build(TEAMS[:1], records, comments_threshold=10)
    listed = [c["text"] for c in document["teams"][0]["employee"]["comments"]]
    assert sorted(listed) == sorted(texts)
    assert listed != texts
    random.Random(3).shuffle(records)
    assert build(TEAMS[:1], records, comments_threshold=10) == document
