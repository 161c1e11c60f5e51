"""Assemble the results document (DESIGN.md, "Results document") from plain inputs.

No Django import: :func:`build_document` takes aggregated frames and returns a dict that
``json.dumps(..., allow_nan=False)`` accepts, equal for equal inputs whatever the order
of the frames' rows. Input frames (own = the team's direct figures, not its subtree):

- ``teams``: ``code``, ``name``, ``parent`` (code or None), in tree order;
- ``counts``: ``team``, ``side``, ``question``, ``kind`` (``nps``/``likert``), ``value``,
  ``count``: own answer counts of the 0-10 and 1-5 items, 0 meaning "don't know" on 1-5;
- ``respondents``: ``team``, ``side``, ``responses``; ``invited``: ``team``, ``side``,
  ``invited``; ``comments``: ``team``, ``side``, ``text``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from barometer import metrics, privacy

SIDES = ("employee", "client")
NPS_CODE = "recommend"
MIRRORED_DIMENSIONS = (
    "autonomy",
    "support",
    "courtesy",
    "listening",
    "consideration",
    "cooperation",
    "environment",
    "adaptability",
    "human_digital",
    "trust",
    "values",
)
COUNT_COLUMNS = ("team", "side", "question", "kind", "value", "count")
KINDS = ("nps", "likert")

# (team, side, question) -> {value: count}
CountMap = dict[tuple[str, str, str], dict[int, int]]


@dataclass(frozen=True)
class PreviousCampaign:
    """The previous campaign (by close date) for lagged correlations: own counts and
    own respondents in the frame shapes of :func:`build_document`; ``scores_threshold``
    is that campaign's k (``None``: use the current one)."""

    counts: pd.DataFrame
    respondents: pd.DataFrame
    scores_threshold: int | None = None


def build_document(
    *,
    campaign: Mapping[str, Any],
    computed_at: str,
    thresholds: Mapping[str, int],
    teams: pd.DataFrame | Sequence[Mapping[str, Any]],
    counts: pd.DataFrame,
    respondents: pd.DataFrame,
    invited: pd.DataFrame,
    comments: pd.DataFrame,
    mirrored: Sequence[str] = MIRRORED_DIMENSIONS,
    previous: PreviousCampaign | None = None,
    nps_code: str = NPS_CODE,
) -> dict[str, Any]:
    """Return the results document with every anonymity rule applied.

    ``campaign`` gives slug, name, opens_on, closes_on (ISO dates) and status;
    ``thresholds`` gives ``scores`` (k, at least 3) and ``comments``. Side figures come
    from subtree counts; a SIDE is, by status:

    - ``ok``: status, responses, invited, response_rate, nps, nps_ci95, promoters,
      passives, detractors, dimensions (every 1-5 item of the side by code), comments
      (``None`` when withheld, else ``[{"text", "date"}]``). The five NPS keys are null
      when the item has fewer than k answers; a dimension's three figures likewise;
    - ``no_data``: status, responses (0), invited, response_rate;
    - ``suppressed``: status and invited only (responses would betray hidden counts).

    ``response_rate`` is responses / invited, ``None`` when nobody was invited; public
    link answers have no invitation and can push it above 1. Correlations use own
    figures of the teams whose own two sides reach k, each figure resting on at least
    k answers; ``lagged`` is ``None`` without ``previous``. Raises ValueError on a team
    code outside ``teams``, an unknown side or kind, or a malformed tree.
    """
    k = _threshold(thresholds, "scores", minimum=3)
    k_comments = _threshold(thresholds, "comments", minimum=1)
    team_rows = _team_rows(teams)
    tree = {code: parent for code, _, parent in team_rows}
    members = metrics.subtrees(tree)
    count_frame = _counts_frame(counts, tree)
    own_resp = _per_team_side(respondents, "responses", tree)
    own_inv = _per_team_side(invited, "invited", tree)
    sub_resp = _rolled(tree, own_resp, "responses")
    sub_inv = _rolled(tree, own_inv, "invited")
    sub_counts = _count_map(metrics.rollup(tree, count_frame, "count"))
    org_counts = _count_map(count_frame.assign(team=""))
    own_comments = _comments(comments, tree)
    dimension_codes = _dimension_codes(count_frame, mirrored)
    closes_on = campaign.get("closes_on")
    slug = str(campaign.get("slug", ""))

    org: dict[str, Any] = {}
    team_sides: dict[str, dict[str, Any]] = {code: {} for code in tree}
    for side in SIDES:
        resp = {code: sub_resp.get((code, side), 0) for code in tree}
        statuses = privacy.suppress_side(tree, resp, k)
        allowed = privacy.comment_groups(tree, resp, statuses, k_comments)
        org_texts = [t for code in tree for t in own_comments.get((code, side), [])]
        org[side] = _side(
            status=statuses.organisation,
            responses=sum(resp[code] for code, parent in tree.items() if parent is None),
            invited=sum(own_inv.get((code, side), 0) for code in tree),
            counts=org_counts,
            key=("", side),
            dimension_codes=dimension_codes[side],
            k=k,
            nps_code=nps_code,
            comments=_shuffled(org_texts, allowed.organisation, slug, "", side, closes_on),
        )
        for code in tree:
            texts = [t for m in members[code] for t in own_comments.get((m, side), [])]
            team_sides[code][side] = _side(
                status=statuses.teams[code],
                responses=resp[code],
                invited=sub_inv.get((code, side), 0),
                counts=sub_counts,
                key=(code, side),
                dimension_codes=dimension_codes[side],
                k=k,
                nps_code=nps_code,
                comments=_shuffled(texts, code in allowed.teams, slug, code, side, closes_on),
            )

    own_counts = _count_map(count_frame)
    return {
        "campaign": {
            key: campaign.get(key) for key in ("slug", "name", "opens_on", "closes_on", "status")
        },
        "computed_at": computed_at,
        "thresholds": {"scores": k, "comments": k_comments},
        "organisation": {**org, "symmetry": _symmetry(org, mirrored)},
        "teams": [
            {
                "code": code,
                "name": name,
                "parent": parent,
                **team_sides[code],
                "symmetry": _symmetry(team_sides[code], mirrored),
            }
            for code, name, parent in team_rows
        ],
        "correlations": _correlations(tree, own_counts, own_resp, k, mirrored, nps_code, previous),
    }


