"""Barometer metrics: pure functions over small, already aggregated pandas objects.

No Django import: the caller aggregates answers in SQL and passes counts. Definitions
follow DESIGN.md, "Metrics". Figures are returned unrounded, as plain Python ``int``,
``float`` or ``None`` so that the results document serialises to JSON as it is.

Shapes used here:

- a *counts* argument is a ``pd.Series`` (or any mapping) whose index is the answer
  value (int) and whose values are numbers of answers (int);
- a *tree* is a mapping ``team code -> parent code or None``;
- an *own* frame for :func:`rollup` has a ``team`` column (team code), any number of
  key columns, and one numeric value column holding the team's direct figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, SupportsInt, cast

import pandas as pd
from scipy import stats

Z95 = 1.96
NPS_VALUES = range(0, 11)
LIKERT_VALUES = range(0, 6)
DONT_KNOW = 0
MIN_CORRELATION_UNITS = 5
EXPLORATORY_BELOW = 30

Counts = pd.Series | Mapping[int, int]
Tree = Mapping[str, str | None]


def _clean_counts(counts: Counts, allowed: range) -> dict[int, int]:
    """Return ``{value: count}`` with zero counts dropped, refusing impossible values.

    Bad data fails loudly rather than skewing a published score.
    """
    clean: dict[int, int] = {}
    for raw_value, raw_count in counts.items():
        # A Series' labels are typed Hashable: the checks below refuse any that is not a value.
        value, count = int(cast(SupportsInt, raw_value)), int(raw_count)
        if value != raw_value or count != raw_count or count < 0:
            raise ValueError(f"invalid count {raw_count!r} for value {raw_value!r}")
        if count == 0:
            continue
        if value not in allowed:
            raise ValueError(f"value {value} outside {allowed.start}..{allowed.stop - 1}")
        clean[value] = clean.get(value, 0) + count
    return clean


def nps(counts: Counts) -> dict[str, Any]:
    """Net Promoter Score of a 0–10 item (eNPS on the employee side).

    Returns ``{"n", "promoters", "passives", "detractors", "nps", "nps_ci95"}``:
    promoters answered 9–10, passives 7–8, detractors 0–6; ``nps`` is %promoters −
    %detractors on −100..100 and ``nps_ci95`` its adjusted-Wald 95 % interval
    ``[lo, hi]`` (Rocks 2016, as DESIGN defines it): 0.75 promoter and 0.75 detractor
    are added to n + 3 answers, so the interval is centred near, not on, the NPS and a
    unanimous group still gets a width; it is clipped to [−100, 100]. With no answers
    (``n == 0``) the three counts are 0 and ``nps``/``nps_ci95`` are ``None``. Values
    outside 0..10 raise ValueError.
    """
    clean = _clean_counts(counts, NPS_VALUES)
    promoters = sum(c for v, c in clean.items() if v >= 9)
    passives = sum(c for v, c in clean.items() if 7 <= v <= 8)
    detractors = sum(c for v, c in clean.items() if v <= 6)
    n = promoters + passives + detractors
    result: dict[str, Any] = {
        "n": n,
        "promoters": promoters,
        "passives": passives,
        "detractors": detractors,
        "nps": None,
        "nps_ci95": None,
    }
    if n == 0:
        return result
    result["nps"] = 100.0 * (promoters - detractors) / n
    result["nps_ci95"] = list(nps_interval(promoters, detractors, n))
    return result


def nps_standard_error(promoters: int, detractors: int, n: int) -> float:
    """Adjusted-Wald standard error of an NPS on −100..100 (n > 0): the one the
    interval of :func:`nps` and the change test between campaigns both use."""
    adjusted = n + 3
    p, d = (promoters + 0.75) / adjusted, (detractors + 0.75) / adjusted
    return 100.0 * math.sqrt(((p + d) - (p - d) ** 2) / adjusted)


def nps_interval(promoters: int, detractors: int, n: int) -> tuple[float, float]:
    """Adjusted-Wald 95 % interval of an NPS (n > 0), clipped to [−100, 100]."""
    adjusted = n + 3
    centre = 100.0 * (promoters - detractors) / adjusted
    half = Z95 * nps_standard_error(promoters, detractors, n)
    return max(-100.0, centre - half), min(100.0, centre + half)


def likert(counts: Counts) -> dict[str, Any]:
    """Favourability and mean of a 1–5 item whose value 0 means "don't know".

    Returns ``{"favourable", "mean", "n"}``: ``n`` counts the answers 1–5 ("don't
    know" is left out of every figure), ``favourable`` is the share (0..1) of 4–5 among
    them and ``mean`` their mean on 1–5. Only "don't know" answers, or none at all, give
    ``n == 0`` and ``None`` for both figures. Values outside 0..5 raise ValueError.
    """
    clean = _clean_counts(counts, LIKERT_VALUES)
    clean.pop(DONT_KNOW, None)
    n = sum(clean.values())
    if n == 0:
        return {"favourable": None, "mean": None, "n": 0}
    favourable = sum(c for v, c in clean.items() if v >= 4)
    total = sum(v * c for v, c in clean.items())
    return {"favourable": favourable / n, "mean": total / n, "n": n}


def symmetry(
    employee: Mapping[str, float | None],
    client: Mapping[str, float | None],
    dimensions: Sequence[str],
) -> dict[str, Any]:
    """Symmetry gaps and index between the two sides of one group.

    ``employee`` and ``client`` map a dimension code to its published favourable share
    (0..1) or ``None``. Returns ``{"gaps": {code: points}, "index": float | None}`` where
    a gap is (client − employee) × 100 and is present only for the ``dimensions`` (in
    that order) that both sides publish; ``index`` = 100 − mean |gap| over them, or
    ``None`` when there is no such dimension (for example a suppressed side).
    """
    gaps: dict[str, float] = {}
    for code in dimensions:
        emp, cli = employee.get(code), client.get(code)
        if emp is not None and cli is not None:
            gaps[code] = (float(cli) - float(emp)) * 100.0
    index = 100.0 - sum(abs(g) for g in gaps.values()) / len(gaps) if gaps else None
    return {"gaps": gaps, "index": index}


def subtrees(tree: Tree) -> dict[str, list[str]]:
    """Map every team to the codes of its whole subtree: itself first, then descendants.

    Members follow the order of ``tree``. Raises ValueError when a parent is not a team
    of the tree or when the parent links form a cycle.
    """
    members: dict[str, list[str]] = {code: [] for code in tree}
    for code in tree:
        node: str | None = code
        steps = 0
        while node is not None:
            if node not in tree:
                raise ValueError(f"team {code!r} has an unknown ancestor {node!r}")
            members[node].append(code)
            node = tree[node]
            steps += 1
            if steps > len(tree):
                raise ValueError(f"the team tree has a cycle through {code!r}")
    # Put each team ahead of its descendants whatever the order of ``tree``.
    return {code: [code] + [m for m in found if m != code] for code, found in members.items()}


def rollup(tree: Tree, own: pd.DataFrame, value: str) -> pd.DataFrame:
    """Sum direct figures over every team's whole subtree.

    ``own`` has a ``team`` column, key columns (for example ``side``, ``question``,
    ``value``) and the numeric column named by ``value`` (``count``, ``responses``,
    ``invited``). Returns a frame with the same columns where ``team`` is now the
    subtree's root and the value column holds the sum of raw figures of that subtree
    (never an average of averages). Rows are sorted by team then keys; a team whose
    subtree has no row gets none. A team code absent from ``tree`` raises ValueError.
    """
    unknown = set(own["team"]) - set(tree)
    if unknown:
        raise ValueError(f"unknown team codes: {sorted(map(str, unknown))}")
    keys = [c for c in own.columns if c not in ("team", value)]
    pairs = pd.DataFrame(
        [(member, root) for root, found in subtrees(tree).items() for member in found],
        columns=["team", "_root"],
    )
    merged = own.merge(pairs, on="team", how="inner")
    if merged.empty:
        return own.iloc[0:0].copy()
    summed = merged.groupby(["_root", *keys], sort=True, dropna=False)[value].sum().reset_index()
    return summed.rename(columns={"_root": "team"})[list(own.columns)]


def _pairs(x: Sequence[Any] | pd.Series, y: Sequence[Any] | pd.Series) -> list[tuple[float, float]]:
    if isinstance(x, pd.Series) and isinstance(y, pd.Series):
        joined = pd.concat([x.rename("x"), y.rename("y")], axis=1, join="inner")
        raw = list(zip(joined["x"].tolist(), joined["y"].tolist(), strict=True))
    else:
        if len(x) != len(y):
            raise ValueError("x and y must have the same length")
        raw = list(zip(list(x), list(y), strict=True))
    return [(float(a), float(b)) for a, b in raw if not (pd.isna(a) or pd.isna(b))]


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    mx, my = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)
    dx = [v - mx for v in xs]
    dy = [v - my for v in ys]
    num = math.fsum(a * b for a, b in zip(dx, dy, strict=True))
    den = math.sqrt(math.fsum(a * a for a in dx) * math.fsum(b * b for b in dy))
    return max(-1.0, min(1.0, num / den))


def _average_ranks(values: Sequence[float]) -> list[float]:
    return [float(r) for r in stats.rankdata(values, method="average")]


def correlation_label(units: int) -> str:
    """``"insufficient"`` below 5 units, ``"exploratory"`` below 30, else ``"ok"``."""
    if units < MIN_CORRELATION_UNITS:
        return "insufficient"
    return "exploratory" if units < EXPLORATORY_BELOW else "ok"


def correlation(x: Sequence[Any] | pd.Series, y: Sequence[Any] | pd.Series) -> dict[str, Any]:
    """Correlation between two figures across units (teams).

    Two Series are paired by index (inner join); sequences by position (equal lengths
    required). Pairs where either value is missing (None/NaN) are dropped; ``k`` is the
    number of pairs left. Returns ``{"pearson", "pearson_ci95", "p_value", "spearman",
    "teams", "label"}``: Pearson r, its Fisher-z 95 % interval (z = 1.96, se =
    1/sqrt(k − 3)), the two-sided p-value of t = r·sqrt((k − 2)/(1 − r²)) on k − 2
    degrees of freedom, and Spearman ρ (Pearson r of average ranks, so ties are fair).

    Edge cases: below 5 units every figure is ``None`` (label ``"insufficient"``). When
    either series is constant r is undefined (zero variance) and so is ρ: every figure
    is then ``None`` too, while ``teams`` and ``label`` still describe k, so a reader
    can tell "no spread" from "too few teams". A perfect |r| = 1 gives a zero-width
    interval [r, r] and p = 0.
    """
    pairs = _pairs(x, y)
    k = len(pairs)
    result: dict[str, Any] = {
        "pearson": None,
        "pearson_ci95": None,
        "p_value": None,
        "spearman": None,
        "teams": k,
        "label": correlation_label(k),
    }
    xs = [a for a, _ in pairs]
    ys = [b for _, b in pairs]
    # Compare raw values: a mean of equal floats may differ from them in the last bit.
    if k < MIN_CORRELATION_UNITS or min(xs) == max(xs) or min(ys) == max(ys):
        return result
    r = _pearson(xs, ys)
    if abs(r) == 1.0:
        ci, p_value = [r, r], 0.0
    else:
        z, se = math.atanh(r), 1.0 / math.sqrt(k - 3)
        ci = [math.tanh(z - Z95 * se), math.tanh(z + Z95 * se)]
        t = r * math.sqrt((k - 2) / (1.0 - r * r))
        p_value = float(2.0 * stats.t.sf(abs(t), k - 2))
    result.update(
        pearson=r,
        pearson_ci95=ci,
        p_value=p_value,
        spearman=_pearson(_average_ranks(xs), _average_ranks(ys)),
    )
    return result
