"""A reader who compares: every document ever published, every subtraction between them.

The reader knows who answered, on which side of which team, and when; they keep every
document published for the campaign (as HR, and as each manager through the same filter
that serves the API and the exports) while answers arrive one at a time, the campaign
closes, reopens and closes again. The test finds out, by changing one respondent's
answers and publishing everything again, exactly which published figures rest on that
respondent's answer: each figure is then a 0/1 vector over the respondents. The reader
can combine figures linearly (sums and differences of counts and of totals, across
documents, teams, parents and children), so a set S of respondents is exposed when the
indicator vector of S lies in the span of those vectors. The test asserts that no set of
1 to k − 1 respondents is ever exposed, per side and per question; that comment lists,
which can be intersected as well as subtracted, never single out fewer than the comment
threshold; and that correlations are those of figures the document publishes.
"""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometer import metrics, releases
from barometer.access import results_within
from barometer.document import MIRRORED_DIMENSIONS, NPS_CODE, unit_figures
from barometer.publish import document_of
from barometer.tests.records import kinds_for, raw_from

ITEMS = ("recommend", "trust", "listening")
PRIME = (1 << 61) - 1  # exact enough: a false "in the span" needs p to divide a minor


# --- the organisation and the answers, generated ---------------------------------------


@st.composite
def scenarios(draw):
    """A 3-level tree, teams of 1–12 respondents per side (40 at most in all), answers
    with "don't know" and gaps, personal and public channels, and the order of events."""
    roots = draw(st.integers(1, 2))
    teams = [{"code": f"r{i}", "name": f"R{i}", "parent": None} for i in range(roots)]
    for i in range(draw(st.integers(1, 3))):
        teams.append({"code": f"m{i}", "name": f"M{i}", "parent": f"r{i % roots}"})
    mids = [t["code"] for t in teams if t["parent"] is not None]
    for i in range(draw(st.integers(1, 4))):
        teams.append({"code": f"l{i}", "name": f"L{i}", "parent": mids[i % len(mids)]})
    codes = [t["code"] for t in teams]
    k = draw(st.integers(3, 5))
    k_comments = draw(st.integers(k, k + 3))
    respondents = []
    budget = 40
    for code in codes:
        for side in releases.SIDES:
            size = min(budget, draw(st.integers(0, 12)))
            budget -= size
            for _ in range(size):
                answers = {}
                if draw(st.integers(0, 5)):  # now and then the question is skipped
                    answers["recommend"] = draw(st.integers(0, 10))
                for item in ITEMS[1:]:
                    value = draw(st.one_of(st.none(), st.integers(0, 5)))
                    if value is not None:
                        answers[item] = value
                public = side == "client" and draw(st.integers(0, 4)) == 0
                respondents.append((code, side, answers, public))
    order = draw(st.permutations(range(len(respondents))))
    # After which arrival the campaign closes, reopens (or not) and closes again.
    close_at = draw(st.integers(0, len(order)))
    reopen = draw(st.booleans()) and close_at < len(order)
    return teams, respondents, list(order), close_at, reopen, k, k_comments


# --- playing the campaign -----------------------------------------------------------------


def flipped(answers):
    """The same respondent with every counted answer changed into another category, so
    that every figure resting on it changes (a mean by its sum, an NPS by its counts)."""
    changed = {}
    for item, value in answers.items():
        if item == "recommend":
            changed[item] = 10 if value <= 6 else 0 if value <= 8 else 7
        else:
            changed[item] = value if value == 0 else value % 5 + 1
    return changed


def play(scenario, flip=None):
    """``(published, full)``: every document published along the way, in order, HR's and
    each manager's; and HR's alone."""
    teams, respondents, order, close_at, reopen, k, k_comments = scenario
    tree = {t["code"]: t["parent"] for t in teams}
    members = metrics.subtrees(tree)
    state = releases.state_new(scores=k, comments=k_comments, kinds=kinds_for(ITEMS))
    arrived, published, full = [], [], []
    status = "open"

    def record(index):
        code, side, answers, public = respondents[index]
        if index == flip:
            answers = flipped(answers)
        # Every respondent writes a comment of their own: the worst case for comments.
        comment = f"comment of respondent {index}"
        return (code, side, answers, comment, "public" if public else "personal")

    def release(final):
        nonlocal state
        raw, texts = raw_from([record(i) for i in arrived])
        state, changed = releases.release(state, raw, tree=tree, final=final)
        if changed or final:
            document = document_of(
                campaign={"slug": "c", "name": "C", "status": "closed" if final else "open"},
                computed_at="",
                teams=teams,
                state=state,
                raw=raw,
                texts=texts,
                invited=[],
            )
            published.append(document)
            full.append(document)
            for code in tree:  # each manager of a team sees it and everything below it
                mine = results_within(document, set(members[code]))
                if mine is not None:
                    published.append(mine)

    steps = list(order)
    while steps or status != "closed":
        if status == "open" and len(arrived) == close_at:
            release(final=True)
            status = "closed"
            if reopen:
                status = "reopened"
                close_at = len(order)
            continue
        if not steps:
            close_at = len(arrived)
            continue
        arrived.append(steps.pop(0))
        if status == "reopened" and len(arrived) == close_at:
            release(final=True)
            status = "closed"
            continue
        release(final=False)
    return published, full


# --- reading the documents as vectors ---------------------------------------------------


