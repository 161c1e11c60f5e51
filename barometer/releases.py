"""Releases: which answers each published figure may rest on (DESIGN.md, "Anonymity rules").

No Django import. The barometer never publishes raw counts: it publishes *atoms*, groups
of answers that entered the figures together, each of at least k answers to the item it
counts (k respondents for a side's response count, the comment threshold for comments).
Every published figure is a sum of whole atoms, and atoms never overlap, so any sum or
difference of published figures, within one document or across every document ever
published for the campaign, is again a sum of whole atoms: it rests on 0 or at least k
answers. That replaces complementary suppression, which protected respondent counts
but not a question's own n (don't know answers are not in it).

How atoms form, per own group (a team's direct answers on one side):

- **live releases** (opt-in, while open): when at least k personal-link respondents
  arrived since the group's previous release, they are released together: their count,
  and for each item the answers since that item's previous release if they number at
  least k (otherwise the item waits for the next release);
- **at close**: what no release took (the remainders, public-link answers and, for
  comments, every respondent not yet counted for them) pools into the lowest team, going
  up the tree, where the pool reaches the threshold; the pool becomes an atom of that
  team. A pool that reaches no team's threshold joins the organisation's figures if it
  reaches it there, or else no figure (``dropped``).

A reopened campaign goes on from its state: new answers form new atoms by the same
rules and what was published stays as it was.

Shapes (plain JSON, stored with the snapshot):

- a *tally* is ``{"respondents": int, "items": {question: {value: count}}, "comments":
  {digest: count}}`` (values are strings in stored JSON, ints in memory);
- *raw* maps ``team -> side -> channel -> tally`` (channel ``personal``, which includes
  imports, or ``public``): everything collected so far, own answers only;
- the *state* holds ``consumed`` (the raw part already taken into atoms, same shape as raw,
  plus ``comment_respondents`` per channel), ``atoms`` (``team -> side -> tally``, the
  organisation's under the empty code ``""``), ``dropped`` (``side -> respondents``),
  ``thresholds`` and the frozen ``kinds`` of the items.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

SIDES = ("employee", "client")
CHANNELS = ("personal", "public")
ORGANISATION = ""
DONT_KNOW = 0
# Kinds whose value 0 means "don't know" (not an answer to count in n).
WITH_DONT_KNOW = frozenset({"likert"})

Tally = dict[str, Any]
State = dict[str, Any]
# (team, side) -> channel -> tally (with comment_respondents): raw minus consumed.
Pending = dict[tuple[str, str], dict[str, Tally]]
Tree = Mapping[str, str | None]
Children = dict[str | None, list[str]]


def comment_digest(text: str) -> str:
    """A short stable digest of a comment's text: how the state remembers which comments
    were already published without keeping them twice."""
    return hashlib.sha256(text.strip().encode()).hexdigest()[:16]


def empty_tally() -> Tally:
    return {"respondents": 0, "items": {}, "comments": {}, "comment_respondents": 0}


def state_new(*, scores: int, comments: int, kinds: Mapping[str, str]) -> State:
    """A campaign's state before any release: nothing consumed, no atom.

    ``kinds`` maps ``side/question`` to the question's kind; the thresholds given here
    stay those of every later release (a threshold cannot move once figures are out).
    """
    if scores < 1 or comments < 1:
        raise ValueError("thresholds must be at least 1")
    return {
        "thresholds": {"scores": int(scores), "comments": int(comments)},
        "kinds": dict(kinds),
        "consumed": {},
        "atoms": {},
        "dropped": {side: 0 for side in SIDES},
    }


def answers_n(distribution: Mapping[Any, int], kind: str) -> int:
    """Answers in a value distribution that count in n: all but "don't know" for 1–5 items."""
    skip = kind in WITH_DONT_KNOW
    return sum(int(c) for v, c in distribution.items() if not (skip and int(v) == DONT_KNOW))


def release(
    state: Mapping[str, Any], raw: Mapping[str, Any], *, tree: Tree, final: bool
) -> tuple[State, bool]:
    """Apply one release to ``state`` with what ``raw`` holds; return ``(state, changed)``.

    ``final`` is the close: every remainder pools (see the module's docstring); otherwise
    only groups with at least k new personal-link respondents release. The input state is
    not modified. ``changed`` is False when no atom was formed or grew. Raises ValueError
    when raw holds less than was already consumed (answers are never taken back) or names
    a team outside ``tree``.
    """
    state = _normalised(state)
    k = state["thresholds"]["scores"]
    # Comments never from a group smaller than the scores' threshold either.
    k_comments = max(state["thresholds"]["comments"], k)
    kinds = state["kinds"]
    _check_tree(raw, tree)
    before = _fingerprint(state["atoms"])
    pending = _pending(state, raw)
    if final:
        _pool(state, pending, tree, k, k_comments, kinds)
        for team, sides in raw.items():
            for side, channels in sides.items():
                for channel in CHANNELS:
                    got = _tally(channels.get(channel))
                    taken = _consumed(state, team, side, channel)
                    taken.update(copy.deepcopy(got))
                    taken["comment_respondents"] = got["respondents"]
    else:
        for (team, side), channels in pending.items():
            new = channels["personal"]
            if new["respondents"] < k:
                continue
            atom = _atom(state, team, side)
            atom["respondents"] += new["respondents"]
            taken = _consumed(state, team, side, "personal")
            taken["respondents"] += new["respondents"]
            for question, distribution in new["items"].items():
                if answers_n(distribution, kinds.get(f"{side}/{question}", "")) < k:
                    continue
                _add(atom["items"].setdefault(question, {}), distribution)
                _add(taken["items"].setdefault(question, {}), distribution)
    return state, _fingerprint(state["atoms"]) != before


def releasable(state: Mapping[str, Any], personal: Mapping[tuple[str, str], int]) -> bool:
    """Whether a live release would form an atom: some group has at least k personal-link
    respondents beyond those already consumed. ``personal`` maps (team, side) to the
    respondents collected (a cheap count, so the sweep need not read the answers)."""
    k = int(state["thresholds"]["scores"])
    consumed = state.get("consumed", {})
    for (team, side), n in personal.items():
        taken = consumed.get(team, {}).get(side, {}).get("personal", {})
        if n - int(taken.get("respondents", 0)) >= k:
            return True
    return False


def held_back(state: Mapping[str, Any], raw: Mapping[str, Any]) -> dict[str, int]:
    """Respondents per side that are in no published response count yet (waiting for a
    release, or public-link answers waiting for the close), plus those dropped at a close."""
    state = _normalised(state)
    waiting = {side: int(state["dropped"].get(side, 0)) for side in SIDES}
    for (_team, side), channels in _pending(state, raw).items():
        waiting[side] += sum(channels[c]["respondents"] for c in CHANNELS)
    return waiting


def atom_frames(state: Mapping[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """The published own figures of ``state`` as rows for ``barometer.document``:
    ``counts`` (team, side, question, kind, value, count), ``respondents`` (team, side,
    responses), ``comments`` (team, side, digest, count) and ``comment_groups`` (team,
    side, respondents whose comments were pooled there); the organisation's own atoms
    carry the team code ``""``."""
    state = _normalised(state)
    kinds = state["kinds"]
    counts: list[tuple[Any, ...]] = []
    respondents: list[tuple[Any, ...]] = []
    comments: list[tuple[Any, ...]] = []
    comment_groups: list[tuple[Any, ...]] = []
    for team, sides in state["atoms"].items():
        for side, atom in sides.items():
            if atom["respondents"]:
                respondents.append((team, side, atom["respondents"]))
            for question, distribution in atom["items"].items():
                kind = kinds.get(f"{side}/{question}", "")
                for value, count in distribution.items():
                    if count:
                        counts.append((team, side, question, kind, int(value), int(count)))
            for digest, count in atom["comments"].items():
                if count:
                    comments.append((team, side, digest, int(count)))
            if atom.get("comment_respondents"):
                comment_groups.append((team, side, atom["comment_respondents"]))
    return {
        "counts": counts,
        "respondents": respondents,
        "comments": comments,
        "comment_groups": comment_groups,
    }


# --- the close: pooling remainders up the tree ------------------------------------


def _pool(
    state: State,
    pending: Pending,
    tree: Tree,
    k: int,
    k_comments: int,
    kinds: Mapping[str, str],
) -> None:
    children: Children = {}
    for code, parent in tree.items():
        children.setdefault(parent, []).append(code)
    order = _bottom_up(tree, children)
    for side in SIDES:
        carried: dict[str, Tally] = {}
        for code in order:
            pool = _merged(pending.get((code, side)))
            for child in children.get(code, []):
                _merge(pool, carried.pop(child, empty_tally()))
            carried[code] = _absorb(state, code, side, pool, k, k_comments, kinds)
        rest = empty_tally()
        for root in children.get(None, []):
            _merge(rest, carried.pop(root, empty_tally()))
        left = _absorb(state, ORGANISATION, side, rest, k, k_comments, kinds)
        state["dropped"][side] = int(state["dropped"].get(side, 0)) + left["respondents"]


def _absorb(
    state: State,
    code: str,
    side: str,
    pool: Tally,
    k: int,
    k_comments: int,
    kinds: Mapping[str, str],
) -> Tally:
    """Make atoms of ``pool`` at ``code`` where each measure reaches its threshold; return
    what is left to carry up (same shape; comment respondents under their own key)."""
    left = empty_tally()
    left["comment_respondents"] = 0
    atom = None
    if pool["respondents"] >= k:
        atom = _atom(state, code, side)
        atom["respondents"] += pool["respondents"]
    else:
        left["respondents"] = pool["respondents"]
    for question, distribution in pool["items"].items():
        if answers_n(distribution, kinds.get(f"{side}/{question}", "")) >= k:
            atom = atom or _atom(state, code, side)
            _add(atom["items"].setdefault(question, {}), distribution)
        else:
            left["items"][question] = dict(distribution)
    if pool["comment_respondents"] >= k_comments:
        atom = atom or _atom(state, code, side)
        atom["comment_respondents"] = (
            atom.get("comment_respondents", 0) + pool["comment_respondents"]
        )
        _add(atom["comments"], pool["comments"])
    else:
        left["comment_respondents"] = pool["comment_respondents"]
        left["comments"] = dict(pool["comments"])
    return left


def _merged(channels: Mapping[str, Tally] | None) -> Tally:
    pool = empty_tally()
    pool["comment_respondents"] = 0
    for channel in CHANNELS:
        part = (channels or {}).get(channel)
        if part:
            _merge(pool, part)
    return pool


def _merge(into: Tally, part: Mapping[str, Any]) -> None:
    into["respondents"] += part.get("respondents", 0)
    into["comment_respondents"] = into.get("comment_respondents", 0) + part.get(
        "comment_respondents", 0
    )
    for question, distribution in part.get("items", {}).items():
        _add(into["items"].setdefault(question, {}), distribution)
    _add(into["comments"], part.get("comments", {}))


# --- bookkeeping --------------------------------------------------------------------


def _pending(state: State, raw: Mapping[str, Any]) -> Pending:
    """``{(team, side): {channel: tally + comment_respondents}}``: raw minus consumed."""
    pending: Pending = {}
    for team, sides in raw.items():
        for side, channels in sides.items():
            parts: dict[str, Tally] = {}
            for channel in CHANNELS:
                got = _tally(channels.get(channel))
                taken = state["consumed"].get(team, {}).get(side, {}).get(channel)
                taken = _tally(taken) if taken else None
                parts[channel] = _minus(got, taken, team, side)
            pending[(team, side)] = parts
    return pending


def _minus(got: Tally, taken: Tally | None, team: str, side: str) -> Tally:
    result = empty_tally()
    base = taken or empty_tally()
    result["respondents"] = got["respondents"] - base["respondents"]
    result["comment_respondents"] = got["respondents"] - int(
        (taken or {}).get("comment_respondents", 0)
    )
    if result["respondents"] < 0 or result["comment_respondents"] < 0:
        raise ValueError(f"fewer respondents than already released for {team}/{side}")
    for question, distribution in got["items"].items():
        rest = _difference(distribution, base["items"].get(question, {}), team, side)
        if rest:
            result["items"][question] = rest
    result["comments"] = _difference(got["comments"], base["comments"], team, side)
    return result


def _difference(
    got: Mapping[Any, int], taken: Mapping[Any, int], team: str, side: str
) -> dict[Any, int]:
    rest: dict[Any, int] = {}
    for value, count in got.items():
        left = int(count) - int(taken.get(value, 0))
        if left < 0:
            raise ValueError(f"fewer answers than already released for {team}/{side}")
        if left:
            rest[value] = left
    if any(value not in got for value, count in taken.items() if count):
        raise ValueError(f"released answers missing from {team}/{side}")
    return rest


def _add(into: dict[Any, int], part: Mapping[Any, int]) -> None:
    for value, count in part.items():
        into[value] = into.get(value, 0) + int(count)


def _atom(state: State, team: str, side: str) -> Tally:
    atom: Tally = state["atoms"].setdefault(team, {}).setdefault(side, empty_tally())
    return atom


def _consumed(state: State, team: str, side: str, channel: str) -> Tally:
    sides: dict[str, Tally] = state["consumed"].setdefault(team, {}).setdefault(side, {})
    return sides.setdefault(channel, {**empty_tally(), "comment_respondents": 0})


def _tally(data: Mapping[str, Any] | None) -> Tally:
    data = data or {}
    return {
        "respondents": int(data.get("respondents", 0)),
        "items": {
            q: {int(v): int(c) for v, c in dist.items()}
            for q, dist in data.get("items", {}).items()
        },
        "comments": {d: int(c) for d, c in data.get("comments", {}).items()},
        **(
            {"comment_respondents": int(data["comment_respondents"])}
            if "comment_respondents" in data
            else {}
        ),
    }


def _normalised(state: Mapping[str, Any]) -> State:
    """A deep copy of ``state`` with integer values (stored JSON turns them to strings)."""
    normal: State = copy.deepcopy(dict(state))
    for key in ("consumed", "atoms"):
        normal[key] = {
            team: {
                side: (
                    {channel: _tally(tally) for channel, tally in parts.items()}
                    if key == "consumed"
                    else _tally(parts)
                )
                for side, parts in sides.items()
            }
            for team, sides in normal.get(key, {}).items()
        }
    normal["dropped"] = {side: int(normal.get("dropped", {}).get(side, 0)) for side in SIDES}
    return normal


def _fingerprint(atoms: Mapping[str, Mapping[str, Tally]]) -> str:
    return repr(sorted(_flatten(atoms)))


def _flatten(atoms: Mapping[str, Mapping[str, Tally]]) -> Iterator[tuple[Any, ...]]:
    for team, sides in atoms.items():
        for side, atom in sides.items():
            yield (team, side, "respondents", atom["respondents"])
            for question, distribution in atom["items"].items():
                for value, count in distribution.items():
                    yield (team, side, question, int(value), count)
            for digest, count in atom["comments"].items():
                yield (team, side, "#", digest, count)


def _check_tree(raw: Mapping[str, Any], tree: Tree) -> None:
    unknown = set(raw) - set(tree)
    if unknown:
        raise ValueError(f"unknown team codes: {sorted(unknown)}")


def _bottom_up(tree: Tree, children: Children) -> list[str]:
    order: list[str] = []
    level = list(children.get(None, []))
    while level:
        order.extend(level)
        level = [c for code in level for c in children.get(code, [])]
    if len(order) != len(tree):
        raise ValueError("the team tree has a cycle or an unknown parent")
    return order[::-1]
