"""Anonymity rules of the barometer (DESIGN.md, "Anonymity rules"), as pure functions.

No Django import. Every function works on one side (employee or client) at a time and on
*subtree* respondent numbers: ``respondents[team]`` counts the team's own respondents
plus those of all its subteams (see :func:`barometer.metrics.rollup`). The organisation
is the aggregate over all root teams; it is the parent of the roots.

Vocabulary: a group is *published* when its figures are shown (status ``"ok"``);
``"suppressed"`` means it has respondents but is hidden; ``"no_data"`` means it has none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

OK = "ok"
SUPPRESSED = "suppressed"
NO_DATA = "no_data"

Tree = Mapping[str, str | None]


@dataclass(frozen=True)
class SideStatuses:
    """One side's statuses (``ok``/``suppressed``/``no_data``): organisation's and each team's."""

    organisation: str
    teams: dict[str, str]


@dataclass(frozen=True)
class CommentGroups:
    """Where one side's comments may be published: the organisation and a set of teams."""

    organisation: bool
    teams: frozenset[str]


def threshold_status(respondents: int, k: int) -> str:
    """Status by the threshold alone: ``no_data`` at 0, ``suppressed`` below k, else ``ok``."""
    if respondents <= 0:
        return NO_DATA
    return SUPPRESSED if respondents < k else OK


def figure_published(n: int | None, k: int) -> bool:
    """Whether a single figure (a dimension, the NPS) resting on ``n`` answers may be shown.

    False for ``None`` or ``n < k``, even when the side itself is shown: a side with 8
    respondents of whom 3 answered an item publishes that item as null.
    """
    return n is not None and n >= k


def _children(tree: Tree) -> tuple[dict[str, list[str]], list[str]]:
    children: dict[str, list[str]] = {code: [] for code in tree}
    roots: list[str] = []
    for code, parent in tree.items():
        if parent is None:
            roots.append(code)
        elif parent in children:
            children[parent].append(code)
        else:
            raise ValueError(f"team {code!r} has an unknown parent {parent!r}")
    return children, roots


def _bottom_up(children: Mapping[str, list[str]], roots: list[str]) -> list[str]:
    """Teams ordered deepest level first, so a team comes after all its descendants."""
    order: list[str] = []
    level = list(roots)
    while level:
        order.extend(level)
        level = [c for code in level for c in children[code]]
    if len(order) != len(children):
        raise ValueError("the team tree has a cycle")
    return order[::-1]


def _check_counts(
    tree: Tree, children: Mapping[str, list[str]], respondents: Mapping[str, int]
) -> None:
    for code in tree:
        if respondents.get(code, 0) < 0:
            raise ValueError(f"negative respondents for {code!r}")
        below = sum(respondents.get(c, 0) for c in children[code])
        if respondents.get(code, 0) < below:
            raise ValueError(f"respondents of {code!r} must include its subteams' (subtree counts)")


def _enforce(
    tree: Tree,
    respondents: Mapping[str, int],
    k: int,
    published: set[str],
    organisation: bool,
) -> tuple[set[str], bool]:
    """Shrink ``published`` until every published group's unexplained residual is 0 or ≥ k.

    The residual of a published group is its respondents minus those of its *published
    frontier*: the published descendants reached through unpublished teams only. This
    is what subtraction over the published figures can isolate. It is never larger
    than "respondents minus published children" and implies that rule: the extra
    frontier members each hold ≥ k respondents, so a residual of 0 or ≥ k stays so.

    Each pass fixes the deepest violation by suppressing the smallest frontier member
    (fewest respondents, then tree order). Hiding a member whose respondents all sit in
    published subteams changes nothing at once but brings those subteams into the
    frontier, so the next pass hides the smallest of them: small groups go before
    large ones. With no frontier left the group itself is suppressed; that branch
    cannot fire for a group meeting k (its residual would be all its respondents) and
    is kept as a safety net. Every pass hides one group, so the loop ends at a fixed
    point where the invariant holds for every published group.
    """
    children, roots = _children(tree)
    order = _bottom_up(children, roots)
    position = {code: i for i, code in enumerate(tree)}
    total = sum(respondents.get(r, 0) for r in roots)
    published = set(published)
    while True:
        visible: dict[str, int] = {}
        violation: tuple[str | None, list[str]] | None = None
        for code in order:
            shown_below = sum(visible[c] for c in children[code])
            if code in published:
                visible[code] = respondents.get(code, 0)
                if violation is None and 0 < visible[code] - shown_below < k:
                    violation = (code, children[code])
            else:
                visible[code] = shown_below
        if violation is None and organisation:
            org_residual = total - sum(visible[r] for r in roots)
            if 0 < org_residual < k:
                violation = (None, roots)
        if violation is None:
            return published, organisation
        group, below = violation
        frontier = _frontier(below, children, published, respondents)
        if frontier:
            published.discard(min(frontier, key=lambda c: (respondents.get(c, 0), position[c])))
        elif group is None:
            organisation = False
        else:
            published.discard(group)