def figures(document):
    """``{(place, side, item): figure}`` for every published item figure of a document."""
    found = {}
    places = [("", document["organisation"])] + [(t["code"], t) for t in document["teams"]]
    for place, entry in places:
        for side in releases.SIDES:
            figures_of = entry[side]
            if figures_of.get("status") != "ok":
                continue
            if figures_of.get("nps") is not None:
                found[(place, side, NPS_CODE)] = tuple(
                    figures_of[key] for key in ("promoters", "passives", "detractors")
                )
            for item, dimension in figures_of["dimensions"].items():
                if dimension["n"] is not None:
                    found[(place, side, item)] = (dimension["mean"], dimension["n"])
    return found


def comment_lists(document):
    places = [("", document["organisation"])] + [(t["code"], t) for t in document["teams"]]
    for place, entry in places:
        for side in releases.SIDES:
            listed = entry[side].get("comments")
            if listed is not None:
                yield (place, side), {c["text"] for c in listed}


def _rank(rows):
    """Rank of 0/1 rows over the integers modulo PRIME (Gaussian elimination)."""
    basis = []
    for row in rows:
        row = [x % PRIME for x in row]
        for base, lead in basis:
            if row[lead]:
                factor = row[lead]
                row = [(a - factor * b) % PRIME for a, b in zip(row, base, strict=True)]
        lead = next((i for i, x in enumerate(row) if x), None)
        if lead is not None:
            inverse = pow(row[lead], PRIME - 2, PRIME)
            basis.append(([(x * inverse) % PRIME for x in row], lead))
    return len(basis)


def exposed_sets(vectors, people, k):
    """Sets of 1 to k − 1 of ``people`` whose indicator lies in the span of ``vectors``.

    A vector in the span is constant on each class of people that every vector treats
    alike, so only unions of classes can be exposed: those smaller than k are tried."""
    signatures = {}
    for person in people:
        signature = tuple(person in vector for vector in vectors)
        if any(signature):  # in no figure at all: nothing to expose
            signatures.setdefault(signature, []).append(person)
    small = [group for group in signatures.values() if len(group) < k]
    rows = [[1 if person in vector else 0 for person in people] for vector in vectors]
    for size in range(1, len(small) + 1):
        for combination in itertools.combinations(small, size):
            chosen = {p for group in combination for p in group}
            if len(chosen) >= k:
                continue
            target = [1 if person in chosen else 0 for person in people]
            if _rank(rows) == _rank([*rows, target]):
                yield sorted(chosen)


# --- the test -------------------------------------------------------------------------------


@pytest.mark.once
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenarios())
def test_no_comparison_of_published_documents_isolates_fewer_than_k_respondents(scenario):
    _teams, respondents, _order, _close_at, _reopen, k, k_comments = scenario
    base, full = play(scenario)
    base_figures = [figures(document) for document in base]
    members = {}  # (document, place, side, item) -> respondents whose answer it rests on
    for index in range(len(respondents)):
        again = [figures(document) for document in play(scenario, flip=index)[0]]
        assert len(again) == len(base_figures)  # releases never depend on the values
        for number, (before, after) in enumerate(zip(base_figures, again, strict=True)):
            assert before.keys() == after.keys()
            for key, value in before.items():
                if after[key] != value:
                    members.setdefault((number, *key), set()).add(index)

    for side in releases.SIDES:
        people = [i for i, r in enumerate(respondents) if r[1] == side]
        for item in ITEMS:
            vectors = [found for (_, _, s, q), found in members.items() if s == side and q == item]
            exposed = next(exposed_sets(vectors, people, k), None)
            assert exposed is None, (side, item, exposed)

    # Comments: lists can be intersected and subtracted, so every class of respondents
    # that the lists tell apart must hold at least the comment threshold.
    threshold = max(k, k_comments)
    listed = [texts for document in base for _, texts in comment_lists(document)]
    signatures = {}
    for index in range(len(respondents)):
        text = f"comment of respondent {index}"
        signature = tuple(text in texts for texts in listed)
        if any(signature):
            signatures.setdefault(signature, []).append(index)
    assert all(len(group) >= threshold for group in signatures.values()), signatures

    # Correlations are functions of figures each document publishes: nothing to invert.
    for document in full:
        assert document["correlations"]["recommend"] == metrics.correlation(
            *_paired(document, NPS_CODE, "nps")
        )
        for code in MIRRORED_DIMENSIONS:
            assert document["correlations"]["dimensions"][code] == metrics.correlation(
                *_paired(document, code, "favourable")
            )


def _paired(document, question, field):
    employee = unit_figures(document["teams"], "employee", question, field)
    client = unit_figures(document["teams"], "client", question, field)
    codes = [code for code in employee if code in client]
    return [employee[c] for c in codes], [client[c] for c in codes]


# --- the checker itself: it must catch what it is meant to catch ----------------------


def test_the_checker_finds_one_respondent_isolated_by_a_difference():
    # A team of 6 published before and after one more answer: the difference is one person.
    vectors = [set(range(6)), set(range(7))]
    assert next(exposed_sets(vectors, list(range(7)), 5)) == [6]


def test_the_checker_finds_a_child_isolated_by_parent_minus_siblings():
    parent, published_child = set(range(9)), set(range(5))
    assert next(exposed_sets([parent, published_child], list(range(9)), 5)) == [5, 6, 7, 8]


def test_the_checker_accepts_disjoint_groups_of_k():
    vectors = [set(range(5)), set(range(5, 10)), set(range(10))]
    assert next(exposed_sets(vectors, list(range(10)), 5), None) is None
