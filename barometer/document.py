"""Assemble the results document (DESIGN.md, "Results document") from plain inputs.

No Django import: :func:`build_document` takes aggregated frames and returns a dict that
``json.dumps(..., allow_nan=False)`` accepts, equal for equal inputs whatever the order
of the frames' rows. It publishes what ``barometer.releases`` released: the frames hold
the atoms attributed to each team (own = the team's direct atoms, not its subtree; the
organisation's own under the code ``""``):

- ``teams``: ``code``, ``name``, ``parent`` (code or None), in tree order;
- ``counts``: ``team``, ``side``, ``question``, ``kind`` (``nps``/``likert``/``choice``),
  ``value``, ``count``: released answer counts of the 0-10 and 1-5 items, 0 meaning
  "don't know", and of the single-choice items (the value is the option's index);
- ``respondents``: ``team``, ``side``, ``responses`` (released); ``invited``: ``team``,
  ``side``, ``invited``; ``comments``: ``team``, ``side``, ``text`` (released);
  ``participants``: ``team``, ``side``, ``responses`` (everybody who answered);
  ``public``: ``team``, ``side``, ``responses`` (those of them through a public link);
  ``comment_groups``: ``team``, ``side``, ``respondents``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from barometer import change, inputs, metrics, privacy, questions
from barometer.inputs import SIDES, CountMap

ORGANISATION = ""  # the team code of the organisation's own atoms (pools at the top)
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
    participants: pd.DataFrame | None = None,
    public: pd.DataFrame | None = None,
    comment_groups: pd.DataFrame | None = None,
    held_back: Mapping[str, int] | None = None,
    items: Mapping[str, Sequence[str]] | None = None,
    mirrored: Sequence[str] | None = None,
    previous: Mapping[str, Any] | None = None,
    nps_code: str = NPS_CODE,
    catalogue: Sequence[Mapping[str, Any]] | None = None,
    earlier: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Return the results document from the released atoms (see ``barometer.releases``).

    ``counts``, ``respondents`` and ``comments`` are the *published* own figures: the
    atoms attributed to each team, the organisation's own under the code ``""``; every
    figure is then their sum over a subtree, so it rests on whole atoms (0 or at least k
    answers) and so does any difference between figures. ``participants`` (team, side,
    responses) counts everybody who answered, released or not: a side with participants
    and no released respondent is ``suppressed``, one with none ``no_data`` (default:
    the released respondents); ``public`` (same columns, default none) says how many of
    them answered through a public link. ``comment_groups`` (team, side, respondents) says where
    comments were released: elsewhere a side's comments are ``None`` (withheld).
    ``held_back`` (side -> respondents in no response count yet) goes to the
    organisation's sides. ``items`` (side -> codes of its 1-5 items) lists every item a
    side's ``dimensions`` holds, released or not (default: those with counts). A SIDE is, by status:

    - ``ok``: status, responses, invited, response_rate, personal_responses,
      public_responses, nps, nps_ci95, promoters,
      passives, detractors, dimensions (every 1-5 item of the side by code), comments
      (``None`` when withheld, else ``[{"text", "date"}]``). The five NPS keys are null
      when the item has no released answer; a dimension's three figures likewise;
    - ``no_data``: status, responses (0), invited, response_rate;
    - ``suppressed``: status and invited only.

    ``response_rate`` is personal_responses / invited, ``None`` when nobody was invited:
    the participants of the subtree who answered through their personal link (or were
    imported), released or not, over its invitations; public-link answers are counted
    apart (``public_responses``), never in a rate. Participation says who answered,
    never what, and the reader is assumed to know it already.
    Correlations pair published figures only (see :func:`_correlations`); ``lagged``
    reads ``previous``, the previous campaign's published final document, and is
    ``None`` without it.

    ``catalogue`` (see ``barometer.questions``) is the campaign's own questions, which
    the document carries under ``questions``: its mirrored items are the ``mirrored``
    dimensions (default: the built-in ones), and each side's single-choice items get
    ``choices`` (``{code: {"n", "shares"}}``, null under the threshold). ``earlier``
    holds the published final documents of the earlier closed campaigns, latest first:
    each team entry's ``change`` compares it with the latest of them that lists it, the
    organisation's with the first (``barometer.change``; None without one). Raises
    ValueError on a team code outside ``teams``, an unknown side or kind, or a
    malformed tree.
    """
    if mirrored is None:
        mirrored = (
            MIRRORED_DIMENSIONS
            if catalogue is None
            else questions.mirrored_codes(catalogue, MIRRORED_DIMENSIONS)
        )
    k = inputs.threshold(thresholds, "scores", minimum=3)
    k_comments = inputs.threshold(thresholds, "comments", minimum=1)
    team_rows = inputs.team_rows(teams)
    tree = {code: parent for code, _, parent in team_rows}
    members = metrics.subtrees(tree)
    with_org = {**tree, ORGANISATION: None}
    count_frame = inputs.counts_frame(counts, with_org)
    own_resp = inputs.per_team_side(respondents, "responses", with_org)
    own_inv = inputs.per_team_side(invited, "invited", tree)
    own_part = (
        own_resp
        if participants is None
        else inputs.per_team_side(participants, "responses", with_org)
    )
    own_groups = (
        {}
        if comment_groups is None
        else inputs.per_team_side(comment_groups, "respondents", with_org)
    )
    sub_resp = inputs.rolled(members, own_resp)
    sub_part = inputs.rolled(members, own_part)
    own_public = {} if public is None else inputs.per_team_side(public, "responses", with_org)
    sub_public = inputs.rolled(members, own_public)
    sub_inv = inputs.rolled(members, own_inv)
    sub_groups = inputs.rolled(members, own_groups)
    sub_counts = inputs.count_map(metrics.rollup(tree, _teams_only(count_frame), "count"))
    org_counts = inputs.count_map(count_frame.assign(team=""))
    own_comments = inputs.comments(comments, with_org)
    dimension_codes = inputs.dimension_codes(count_frame, mirrored, items)
    choice_codes = inputs.choice_codes(count_frame, catalogue)
    closes_on = campaign.get("closes_on")
    slug = str(campaign.get("slug", ""))
    roots = [code for code, parent in tree.items() if parent is None]

    org: dict[str, Any] = {}
    team_sides: dict[str, dict[str, Any]] = {code: {} for code in tree}
    for side in SIDES:
        org_texts = [t for code in with_org for t in own_comments.get((code, side), [])]
        org[side] = _side(
            status=_status(
                _org_total(own_resp, sub_resp, roots, side),
                _org_total(own_part, sub_part, roots, side),
            ),
            responses=_org_total(own_resp, sub_resp, roots, side),
            invited=sum(own_inv.get((code, side), 0) for code in tree),
            participation=(
                _org_total(own_part, sub_part, roots, side),
                _org_total(own_public, sub_public, roots, side),
            ),
            counts=org_counts,
            key=("", side),
            dimension_codes=dimension_codes[side],
            choice_codes=choice_codes[side],
            k=k,
            nps_code=nps_code,
            comments=_shuffled(
                org_texts,
                _org_total(own_groups, sub_groups, roots, side) > 0,
                slug,
                "",
                side,
                closes_on,
            ),
        )
        if held_back is not None and org[side]["status"] != privacy.SUPPRESSED:
            org[side]["held_back"] = int(held_back.get(side, 0))
        for code in tree:
            texts = [t for m in members[code] for t in own_comments.get((m, side), [])]
            team_sides[code][side] = _side(
                status=_status(sub_resp.get((code, side), 0), sub_part.get((code, side), 0)),
                responses=sub_resp.get((code, side), 0),
                invited=sub_inv.get((code, side), 0),
                participation=(sub_part.get((code, side), 0), sub_public.get((code, side), 0)),
                counts=sub_counts,
                key=(code, side),
                dimension_codes=dimension_codes[side],
                choice_codes=choice_codes[side],
                k=k,
                nps_code=nps_code,
                comments=_shuffled(
                    texts, sub_groups.get((code, side), 0) > 0, slug, code, side, closes_on
                ),
            )

    team_entries = [
        {
            "code": code,
            "name": name,
            "parent": parent,
            **team_sides[code],
            "symmetry": _symmetry(team_sides[code], mirrored),
        }
        for code, name, parent in team_rows
    ]
    changes = change.team_changes(team_entries, earlier)
    for entry in team_entries:
        entry["change"] = changes[entry["code"]]
    organisation = {**org, "symmetry": _symmetry(org, mirrored)}
    organisation["change"] = (
        change.group_change(earlier[0].get("organisation"), organisation, earlier[0])
        if earlier
        else None
    )
    return {
        "campaign": {
            key: campaign.get(key) for key in ("slug", "name", "opens_on", "closes_on", "status")
        },
        "computed_at": computed_at,
        "thresholds": {"scores": k, "comments": k_comments},
        "organisation": organisation,
        "teams": team_entries,
        "correlations": _correlations(team_entries, tree, mirrored, previous),
        "questions": [dict(item) for item in catalogue or ()],
    }


