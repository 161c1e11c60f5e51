"""Reading the results document's inputs (``barometer.document``): each frame checked
(its columns, team codes and sides), then summed per team and side, rolled up the
tree, or gathered per item. Pure: no Django import."""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from barometer import questions

SIDES = ("employee", "client")
COUNT_COLUMNS = ("team", "side", "question", "kind", "value", "count")
KINDS = questions.REPORTED_KINDS

# (team, side, question) -> {value: count}
CountMap = dict[tuple[str, str, str], dict[int, int]]


def threshold(thresholds: Mapping[str, int], name: str, *, minimum: int) -> int:
    value = thresholds.get(name)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"thresholds[{name!r}] must be an integer of at least {minimum}")
    return int(value)


def checked_frame(
    data: pd.DataFrame | Iterable[Mapping[str, Any]], columns: Sequence[str]
) -> pd.DataFrame:
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(list(data))
    if frame.empty and not set(columns) <= set(frame.columns):
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"missing columns: {missing}")
    frame = frame[list(columns)]
    # Codes such as "101" may have been read as numbers; the tree's codes are strings.
    return frame.assign(team=frame["team"].map(str)) if "team" in columns else frame


def check_keys(frame: pd.DataFrame, tree: Mapping[str, str | None] | None) -> None:
    unknown = set(frame["team"].unique()) - set(tree) if tree is not None else set()
    if unknown:
        raise ValueError(f"unknown team codes: {sorted(map(str, unknown))}")
    bad_sides = set(frame["side"].unique()) - set(SIDES)
    if bad_sides:
        raise ValueError(f"unknown sides: {sorted(map(str, bad_sides))}")


def team_rows(
    teams: pd.DataFrame | Sequence[Mapping[str, Any]],
) -> list[tuple[str, Any, str | None]]:
    frame = checked_frame(teams, ("code", "name", "parent"))
    rows = []
    for code, name, parent in frame.itertuples(index=False, name=None):
        # A DataFrame may turn a missing parent into NaN, and a CSV into "".
        missing = (
            parent is None or (not isinstance(parent, str) and pd.isna(parent)) or parent == ""
        )
        rows.append(
            (str(code), None if pd.isna(name) else str(name), None if missing else str(parent))
        )
    if len({code for code, _, _ in rows}) != len(rows):
        raise ValueError("team codes must be unique")
    return rows


def counts_frame(counts: pd.DataFrame, tree: Mapping[str, str | None]) -> pd.DataFrame:
    frame = checked_frame(counts, COUNT_COLUMNS)
    check_keys(frame, tree)
    bad_kinds = set(frame["kind"].unique()) - set(KINDS)
    if bad_kinds:
        raise ValueError(f"unknown question kinds: {sorted(map(str, bad_kinds))}")
    return frame.astype({"team": object, "side": object, "question": object, "kind": object})


def per_team_side(
    data: pd.DataFrame, column: str, tree: Mapping[str, str | None] | None
) -> dict[tuple[str, str], int]:
    frame = checked_frame(data, ("team", "side", column))
    check_keys(frame, tree)
    totals: dict[tuple[str, str], int] = {}
    for team, side, value in frame.itertuples(index=False, name=None):
        totals[(team, side)] = totals.get((team, side), 0) + int(value)
    return totals


def rolled(
    members: Mapping[str, Sequence[str]], own: Mapping[tuple[str, str], int]
) -> dict[tuple[str, str], int]:
    """Subtree sums of per-(team, side) numbers (``members``: :func:`metrics.subtrees`)."""
    rolled: dict[tuple[str, str], int] = {}
    for root, found in members.items():
        for side in SIDES:
            total = sum(own.get((member, side), 0) for member in found)
            if total:
                rolled[(root, side)] = total
    return rolled


def count_map(frame: pd.DataFrame) -> CountMap:
    result: CountMap = {}
    columns = [frame[c].tolist() for c in ("team", "side", "question", "value", "count")]
    for team, side, question, value, count in zip(*columns, strict=True):
        cell = result.setdefault((team, side, question), {})
        cell[int(value)] = cell.get(int(value), 0) + int(count)
    return result


def dimension_codes(
    frame: pd.DataFrame, mirrored: Sequence[str], items: Mapping[str, Sequence[str]] | None
) -> dict[str, list[str]]:
    codes = {}
    for side in SIDES:
        if items is not None:
            found = set(items.get(side, ()))
        else:
            likert = (frame["side"] == side) & (frame["kind"] == "likert")
            found = set(frame.loc[likert, "question"])
        codes[side] = [c for c in mirrored if c in found] + sorted(found - set(mirrored))
    return codes


def choice_codes(
    frame: pd.DataFrame, catalogue: Sequence[Mapping[str, Any]] | None
) -> dict[str, dict[str, int]]:
    """``side -> {code: options}`` of the single-choice items: the catalogue's, or
    without one those with counts (as many options as the highest value says)."""
    if catalogue is not None:
        return {side: questions.choice_codes(catalogue, side) for side in SIDES}
    chosen = frame[frame["kind"] == "choice"]
    found: dict[str, dict[str, int]] = {side: {} for side in SIDES}
    for side, question, value in chosen[["side", "question", "value"]].itertuples(
        index=False, name=None
    ):
        found[side][question] = max(found[side].get(question, 0), int(value) + 1)
    return found


def comments(
    data: pd.DataFrame, tree: Mapping[str, str | None]
) -> dict[tuple[str, str], list[str]]:
    frame = checked_frame(data, ("team", "side", "text"))
    check_keys(frame, tree)
    grouped: dict[tuple[str, str], list[str]] = {}
    for team, side, text in frame.itertuples(index=False, name=None):
        if isinstance(text, str):
            grouped.setdefault((team, side), []).append(text)
    return grouped
