"""The campaign's own questions in the results document: which are mirrored, and the
figures of single-choice items. Pure functions, no Django import.

A *catalogue* is the list the document carries under ``questions``, in the
questionnaire's order: ``{"code", "kind" (nps/likert/choice), "sides": [side, …],
"mirrored": bool, "texts": {side: {"fr", "en"}}, "options": [{"fr", "en"}, …]}``.
``mirrored`` is true for a 1–5 pair asked to both sides with a dimension: built-in or
added by HR to a copy of the template, it gets gaps, the index and correlations alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from barometer import privacy

REPORTED_KINDS = ("nps", "likert", "choice")


def mirrored_codes(catalogue: Sequence[Mapping[str, Any]], first: Sequence[str]) -> list[str]:
    """Codes of the catalogue's mirrored items: those of ``first`` (the built-in
    dimensions, in their fixed order) that it holds, then the others in its order."""
    found = [item["code"] for item in catalogue if item.get("mirrored")]
    return [code for code in first if code in found] + [c for c in found if c not in first]


def choice_codes(catalogue: Sequence[Mapping[str, Any]], side: str) -> dict[str, int]:
    """``{code: number of options}`` of the single-choice items asked to ``side``."""
    return {
        item["code"]: len(item.get("options") or [])
        for item in catalogue
        if item.get("kind") == "choice" and side in item.get("sides", ())
    }


def choice_figures(counts: Mapping[int, int], options: int, k: int) -> dict[str, Any]:
    """One single-choice item of one group: ``{"n", "shares"}``, ``shares[i]`` the
    share (0..1) of the answers that picked option i (its value), n their number.

    Like any single figure, both are null when n is below ``k`` (no distribution of a
    group under the threshold); an answer outside the options raises ValueError."""
    clean = {int(v): int(c) for v, c in counts.items() if int(c)}
    if any(value < 0 or value >= options for value in clean):
        raise ValueError(f"a choice answer outside its {options} options")
    n = sum(clean.values())
    if not privacy.figure_published(n, k):
        return {"n": None, "shares": None}
    return {"n": n, "shares": [clean.get(i, 0) / n for i in range(options)]}