def _frontier(
    start: Iterable[str],
    children: Mapping[str, list[str]],
    published: set[str],
    respondents: Mapping[str, int],
) -> list[str]:
    found: list[str] = []
    stack = list(start)
    while stack:
        code = stack.pop()
        if code in published:
            found.append(code)
        elif respondents.get(code, 0) > 0:
            stack.extend(children[code])
    return found


def suppress_side(tree: Tree, respondents: Mapping[str, int], k: int) -> SideStatuses:
    """Apply threshold and complementary suppression to one side.

    ``respondents`` maps a team to its *subtree* respondents (missing = 0). Returns the
    organisation's and every team's status. A team below k is suppressed (or no_data at
    0); then complementary suppression hides more teams until, for every published
    team and for the organisation, respondents minus those of the published children
    is 0 or ≥ k (in its stronger form, see :func:`_enforce`), so no hidden group of 1
    to k − 1 respondents can be isolated by subtraction. The organisation is published
    when its total reaches k and is never hidden to protect a team: with no published
    root its residual is its whole total. A team hidden here keeps ``"suppressed"``
    even if it alone would reach k. Raises ValueError on a malformed tree or when a
    team has fewer respondents than its children together (own counts passed by error).
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    children, roots = _children(tree)
    _check_counts(tree, children, respondents)
    total = sum(respondents.get(r, 0) for r in roots)
    organisation = threshold_status(total, k)
    candidates = {code for code in tree if respondents.get(code, 0) >= k}
    published, _ = _enforce(tree, respondents, k, candidates, organisation == OK)
    teams = {
        code: OK if code in published else NO_DATA if respondents.get(code, 0) == 0 else SUPPRESSED
        for code in tree
    }
    return SideStatuses(organisation=organisation, teams=teams)


def comment_groups(
    tree: Tree, respondents: Mapping[str, int], statuses: SideStatuses, threshold: int
) -> CommentGroups:
    """Groups of one side whose comments may be published.

    A group qualifies when its side is published (status ``ok``) and its subtree has at
    least ``threshold`` respondents. Because comment lists can be compared like counts
    (the comments of a team minus those of its listed subteams belong to the rest), the
    same complementary rule is applied with ``threshold`` in place of k: a qualifying
    team may lose its comments so that no isolated rest holds 1 to threshold − 1
    respondents. This only ever withholds more comments than the plain rule.
    """
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    _, roots = _children(tree)
    total = sum(respondents.get(r, 0) for r in roots)
    candidates = {
        code
        for code, status in statuses.teams.items()
        if status == OK and respondents.get(code, 0) >= threshold
    }
    organisation = statuses.organisation == OK and total >= threshold
    teams, organisation = _enforce(tree, respondents, threshold, candidates, organisation)
    return CommentGroups(organisation=organisation, teams=frozenset(teams))


def shuffle_comments(texts: Iterable[str], *, seed: str, date: str) -> list[dict[str, str]]:
    """Comments of one group as ``[{"text", "date"}]`` in a seeded, repeatable order.

    ``seed`` should come from stable inputs (campaign slug, team code, side) so that a
    recomputation yields the same document; ``date`` is the campaign's close date and
    the only date given. The order is that of SHA-256(seed, text), which depends
    neither on the order of arrival nor on the order of ``texts``. Blank texts are
    dropped; surrounding whitespace is trimmed; duplicates are kept.
    """
    cleaned = [t.strip() for t in texts if t is not None and t.strip()]
    ordered = sorted(cleaned, key=lambda t: (_digest(seed, t), t))
    return [{"text": text, "date": date} for text in ordered]


def _digest(seed: str, text: str) -> str:
    return hashlib.sha256(f"{seed}\x1f{text}".encode()).hexdigest()
