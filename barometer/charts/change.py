"""Change since the previous campaign in the charts: marks added to the mirror, and the
heatmap's "change" view. Pure, like the rest of the package: the changes are the
document's (``barometer.change``), read from each team entry's ``change``."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from barometer.charts.base import (
    CLIENT,
    EMPLOYEE,
    GAP_SCALE,
    NO_DATA,
    NO_DATA_TEXT,
    Side,
    _trace,
    favourable,
    percent,
    plain,
    signed,
)
from barometer.charts.overview import heatmap_frame


def _arrow(points: float) -> str:
    return "▲" if round(points) > 0 else "▼" if round(points) < 0 else "="


def change_text(change: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """ "▲ +8 points, significant" (or "within noise") for a CHANGE."""
    return labels["change_words"].format(
        arrow=_arrow(change["points"]),
        points=signed(change["points"], labels),
        verdict=labels["significant"] if change["significant"] else labels["within_noise"],
    )


def _dimension_changes(entry: Mapping[str, Any] | None, side: str) -> Mapping[str, Any]:
    found = ((entry or {}).get("change") or {}).get(side) or {}
    dimensions: Mapping[str, Any] = found.get("dimensions") or {}
    return dimensions


def mirror_change_traces(
    entry: Mapping[str, Any],
    dimensions: Sequence[tuple[str, str]],
    labels: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Traces to add to :func:`barometer.charts.mirror_figure`: an arrow beyond the end
    of each bar that changed since the previous campaign, in the side's colour when the
    change is significant and grey when it is within noise, the change in its hover."""
    traces = []
    for side, sign, colour in (("employee", -1, EMPLOYEE), ("client", 1, CLIENT)):
        sides: Side = entry.get(side) or {}
        changes = _dimension_changes(entry, side)
        who = labels["employees"] if side == "employee" else labels["clients"]
        x, y, texts, colours, hover = [], [], [], [], []
        for code, name in dimensions:
            share, found = favourable(sides, code), changes.get(code)
            if share is None or not found:
                continue
            x.append(sign * share * 100)
            y.append(plain(name))
            texts.append(_arrow(found["points"]))
            colours.append(colour if found["significant"] else NO_DATA_TEXT)
            hover.append(
                labels["change_hover"].format(
                    who=who,
                    name=name,
                    before=percent(found["before"], labels),
                    after=percent(found["after"], labels),
                    change=change_text(found, labels),
                )
            )
        if x:
            traces.append(
                _trace(
                    labels["change"],
                    x,
                    y,
                    hover,
                    mode="text",
                    text=texts,
                    textposition="middle left" if sign < 0 else "middle right",
                    textfont={"color": colours, "size": 14},
                    cliponaxis=False,
                )
            )
    return traces


def change_cells(
    teams: Sequence[Mapping[str, Any]], codes: Sequence[str]
) -> list[list[dict[str, Any]]]:
    """Teams × dimensions of the change view: ``{"state": "change"|"none", "points",
    "significant", "employee", "client"}``; ``points`` is how much the gap moved (the
    client side's change minus the employee side's), present only where both sides
    have a change (both figures published in both campaigns)."""
    grid = []
    for team in teams:
        employee, client = _dimension_changes(team, "employee"), _dimension_changes(team, "client")
        row = []
        for code in codes:
            first, second = employee.get(code), client.get(code)
            if first and second:
                row.append(
                    {
                        "state": "change",
                        "points": second["points"] - first["points"],
                        "significant": bool(first["significant"] or second["significant"]),
                        "employee": first,
                        "client": second,
                    }
                )
            else:
                row.append({"state": "none", "points": None, "significant": False})
        grid.append(row)
    return grid


def change_heatmap_figure(
    teams: Sequence[Mapping[str, Any]],
    dimensions: Sequence[tuple[str, str]],
    labels: Mapping[str, str],
    filename: str = "changes",
) -> dict[str, Any]:
    """The heatmap's "change" view: how each team's gap moved since its previous
    campaign, in points (orange: towards the clients, blue: towards the employees), a
    dot after the number when a side's change is significant; cells without a
    comparison near white."""
    grid = change_cells(teams, [code for code, _ in dimensions])
    x, y = list(range(len(dimensions))), list(range(len(teams)))
    largest = max(
        (abs(c["points"]) for row in grid for c in row if c["points"] is not None), default=0
    )
    reach = max(20.0, math.ceil(largest / 10) * 10)

    def text(cell: Mapping[str, Any]) -> str:
        if cell["state"] != "change":
            return plain(labels["no_change_short"])
        mark = " •" if cell["significant"] else ""
        return signed(cell["points"], labels) + mark

    def hover(cell: Mapping[str, Any], team: Mapping[str, Any], name: str) -> str:
        if cell["state"] != "change":
            return plain(f"{team['name']} · {name}: {labels['no_change']}")
        return plain(
            f"{team['name']} · {name}: "
            + labels["gap_change_hover"].format(
                value=signed(cell["points"], labels),
                employees=change_text(cell["employee"], labels),
                clients=change_text(cell["client"], labels),
            )
        )

    def layer(state: str) -> dict[str, Any]:
        return {
            "z": [
                [
                    (c["points"] if state == "change" else 1) if c["state"] == state else None
                    for c in row
                ]
                for row in grid
            ],
            "text": [[text(c) if c["state"] == state else "" for c in row] for row in grid],
            "hovertext": [
                [
                    hover(c, team, name) if c["state"] == state else ""
                    for c, (_, name) in zip(row, dimensions, strict=True)
                ]
                for row, team in zip(grid, teams, strict=True)
            ],
        }

    common = {
        "type": "heatmap",
        "x": x,
        "y": y,
        "xgap": 2,
        "ygap": 2,
        "showscale": False,
        "hoverinfo": "text",
        "hoverongaps": False,
        "texttemplate": "%{text}",
    }
    data = [
        {
            **common,
            "name": plain(labels["change"]),
            **layer("change"),
            "colorscale": GAP_SCALE,
            "zmin": -reach,
            "zmax": reach,
            "zmid": 0,
        },
        {
            **common,
            "name": plain(labels["no_change"]),
            **layer("none"),
            "colorscale": [[0, NO_DATA], [1, NO_DATA]],
            "textfont": {"color": NO_DATA_TEXT},
        },
    ]
    legend = (
        (labels["change_negative"], EMPLOYEE),
        (labels["change_positive"], CLIENT),
        (labels["no_change_legend"], NO_DATA),
    )
    return heatmap_frame(data, legend, teams, dimensions, labels, filename)
