"""Metric definitions of DESIGN.md, checked on hand-computed examples and properties."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from barometer import metrics

# --- NPS -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        pytest.param({}, (0, 0, 0, 0, None, None), id="empty side"),
        # Adjusted Wald: n' = n + 3, p' = (P + 0.75)/n', d' = (D + 0.75)/n',
        # centre = 100(p' - d'), half = 196 sqrt((p' + d' - (p' - d')^2)/n'), clipped.
        pytest.param(
            {9: 3, 10: 2},
            # p' = 5.75/8, d' = 0.75/8: centre 62.5, half 196 sqrt(0.421875/8) = 45.0094
            (5, 5, 0, 0, 100.0, [17.4906, 100.0]),
            id="all promoters: a width, clipped at the top",
        ),
        pytest.param(
            {0: 1, 6: 4},
            (5, 0, 0, 5, -100.0, [-100.0, -17.4906]),
            id="all detractors: the mirror image",
        ),
        pytest.param(
            {7: 2, 8: 3},
            # p' = d' = 0.75/8: half 196 sqrt(0.1875/8) = 30.0062
            (5, 0, 5, 0, 0.0, [-30.0062, 30.0062]),
            id="all passives",
        ),
        pytest.param(
            {10: 1},
            # p' = 1.75/4, d' = 0.75/4: centre 25, half 196 sqrt((0.625 - 0.0625)/4) = 73.5
            (1, 1, 0, 0, 100.0, [-48.5, 98.5]),
            id="one answer: the interval is not centred on the score",
        ),
        pytest.param(
            {10: 1, 0: 1},
            # p' = d' = 1.75/5: half 196 sqrt(0.7/5) = 73.3365
            (2, 1, 0, 1, 0.0, [-73.3365, 73.3365]),
            id="two opposite answers",
        ),
        pytest.param(
            {10: 5, 9: 4, 8: 3, 7: 4, 3: 7},
            # p' = 9.75/26, d' = 7.75/26: centre 200/26 = 7.6923,
            # half 196 sqrt((17.5/26 - (2/26)^2)/26) = 31.3967
            (23, 9, 7, 7, 200 / 23, [-23.7044, 39.0890]),
            id="mixed answers",
        ),
    ],
)
def test_nps_matches_hand_computed_examples(counts, expected):
    n, promoters, passives, detractors, score, interval = expected
    result = metrics.nps(pd.Series(counts, dtype="int64"))
    assert (result["n"], result["promoters"], result["passives"], result["detractors"]) == (
        n,
        promoters,
        passives,
        detractors,
    )
    assert result["nps"] == pytest.approx(score)
    assert result["nps_ci95"] == (None if interval is None else pytest.approx(interval, abs=1e-4))


def test_nps_returns_plain_python_numbers():
    result = metrics.nps(pd.Series({10: 3, 2: 1}))
    assert type(result["nps"]) is float
    assert all(type(v) is float for v in result["nps_ci95"])
    assert type(result["promoters"]) is int


def test_nps_ignores_zero_counts_outside_the_scale_but_rejects_real_ones():
    assert metrics.nps({11: 0, 10: 1})["n"] == 1
    with pytest.raises(ValueError, match=r"outside 0\.\.10"):
        metrics.nps({11: 1})
    with pytest.raises(ValueError, match="invalid count"):
        metrics.nps({5: -1})


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.integers(0, 10), st.integers(0, 50)))
def test_nps_interval_contains_the_score_and_stays_on_the_scale(counts):
    result = metrics.nps(counts)
    if result["n"] == 0:
        assert result["nps"] is None
        return
    lo, hi = result["nps_ci95"]
    assert -100 <= lo < hi <= 100
    # A single answer is the one case where the pull towards 0 leaves the score out;
    # no published figure rests on fewer than 3 answers.
    if result["n"] >= 2:
        assert lo <= result["nps"] <= hi
    share = (result["promoters"] - result["detractors"]) / result["n"]
    assert result["nps"] == pytest.approx(100 * share)


# --- Likert --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        pytest.param({}, (None, None, 0), id="empty side"),
        pytest.param({0: 4}, (None, None, 0), id="only don't know"),
        pytest.param({0: 3, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, (0.4, 3.0, 5), id="one of each"),
        pytest.param({4: 2, 5: 2}, (1.0, 4.5, 4), id="all favourable"),
        pytest.param({1: 3, 2: 1}, (0.0, 1.25, 4), id="all unfavourable"),
        pytest.param({3: 1, 4: 2, 0: 10}, (2 / 3, 11 / 3, 3), id="don't know left out"),
    ],
)
def test_likert_matches_hand_computed_examples(counts, expected):
    favourable, mean, n = expected
    result = metrics.likert(pd.Series(counts, dtype="int64"))
    assert result == {
        "favourable": pytest.approx(favourable) if favourable is not None else None,
        "mean": pytest.approx(mean) if mean is not None else None,
        "n": n,
    }


def test_likert_rejects_values_off_the_scale():
    with pytest.raises(ValueError, match=r"outside 0\.\.5"):
        metrics.likert({6: 1})


# --- Symmetry ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("employee", "client", "gaps", "index"),
    [
        pytest.param({"trust": 0.5}, {"trust": 0.75}, {"trust": 25.0}, 75.0, id="one dimension"),
        pytest.param(
            {"trust": 0.5, "values": 0.8},
            {"trust": 0.75, "values": 0.6},
            {"trust": 25.0, "values": -20.0},
            77.5,
            id="two dimensions",
        ),
        pytest.param({"trust": 0.5}, {"trust": None}, {}, None, id="one side unpublished"),
        pytest.param({}, {}, {}, None, id="no dimension at all"),
        pytest.param(
            {"trust": 0.6, "perceived_other": 0.1},
            {"trust": 0.6, "perceived_other": 0.9},
            {"trust": 0.0},
            100.0,
            id="unmirrored items ignored",
        ),
    ],
)
def test_symmetry_uses_only_dimensions_published_on_both_sides(employee, client, gaps, index):
    result = metrics.symmetry(employee, client, ["trust", "values"])
    assert result["gaps"] == pytest.approx(gaps)
    assert result["index"] == (None if index is None else pytest.approx(index))


# --- Roll-up -------------------------------------------------------------------------


def _own(rows):
    return pd.DataFrame(rows, columns=["team", "side", "responses"])


def test_rollup_of_one_team_is_its_own_counts():
    rolled = metrics.rollup({"a": None}, _own([("a", "employee", 7)]), "responses")
    assert rolled.to_dict("records") == [{"team": "a", "side": "employee", "responses": 7}]


def test_rollup_of_two_teams_adds_the_child_into_the_parent():
    tree = {"site": None, "desk": "site"}
    own = _own([("site", "employee", 2), ("desk", "employee", 5), ("desk", "client", 4)])
    rolled = metrics.rollup(tree, own, "responses")
    table = {(r.team, r.side): r.responses for r in rolled.itertuples()}
    assert table == {
        ("desk", "client"): 4,
        ("desk", "employee"): 5,
        ("site", "client"): 4,
        ("site", "employee"): 7,
    }


def test_rollup_sums_raw_counts_never_averages():
    tree = {"root": None, "big": "root", "small": "root"}
    counts = pd.DataFrame(
        [("big", "recommend", 10, 9), ("big", "recommend", 0, 1), ("small", "recommend", 0, 1)],
        columns=["team", "question", "value", "count"],
    )
    rolled = metrics.rollup(tree, counts, "count")
    root = rolled[rolled["team"] == "root"].set_index("value")["count"]
    # 9 promoters, 2 detractors out of 11, not the mean of 80 and -100.
    assert metrics.nps(root)["nps"] == pytest.approx(700 / 11)


def test_rollup_rejects_unknown_teams_and_cycles():
    with pytest.raises(ValueError, match="unknown team codes"):
        metrics.rollup({"a": None}, _own([("zz", "employee", 1)]), "responses")
    with pytest.raises(ValueError, match="cycle"):
        metrics.subtrees({"a": "b", "b": "a"})
    with pytest.raises(ValueError, match="unknown ancestor"):
        metrics.subtrees({"a": "missing"})


def test_rollup_of_an_empty_frame_is_empty():
    assert metrics.rollup({"a": None}, _own([]), "responses").empty


@st.composite
def trees_with_counts(draw):
    size = draw(st.integers(1, 12))
    codes = [f"t{i}" for i in range(size)]
    tree = {}
    for i, code in enumerate(codes):
        parent = draw(st.one_of(st.none(), st.sampled_from(codes[:i]))) if i else None
        tree[code] = parent
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(codes), st.sampled_from(["employee", "client"]), st.integers(0, 9)
            ),
            max_size=30,
        )
    )
    return tree, _own(rows)


@settings(max_examples=60, deadline=None)
@given(trees_with_counts())
def test_a_parents_subtree_counts_are_its_own_plus_its_childrens_subtree_counts(case):
    tree, own = case
    rolled = metrics.rollup(tree, own, "responses")
    subtree = {(r.team, r.side): r.responses for r in rolled.itertuples()}
    direct = own.groupby(["team", "side"])["responses"].sum().to_dict()
    for code in tree:
        for side in ("employee", "client"):
            below = sum(subtree.get((c, side), 0) for c, p in tree.items() if p == code)
            assert subtree.get((code, side), 0) == direct.get((code, side), 0) + below
    roots_total = sum(v for (t, _), v in subtree.items() if tree[t] is None)
    assert roots_total == own["responses"].sum()


# --- Correlation ---------------------------------------------------------------------

X = [1, 2, 3, 4, 5]
Y = [2, 4, 5, 4, 5]


def test_pearson_matches_a_hand_computation_and_scipy():
    result = metrics.correlation(X, Y)
    r = 6 / math.sqrt(60)  # sxy = 6, sxx = 10, syy = 6
    z, se = math.atanh(r), 1 / math.sqrt(5 - 3)
    assert result["pearson"] == pytest.approx(r)
    assert result["pearson"] == pytest.approx(stats.pearsonr(X, Y).statistic)
    assert result["pearson_ci95"] == pytest.approx(
        [math.tanh(z - 1.96 * se), math.tanh(z + 1.96 * se)]
    )
    assert result["p_value"] == pytest.approx(stats.pearsonr(X, Y).pvalue)
    assert result["p_value"] == pytest.approx(0.124027, abs=1e-6)
    assert (result["teams"], result["label"]) == (5, "exploratory")


def test_spearman_gives_tied_values_their_average_rank():
    result = metrics.correlation([1, 2, 2, 3, 4], [1, 3, 2, 4, 5])
    # Ranks of x: 1, 2.5, 2.5, 4, 5; rho = 9.5 / sqrt(9.5 * 10).
    assert result["spearman"] == pytest.approx(9.5 / math.sqrt(95))
    assert result["spearman"] == pytest.approx(
        stats.spearmanr([1, 2, 2, 3, 4], [1, 3, 2, 4, 5]).statistic
    )


@pytest.mark.parametrize(
    ("units", "label"),
    [(0, "insufficient"), (4, "insufficient"), (5, "exploratory"), (29, "exploratory"), (30, "ok")],
)
def test_correlation_label_depends_on_the_number_of_units(units, label):
    xs = list(range(units))
    ys = [v * v % 7 for v in xs]
    result = metrics.correlation(xs, ys)
    assert (result["teams"], result["label"]) == (units, label)
    if label == "insufficient":
        assert [result[key] for key in ("pearson", "pearson_ci95", "p_value", "spearman")] == [
            None
        ] * 4


def test_constant_series_gives_no_figures_but_keeps_its_label():
    result = metrics.correlation([3, 3, 3, 3, 3, 3], [1, 2, 3, 4, 5, 6])
    assert result == {
        "pearson": None,
        "pearson_ci95": None,
        "p_value": None,
        "spearman": None,
        "teams": 6,
        "label": "exploratory",
    }


def test_perfect_correlation_has_a_zero_width_interval_and_null_p_value():
    result = metrics.correlation([1, 2, 3, 4, 5], [2, 4, 6, 8, 10])
    assert result["pearson"] == 1.0
    assert result["pearson_ci95"] == [1.0, 1.0]
    assert result["p_value"] == 0.0


def test_series_are_paired_by_index_and_missing_values_dropped():
    x = pd.Series({"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0, "e": 5.0, "f": None, "g": 1.0})
    y = pd.Series({"e": 5.0, "d": 4.0, "c": 5.0, "b": 4.0, "a": 2.0, "f": 3.0})
    assert metrics.correlation(x, y)["pearson"] == pytest.approx(6 / math.sqrt(60))
    assert metrics.correlation(x, y)["teams"] == 5


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-100, 100), st.integers(-100, 100)), min_size=5, max_size=40))
def test_correlation_agrees_with_scipy_on_random_data(pairs):
    xs = [a for a, _ in pairs]
    ys = [b for _, b in pairs]
    result = metrics.correlation(xs, ys)
    if len(set(xs)) == 1 or len(set(ys)) == 1:
        assert result["pearson"] is None
        return
    assert result["pearson"] == pytest.approx(stats.pearsonr(xs, ys).statistic, abs=1e-9)
    assert result["spearman"] == pytest.approx(stats.spearmanr(xs, ys).statistic, abs=1e-9)
    assert result["p_value"] == pytest.approx(stats.pearsonr(xs, ys).pvalue, abs=1e-7)
    lo, hi = result["pearson_ci95"]
    assert -1.0 <= lo <= result["pearson"] <= hi <= 1.0
    assert metrics.correlation(ys, xs)["pearson"] == pytest.approx(result["pearson"])