def _threshold(thresholds: Mapping[str, int], name: str, *, minimum: int) -> int:
    value = thresholds.get(name)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"thresholds[{name!r}] must be an integer of at least {minimum}")
    return int(value)


def _frame(
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


def _check_keys(frame: pd.DataFrame, tree: Mapping[str, str | None] | None) -> None:
    unknown = set(frame["team"].unique()) - set(tree) if tree is not None else set()
    if unknown:
        raise ValueError(f"unknown team codes: {sorted(map(str, unknown))}")
    bad_sides = set(frame["side"].unique()) - set(SIDES)
    if bad_sides:
        raise ValueError(f"unknown sides: {sorted(map(str, bad_sides))}")


def _team_rows(
    teams: pd.DataFrame | Sequence[Mapping[str, Any]],
) -> list[tuple[str, Any, str | None]]:
    frame = _frame(teams, ("code", "name", "parent"))
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


def _counts_frame(counts: pd.DataFrame, tree: Mapping[str, str | None]) -> pd.DataFrame:
    frame = _frame(counts, COUNT_COLUMNS)
    _check_keys(frame, tree)
    bad_kinds = set(frame["kind"].unique()) - set(KINDS)
    if bad_kinds:
        raise ValueError(f"unknown question kinds: {sorted(map(str, bad_kinds))}")
    return frame.astype({"team": object, "side": object, "question": object, "kind": object})


def _per_team_side(
    data: pd.DataFrame, column: str, tree: Mapping[str, str | None] | None
) -> dict[tuple[str, str], int]:
    frame = _frame(data, ("team", "side", column))
    _check_keys(frame, tree)
    totals: dict[tuple[str, str], int] = {}
    for team, side, value in frame.itertuples(index=False, name=None):
        totals[(team, side)] = totals.get((team, side), 0) + int(value)
    return totals


def _rolled(
    tree: Mapping[str, str | None], own: Mapping[tuple[str, str], int], column: str
) -> dict[tuple[str, str], int]:
    frame = pd.DataFrame(
        [(team, side, value) for (team, side), value in own.items()],
        columns=["team", "side", column],
    )
    rolled = metrics.rollup(tree, frame, column)
    return {(t, s): int(v) for t, s, v in rolled.itertuples(index=False, name=None)}


def _count_map(frame: pd.DataFrame) -> CountMap:
    result: CountMap = {}
    columns = [frame[c].tolist() for c in ("team", "side", "question", "value", "count")]
    for team, side, question, value, count in zip(*columns, strict=True):
        cell = result.setdefault((team, side, question), {})
        cell[int(value)] = cell.get(int(value), 0) + int(count)
    return result


def _dimension_codes(frame: pd.DataFrame, mirrored: Sequence[str]) -> dict[str, list[str]]:
    codes = {}
    for side in SIDES:
        found = set(frame.loc[(frame["side"] == side) & (frame["kind"] == "likert"), "question"])
        codes[side] = [c for c in mirrored if c in found] + sorted(found - set(mirrored))
    return codes


def _comments(
    data: pd.DataFrame, tree: Mapping[str, str | None]
) -> dict[tuple[str, str], list[str]]:
    frame = _frame(data, ("team", "side", "text"))
    _check_keys(frame, tree)
    grouped: dict[tuple[str, str], list[str]] = {}
    for team, side, text in frame.itertuples(index=False, name=None):
        if isinstance(text, str):
            grouped.setdefault((team, side), []).append(text)
    return grouped


def _shuffled(
    texts: list[str], allowed: bool, slug: str, team: str, side: str, closes_on: Any
) -> list[dict[str, str]] | None:
    if not allowed:
        return None
    # The organisation's seed uses an empty team code, which no team can have.
    seed = "/".join((slug, team, side))
    return privacy.shuffle_comments(texts, seed=seed, date=closes_on)


def _side(
    *,
    status: str,
    responses: int,
    invited: int,
    counts: CountMap,
    key: tuple[str, str],
    dimension_codes: Sequence[str],
    k: int,
    nps_code: str,
    comments: list[dict[str, str]] | None,
) -> dict[str, Any]:
    if status == privacy.SUPPRESSED:
        return {"status": status, "invited": invited}
    side: dict[str, Any] = {
        "status": status,
        "responses": responses,
        "invited": invited,
        "response_rate": responses / invited if invited else None,
    }
    if status == privacy.NO_DATA:
        return side
    team, side_name = key
    score = metrics.nps(counts.get((team, side_name, nps_code), {}))
    shown = privacy.figure_published(score["n"], k)
    for name in ("nps", "nps_ci95", "promoters", "passives", "detractors"):
        side[name] = score[name] if shown else None
    dimensions = {}
    for code in dimension_codes:
        figures = metrics.likert(counts.get((team, side_name, code), {}))
        if not privacy.figure_published(figures["n"], k):
            figures = {"favourable": None, "mean": None, "n": None}
        dimensions[code] = figures
    side["dimensions"] = dimensions
    side["comments"] = comments
    return side


def _symmetry(sides: Mapping[str, Mapping[str, Any]], mirrored: Sequence[str]) -> dict[str, Any]:
    def favourable(side: Mapping[str, Any]) -> dict[str, float | None]:
        return {code: fig["favourable"] for code, fig in side.get("dimensions", {}).items()}

    return metrics.symmetry(favourable(sides["employee"]), favourable(sides["client"]), mirrored)


def _own_figure(
    counts: CountMap,
    respondents: Mapping[tuple[str, str], int],
    team: str,
    side: str,
    question: str,
    k: int,
    field: str,
) -> float | None:
    """One team's own figure for correlations, or None below the thresholds."""
    if respondents.get((team, side), 0) < k:
        return None
    cell = counts.get((team, side, question), {})
    figures = metrics.nps(cell) if field == "nps" else metrics.likert(cell)
    return figures[field] if privacy.figure_published(figures["n"], k) else None


def _correlate(units: Iterable[tuple[float | None, float | None]]) -> dict[str, Any]:
    pairs = [(x, y) for x, y in units if x is not None and y is not None]
    return metrics.correlation([x for x, _ in pairs], [y for _, y in pairs])


def _correlations(
    tree: Mapping[str, str | None],
    counts: CountMap,
    respondents: Mapping[tuple[str, str], int],
    k: int,
    mirrored: Sequence[str],
    nps_code: str,
    previous: PreviousCampaign | None,
) -> dict[str, Any]:
    units = [
        code
        for code in tree
        if respondents.get((code, "employee"), 0) >= k and respondents.get((code, "client"), 0) >= k
    ]

    def paired(question: str, field: str) -> dict[str, Any]:
        return _correlate(
            (
                _own_figure(counts, respondents, code, "employee", question, k, field),
                _own_figure(counts, respondents, code, "client", question, k, field),
            )
            for code in units
        )

    result: dict[str, Any] = {
        "recommend": paired(nps_code, "nps"),
        "dimensions": {code: paired(code, "favourable") for code in mirrored},
        "lagged": None,
    }
    if previous is not None:
        k_before = previous.scores_threshold or k
        before_counts = _count_map(_frame(previous.counts, COUNT_COLUMNS))
        # Teams may have closed since the previous campaign: its codes are not checked.
        before_resp = _per_team_side(previous.respondents, "responses", None)

        def lagged(first: str, then: str) -> dict[str, Any]:
            return _correlate(
                (
                    _own_figure(before_counts, before_resp, code, first, nps_code, k_before, "nps"),
                    _own_figure(counts, respondents, code, then, nps_code, k, "nps"),
                )
                for code in tree
            )

        result["lagged"] = {
            "employee_to_client": lagged("employee", "client"),
            "client_to_employee": lagged("client", "employee"),
        }
    return result
