"""Anonymity rules: thresholds, complementary suppression, comments."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barometer import metrics, privacy
from barometer.privacy import NO_DATA, OK, SUPPRESSED


def _subtree(tree, own):
    """Subtree respondents from own respondents, the way the document computes them."""
    return {
        code: sum(own.get(m, 0) for m in found) for code, found in metrics.subtrees(tree).items()
    }


def _published_children_residual(tree, resp, statuses, group):
    """The brief's rule: respondents minus those of the published children (org: roots)."""
    children = [c for c, p in tree.items() if p == group]
    total = resp[group] if group is not None else sum(resp[c] for c in children)
    return total - sum(resp[c] for c in children if statuses[c] == OK)


def _frontier_residual(tree, resp, published, group):
    """Respondents minus the published teams reached through unpublished ones only."""
    stack = [c for c, p in tree.items() if p == group]
    total = resp[group] if group is not None else sum(resp[c] for c in stack)
    while stack:
        code = stack.pop()
        if code in published:
            total -= resp[code]
        else:
            stack.extend(c for c, p in tree.items() if p == code)
    return total


@pytest.mark.parametrize(
    ("respondents", "status"),
    [(0, NO_DATA), (1, SUPPRESSED), (4, SUPPRESSED), (5, OK), (50, OK)],
)
def test_threshold_status_separates_no_data_from_suppressed(respondents, status):
    assert privacy.threshold_status(respondents, 5) == status


@pytest.mark.parametrize(("n", "shown"), [(None, False), (0, False), (4, False), (5, True)])
def test_a_figure_on_fewer_than_k_answers_is_not_published(n, shown):
    assert privacy.figure_published(n, 5) is shown


@pytest.mark.parametrize(
    ("own", "organisation", "team"),
    [(0, NO_DATA, NO_DATA), (4, SUPPRESSED, SUPPRESSED), (5, OK, OK)],
    ids=["nobody answered", "below k", "at k"],
)
def test_one_team_follows_the_threshold(own, organisation, team):
    statuses = privacy.suppress_side({"a": None}, {"a": own}, 5)
    assert (statuses.organisation, statuses.teams["a"]) == (organisation, team)


def test_the_smallest_sibling_is_hidden_when_a_parent_would_give_away_a_small_rest():
    tree = {"site": None, "desk": "site", "bar": "site"}
    resp = _subtree(tree, {"site": 2, "desk": 12, "bar": 6})
    statuses = privacy.suppress_side(tree, resp, 5)
    # site - desk - bar = 2: hiding bar (the smaller) leaves a rest of 8.
    assert statuses.teams == {"site": OK, "desk": OK, "bar": SUPPRESSED}


def test_children_that_account_for_every_respondent_stay_published():
    tree = {"site": None, "desk": "site", "bar": "site"}
    statuses = privacy.suppress_side(tree, _subtree(tree, {"desk": 5, "bar": 5}), 5)
    assert set(statuses.teams.values()) == {OK}


def test_the_organisation_level_protects_a_small_root():
    tree = {"north": None, "south": None}
    statuses = privacy.suppress_side(tree, {"north": 7, "south": 3}, 5)
    # The organisation (10) minus north (7) would reveal south's 3.
    assert statuses.organisation == OK
    assert statuses.teams == {"north": SUPPRESSED, "south": SUPPRESSED}


def test_a_published_grandchild_under_a_hidden_child_counts_as_visible():
    tree = {"site": None, "big": "site", "wing": "site", "room": "wing"}
    resp = _subtree(tree, {"site": 2, "big": 20, "room": 8})
    statuses = privacy.suppress_side(tree, resp, 5)
    # Hiding wing alone would leave site - big - room = 2 derivable: room goes too.
    assert statuses.teams == {"site": OK, "big": OK, "wing": SUPPRESSED, "room": SUPPRESSED}


def test_subtree_counts_smaller_than_their_children_are_refused():
    with pytest.raises(ValueError, match="subtree counts"):
        privacy.suppress_side({"a": None, "b": "a"}, {"a": 3, "b": 9}, 5)