def _org_total(
    own: Mapping[tuple[str, str], int],
    rolled: Mapping[tuple[str, str], int],
    roots: Sequence[str],
    side: str,
) -> int:
    """The organisation's figure: its roots' subtrees plus its own atoms (top pools)."""
    return sum(rolled.get((r, side), 0) for r in roots) + own.get((ORGANISATION, side), 0)


def _status(released: int, participants: int) -> str:
    if released > 0:
        return privacy.OK
    return privacy.SUPPRESSED if participants > 0 else privacy.NO_DATA


def _teams_only(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["team"] != ORGANISATION]


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
    participation: tuple[int, int],
    counts: CountMap,
    key: tuple[str, str],
    dimension_codes: Sequence[str],
    choice_codes: Mapping[str, int],
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
    everybody, public = participation
    side["response_rate"] = (everybody - public) / invited if invited else None
    side["personal_responses"] = everybody - public
    side["public_responses"] = public
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
    side["choices"] = {
        code: questions.choice_figures(counts.get((team, side_name, code), {}), options, k)
        for code, options in choice_codes.items()
    }
    side["comments"] = comments
    return side


def _symmetry(sides: Mapping[str, Mapping[str, Any]], mirrored: Sequence[str]) -> dict[str, Any]:
    def favourable(side: Mapping[str, Any]) -> dict[str, float | None]:
        return {code: fig["favourable"] for code, fig in side.get("dimensions", {}).items()}

    return metrics.symmetry(favourable(sides["employee"]), favourable(sides["client"]), mirrored)


