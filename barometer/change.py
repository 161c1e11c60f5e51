"""Change since the previous campaign: pure functions over published figures.

No Django import. A change compares two *published* figures of the same team, side
and item: the previous campaign's published final document and this one. Nothing
here reads answers: a figure that either document left out (a suppressed side, an
item under the threshold) gives no change at all. DESIGN.md, "Metrics": a change is
flagged at |z| ≥ 1.96, with a pooled two-proportion z test for favourable shares and
(NPS₂ − NPS₁)/√(SE₁² + SE₂²) for NPS, with adjusted-Wald standard errors
(:func:`barometer.metrics.nps_standard_error`).

A CHANGE is ``{"before", "after", "points", "z", "significant"}``: the two figures
(shares on 0..1 for a favourable share, scores on −100..100 for an NPS), their
difference in points, the z statistic and ``|z| >= 1.96``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from barometer import metrics, privacy

SIDES = ("employee", "client")
NPS_CODE = "recommend"


def proportion_z(before: float, n_before: int, after: float, n_after: int) -> float:
    """Pooled two-proportion z statistic of ``after − before`` (shares on 0..1).

    Both n must be positive (ValueError otherwise). When the pooled share is 0 or 1
    both shares are equal and the statistic is 0 (there is no spread to measure)."""
    if n_before <= 0 or n_after <= 0:
        raise ValueError("both groups need at least one answer")
    pooled = (before * n_before + after * n_after) / (n_before + n_after)
    variance = pooled * (1.0 - pooled) * (1.0 / n_before + 1.0 / n_after)
    if variance <= 0:
        return 0.0
    return (after - before) / math.sqrt(variance)


def nps_z(before: Mapping[str, Any], after: Mapping[str, Any]) -> float:
    """z statistic of an NPS change from two sides' ``nps``, ``promoters``,
    ``passives`` and ``detractors``: (NPS₂ − NPS₁)/√(SE₁² + SE₂²), adjusted-Wald SEs
    (never zero, so a unanimous group on both campaigns still gets a finite z)."""

    def score(side: Mapping[str, Any]) -> tuple[float, float]:
        promoters, detractors = int(side["promoters"]), int(side["detractors"])
        n = promoters + int(side["passives"]) + detractors
        if n <= 0:
            raise ValueError("an NPS needs at least one answer")
        return float(side["nps"]), metrics.nps_standard_error(promoters, detractors, n)

    (first, se_first), (then, se_then) = score(before), score(after)
    return (then - first) / math.sqrt(se_first**2 + se_then**2)


def _change(before: float, after: float, points: float, z: float) -> dict[str, Any]:
    return {
        "before": before,
        "after": after,
        "points": points,
        "z": z,
        "significant": abs(z) >= metrics.Z95,
    }


def side_change(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The changes of one side: ``{"nps": CHANGE | None, "dimensions": {code: CHANGE}}``.

    ``before`` and ``after`` are SIDE dicts of two published documents. Only figures
    published in both appear: a side that is not ``ok`` in either, an NPS or an item
    left out (null) in either, gives nothing. ``dimensions`` holds every 1–5 item
    both sides publish, in the order of ``after``."""
    result: dict[str, Any] = {"nps": None, "dimensions": {}}
    if not _published(before) or not _published(after):
        return result
    assert before is not None and after is not None
    if before.get("nps") is not None and after.get("nps") is not None:
        z = nps_z(before, after)
        result["nps"] = _change(
            float(before["nps"]), float(after["nps"]), float(after["nps"]) - before["nps"], z
        )
    earlier = before.get("dimensions") or {}
    for code, figures in (after.get("dimensions") or {}).items():
        old = earlier.get(code) or {}
        if figures.get("favourable") is None or old.get("favourable") is None:
            continue
        p1, n1 = float(old["favourable"]), int(old["n"])
        p2, n2 = float(figures["favourable"]), int(figures["n"])
        z = proportion_z(p1, n1, p2, n2)
        result["dimensions"][code] = _change(p1, p2, (p2 - p1) * 100.0, z)
    return result


def _published(side: Mapping[str, Any] | None) -> bool:
    return side is not None and side.get("status") == privacy.OK


def campaign_reference(document: Mapping[str, Any]) -> dict[str, Any]:
    """Which campaign a change is measured from: its slug, name and close date."""
    campaign = document.get("campaign") or {}
    return {key: campaign.get(key) for key in ("slug", "name", "closes_on")}


def group_change(
    before: Mapping[str, Any] | None, after: Mapping[str, Any], earlier: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The change of a group (a team entry or the organisation) against its entry in
    ``earlier`` (a published final document): ``{"since": campaign reference,
    "employee": SIDE CHANGE, "client": SIDE CHANGE}``; None without ``before``."""
    if before is None:
        return None
    return {
        "since": campaign_reference(earlier),
        **{side: side_change(before.get(side), after.get(side)) for side in SIDES},
    }


def team_changes(
    teams: Sequence[Mapping[str, Any]], earlier: Sequence[Mapping[str, Any]]
) -> dict[str, dict[str, Any] | None]:
    """``{team code: change or None}``: each team against the latest of ``earlier``
    (published final documents, latest first) that lists it, the campaign that last
    asked the team (or a team below it). None when no earlier document lists it."""
    found: dict[str, dict[str, Any] | None] = {}
    indexed = [({t["code"]: t for t in doc.get("teams", [])}, doc) for doc in earlier]
    for team in teams:
        code = team["code"]
        found[code] = None
        for by_code, document in indexed:
            if code in by_code:
                found[code] = group_change(by_code[code], team, document)
                break
    return found