def test_comments_need_the_comment_threshold_and_a_published_side():
    tree = {"site": None, "desk": "site", "bar": "site"}
    resp = _subtree(tree, {"desk": 12, "bar": 8})
    groups = privacy.comment_groups(tree, resp, privacy.suppress_side(tree, resp, 5), 10)
    # bar is shown (8 >= 5) but under 10, and listing desk's comments next to site's
    # would isolate bar's: desk loses its list, the larger groups keep theirs.
    assert groups.teams == frozenset({"site"})
    assert groups.organisation is True


def test_comments_of_a_suppressed_side_are_never_published():
    tree = {"north": None, "south": None}
    statuses = privacy.suppress_side(tree, {"north": 12, "south": 3}, 5)
    groups = privacy.comment_groups(tree, {"north": 12, "south": 3}, statuses, 10)
    assert statuses.teams["north"] == SUPPRESSED
    assert "north" not in groups.teams
    assert groups.organisation is True


def test_comments_are_shuffled_the_same_way_whatever_their_arrival_order():
    texts = [f"comment {i}" for i in range(12)]
    first = privacy.shuffle_comments(texts, seed="2026-q4/desk/client", date="2026-11-30")
    again = privacy.shuffle_comments(texts[::-1], seed="2026-q4/desk/client", date="2026-11-30")
    other = privacy.shuffle_comments(texts, seed="2026-q4/bar/client", date="2026-11-30")
    assert first == again
    assert [c["text"] for c in first] != texts
    assert [c["text"] for c in first] != [c["text"] for c in other]
    assert sorted(c["text"] for c in first) == sorted(texts)


def test_a_comment_carries_only_its_text_and_the_close_date():
    shuffled = privacy.shuffle_comments(["  Merci  ", " ", "Bien"], seed="s", date="2026-11-30")
    assert sorted(shuffled, key=lambda c: c["text"]) == [
        {"text": "Bien", "date": "2026-11-30"},
        {"text": "Merci", "date": "2026-11-30"},
    ]


@st.composite
def sides(draw):
    size = draw(st.integers(1, 14))
    codes = [f"t{i}" for i in range(size)]
    tree = {}
    for i, code in enumerate(codes):
        tree[code] = draw(st.one_of(st.none(), st.sampled_from(codes[:i]))) if i else None
    own = {code: draw(st.integers(0, 12)) for code in codes}
    return tree, _subtree(tree, own), draw(st.integers(3, 6))


@settings(max_examples=150, deadline=None)
@given(sides())
def test_no_published_team_rests_on_fewer_than_k_respondents(case):
    tree, resp, k = case
    statuses = privacy.suppress_side(tree, resp, k)
    for code, status in statuses.teams.items():
        assert (status == NO_DATA) == (resp[code] == 0)
        if status == OK:
            assert resp[code] >= k
    total = sum(resp[c] for c, p in tree.items() if p is None)
    assert statuses.organisation == privacy.threshold_status(total, k)


@settings(max_examples=150, deadline=None)
@given(sides())
def test_no_hidden_count_can_be_derived_by_subtraction(case):
    tree, resp, k = case
    statuses = privacy.suppress_side(tree, resp, k)
    published = {c for c, s in statuses.teams.items() if s == OK}
    groups = sorted(published) + ([None] if statuses.organisation == OK else [])
    for group in groups:
        rest = _published_children_residual(tree, resp, statuses.teams, group)
        assert rest == 0 or rest >= k, (group, rest)
        deep_rest = _frontier_residual(tree, resp, published, group)
        assert deep_rest == 0 or deep_rest >= k, (group, deep_rest)


@settings(max_examples=100, deadline=None)
@given(sides(), st.integers(3, 12))
def test_no_comment_list_isolates_a_group_under_the_comment_threshold(case, threshold):
    tree, resp, k = case
    statuses = privacy.suppress_side(tree, resp, k)
    groups = privacy.comment_groups(tree, resp, statuses, threshold)
    for code in groups.teams:
        assert statuses.teams[code] == OK
        assert resp[code] >= threshold
    listed = sorted(groups.teams) + ([None] if groups.organisation else [])
    for group in listed:
        rest = _frontier_residual(tree, resp, groups.teams, group)
        assert rest == 0 or rest >= threshold, (group, rest)