def unit_figures(
    teams: Sequence[Mapping[str, Any]], side: str, question: str, field: str
) -> dict[str, float]:
    """``{team code: figure}`` of the correlation units of one side and item in a
    published document's ``teams``: the teams whose figure is published while no team
    below them publishes one, so that units never share an answer and every figure
    paired is one a reader already has. ``field`` is ``nps`` or a dimension's
    ``favourable``."""
    tree = {team["code"]: team.get("parent") for team in teams}

    def figure(team: Mapping[str, Any]) -> float | None:
        figures = team.get(side) or {}
        if field == "nps":
            return figures.get("nps") if question == NPS_CODE else None
        return ((figures.get("dimensions") or {}).get(question) or {}).get(field)

    published = {team["code"]: figure(team) for team in teams}
    covered: set[str] = set()
    for code, value in published.items():
        if value is None:
            continue
        parent = tree.get(code)
        steps = 0
        while parent is not None and parent in tree and steps <= len(tree):
            covered.add(parent)
            parent, steps = tree.get(parent), steps + 1
    return {
        code: float(value)
        for code, value in published.items()
        if value is not None and code not in covered
    }


def _correlate(first: Mapping[str, float], then: Mapping[str, float]) -> dict[str, Any]:
    codes = [code for code in first if code in then]
    return metrics.correlation([first[c] for c in codes], [then[c] for c in codes])


def _correlations(
    teams: Sequence[Mapping[str, Any]],
    tree: Mapping[str, str | None],
    mirrored: Sequence[str],
    previous: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Correlations across teams from published figures only: this document's units
    (:func:`unit_figures`) and, for the lagged ones, the units of the previous
    campaign's published final document."""

    def paired(question: str, field: str) -> dict[str, Any]:
        return _correlate(
            unit_figures(teams, "employee", question, field),
            unit_figures(teams, "client", question, field),
        )

    result: dict[str, Any] = {
        "recommend": paired(NPS_CODE, "nps"),
        "dimensions": {code: paired(code, "favourable") for code in mirrored},
        "lagged": None,
    }
    if previous is not None:
        before = previous.get("teams", [])
        result["lagged"] = {
            "employee_to_client": _correlate(
                unit_figures(before, "employee", NPS_CODE, "nps"),
                unit_figures(teams, "client", NPS_CODE, "nps"),
            ),
            "client_to_employee": _correlate(
                unit_figures(before, "client", NPS_CODE, "nps"),
                unit_figures(teams, "employee", NPS_CODE, "nps"),
            ),
        }
    return result
