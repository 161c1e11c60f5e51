"""From what was collected to the published document: a release, then the document.

No Django import. :func:`publish` is the one path from raw tallies (``barometer.releases``
shapes) to the results document, used by the snapshot service and by the tests that
play a reader comparing documents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from barometer import releases
from barometer.document import build_document
from barometer.inputs import COUNT_COLUMNS, KINDS


def publish(
    *,
    campaign: Mapping[str, Any],
    computed_at: str,
    teams: Sequence[Mapping[str, Any]],
    state: Mapping[str, Any] | None,
    raw: Mapping[str, Any],
    texts: Mapping[str, str],
    invited: pd.DataFrame | Sequence[tuple[str, str, int]],
    thresholds: Mapping[str, int] | None = None,
    kinds: Mapping[str, str] | None = None,
    previous: Mapping[str, Any] | None = None,
    catalogue: Sequence[Mapping[str, Any]] | None = None,
    earlier: Sequence[Mapping[str, Any]] = (),
) -> tuple[dict[str, Any], dict[str, Any], bool]:
    """Release what is due and build the document; return ``(document, state, changed)``.

    ``campaign["status"] == "closed"`` makes the release final. Without ``state`` a new
    one starts from ``thresholds`` (``scores``, ``comments``) and ``kinds``
    (``{"side/code": kind}``); with one, its frozen thresholds and kinds are used (items
    it does not know yet, such as single-choice ones in a state from before they were
    reported, join with their kind from ``kinds``). ``catalogue`` and ``earlier`` go to
    :func:`barometer.document.build_document`.
    ``texts`` maps comment digests to their text; ``invited`` has (team, side, invited).
    ``changed`` is False when the release formed no atom (the caller may then keep the
    document it has). Raises ValueError as :func:`barometer.releases.release` and
    :func:`barometer.document.build_document` do.
    """
    if state is None:
        if thresholds is None or kinds is None:
            raise ValueError("a first release needs thresholds and kinds")
        state = releases.state_new(
            scores=thresholds["scores"], comments=thresholds["comments"], kinds=kinds
        )
    elif kinds is not None and set(kinds) - set(state.get("kinds", {})):
        state = {**state, "kinds": {**kinds, **state.get("kinds", {})}}
    tree = {row["code"]: row["parent"] for row in teams}
    final = campaign.get("status") == "closed"
    state, changed = releases.release(state, raw, tree=tree, final=final)
    document = document_of(
        campaign=campaign,
        computed_at=computed_at,
        teams=teams,
        state=state,
        raw=raw,
        texts=texts,
        invited=invited,
        previous=previous,
        catalogue=catalogue,
        earlier=earlier,
    )
    return document, state, changed


def document_of(
    *,
    campaign: Mapping[str, Any],
    computed_at: str,
    teams: Sequence[Mapping[str, Any]],
    state: Mapping[str, Any],
    raw: Mapping[str, Any],
    texts: Mapping[str, str],
    invited: pd.DataFrame | Sequence[tuple[str, str, int]],
    previous: Mapping[str, Any] | None = None,
    catalogue: Sequence[Mapping[str, Any]] | None = None,
    earlier: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The results document of what ``state`` has released (no release is made here);
    ``raw`` only tells who answered (participants, held-back counts). Released counts
    of an item whose kind the document does not report are left out."""
    frames = releases.atom_frames(state)
    counts = [row for row in frames["counts"] if row[3] in KINDS]
    comments = [
        (team, side, texts[digest])
        for team, side, digest, count in frames["comments"]
        if digest in texts
        for _ in range(count)
    ]
    participants = [
        (team, side, sum(tally.get("respondents", 0) for tally in channels.values()))
        for team, sides in raw.items()
        for side, channels in sides.items()
    ]
    public = [
        (team, side, channels["public"].get("respondents", 0))
        for team, sides in raw.items()
        for side, channels in sides.items()
        if "public" in channels
    ]
    likert = {
        side: [
            key.split("/", 1)[1]
            for key, kind in state["kinds"].items()
            if key.startswith(f"{side}/") and kind == "likert"
        ]
        for side in releases.SIDES
    }
    return build_document(
        campaign=campaign,
        computed_at=computed_at,
        thresholds=state["thresholds"],
        teams=teams,
        counts=pd.DataFrame(counts, columns=list(COUNT_COLUMNS)),
        respondents=pd.DataFrame(frames["respondents"], columns=["team", "side", "responses"]),
        invited=(
            invited
            if isinstance(invited, pd.DataFrame)
            else pd.DataFrame(list(invited), columns=["team", "side", "invited"])
        ),
        comments=pd.DataFrame(comments, columns=["team", "side", "text"]),
        participants=pd.DataFrame(participants, columns=["team", "side", "responses"]),
        public=pd.DataFrame(public, columns=["team", "side", "responses"]),
        comment_groups=pd.DataFrame(
            frames["comment_groups"], columns=["team", "side", "respondents"]
        ),
        held_back=releases.held_back(state, raw),
        items=likert,
        previous=previous,
        catalogue=catalogue,
        earlier=earlier,
    )
