"""Plotly figures of the organisation overview: the scatter of teams and the heatmap."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from barometer.charts.base import (
    CLIENT,
    EMPLOYEE,
    GAP_SCALE,
    INDEX,
    NAMED_POINTS,
    NO_DATA,
    NO_DATA_TEXT,
    SUPPRESSED,
    TEXT,
    ZERO,
    Side,
    _axis,
    _figure,
    _layout,
    _marker,
    _note,
    _reference,
    _score_ticks,
    _trace,
    fitted_line,
    heatmap_cells,
    is_ok,
    number,
    plain,
    signed,
    wrap,
)
from barometer.charts.narrow import heatmap_narrow


def scatter_figure(
    points: Sequence[Mapping[str, Any]],
    correlation: Mapping[str, Any],
    organisation: Mapping[str, Side],
    labels: Mapping[str, str],
    filename: str = "teams",
) -> dict[str, Any]:
    """Teams' eNPS (x) against NPS (y), point area by responses, the least-squares line
    of the points shown, the organisation as a diamond, and the document's r written
    in the corner (see :func:`scatter_points`)."""

    def hover(name: str, enps: float, nps: float, n: int) -> str:
        return labels["team_hover"].format(
            name=name, enps=signed(enps, labels), nps=signed(nps, labels), n=n
        )

    data: list[dict[str, Any]] = []
    if points:
        largest = max(p["responses"] for p in points)
        sizes = [p["responses"] for p in points]
        data.append(
            _trace(
                labels["teams"],
                [p["enps"] for p in points],
                [p["nps"] for p in points],
                [hover(p["name"], p["enps"], p["nps"], p["responses"]) for p in points],
                # Names beside the dots while they stay readable.
                mode="markers+text" if len(points) <= NAMED_POINTS else "markers",
                text=[plain(p["name"]) for p in points],
                # Names near an edge lean inwards, so that they stay in the figure.
                textposition=[
                    "top left"
                    if p["enps"] > 60
                    else "top right"
                    if p["enps"] < -60
                    else "top center"
                    for p in points
                ],
                textfont={"size": 11, "color": INDEX},
                cliponaxis=False,
                marker={
                    "size": sizes,
                    "sizemode": "area",
                    "sizeref": 2.0 * largest / 36.0**2,
                    "sizemin": 6,
                    "color": EMPLOYEE,
                    "opacity": 0.7,
                    "line": {"color": "#ffffff", "width": 1},
                },
            )
        )
    line = fitted_line(points)
    if line is not None:
        intercept, slope = line
        ends = [min(p["enps"] for p in points), max(p["enps"] for p in points)]
        data.append(
            _trace(
                labels["fit"],
                ends,
                [intercept + slope * v for v in ends],
                None,
                mode="lines",
                line={"color": INDEX, "dash": "dash", "width": 2},
            )
        )
    employee, client = organisation.get("employee"), organisation.get("client")
    if is_ok(employee) and is_ok(client) and None not in (employee.get("nps"), client.get("nps")):
        n = employee["responses"] + client["responses"]
        data.append(
            _reference(
                labels,
                [employee["nps"]],
                [client["nps"]],
                [hover(labels["organisation"], employee["nps"], client["nps"], n)],
                size=14,
            )
        )
    notes = [
        _note(
            correlation_summary(correlation, labels),
            TEXT,
            x=0,
            y=1,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="bottom",
        )
    ]
    if not points:
        notes.append(_note(labels["no_points"], NO_DATA_TEXT, x=0, y=0))
    layout = _layout(
        labels,
        440,
        showlegend=True,
        legend={"orientation": "h", "y": -0.16, "x": 0},
        xaxis=_axis(
            range=[-105, 105], title={"text": plain(labels["enps"])}, **_score_ticks(labels)
        ),
        yaxis=_axis(
            range=[-105, 105], title={"text": plain(labels["nps"])}, **_score_ticks(labels)
        ),
        annotations=notes,
        margin={"l": 8, "r": 16, "t": 32, "b": 8, "pad": 4},
    )
    figure = _figure(data, layout, filename)
    # On a phone the sentence above the plot wraps, and takes the room it needs.
    summary = correlation_summary(correlation, labels)
    narrow_notes = [{**notes[0], "text": wrap(summary, 44)}, *notes[1:]]
    lines = wrap(summary, 44).count("<br>") + 1
    figure["narrow"] = {
        "layout": {
            "annotations": narrow_notes,
            "margin": {**layout["margin"], "t": 16 + 16 * lines},
        }
    }
    return figure


def correlation_summary(correlation: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """One line for a CORR: "r = 0.41 (95 % interval 0.12 to 0.64) · 42 teams ·
    exploratory", or the reason there is no figure."""
    teams = (correlation or {}).get("teams", 0)
    measured = (correlation or {}).get("label") not in (None, "insufficient")
    if measured and correlation.get("pearson") is None:
        return labels["r_flat"].format(teams=teams)
    if not correlation or correlation.get("pearson") is None:
        form = "r_none_0" if teams == 0 else "r_none_1" if teams == 1 else "r_none_n"
        return labels[form].format(teams=teams)
    low, high = correlation.get("pearson_ci95") or (None, None)
    return labels["r_line"].format(
        r=number(correlation["pearson"], labels, 2),
        low=number(low, labels, 2),
        high=number(high, labels, 2),
        teams=correlation["teams"],
        label=labels.get("label_" + str(correlation.get("label")), correlation.get("label")),
    )


def heatmap_figure(
    teams: Sequence[Mapping[str, Any]],
    dimensions: Sequence[tuple[str, str]],
    labels: Mapping[str, str],
    filename: str = "gaps",
) -> dict[str, Any]:
    """Teams × dimensions coloured by the gap (blue: employees more favourable, orange:
    clients more favourable); hidden cells dark grey with "hidden" written in them,
    cells without data near white with "no data", each with its legend entry.

    Three stacked heatmaps, one per state, each empty where another state holds; the
    gaps between cells keep plotly.js off a drawing path that sets an inline style."""
    grid = heatmap_cells(teams, [code for code, _ in dimensions])
    x, y = list(range(len(dimensions))), list(range(len(teams)))
    largest = max((abs(c["gap"]) for row in grid for c in row if c["gap"] is not None), default=0)
    reach = max(20.0, math.ceil(largest / 10) * 10)

    def layer(state: str, value: Any, text: str | None = None) -> dict[str, list[Any]]:
        def cell_value(cell: Mapping[str, Any]) -> Any:
            return (cell["gap"] if value is None else value) if cell["state"] == state else None

        def cell_text(cell: Mapping[str, Any]) -> str:
            # Plotly writes a trace's text even over the cells it leaves empty.
            if cell["state"] != state:
                return ""
            return signed(cell["gap"], labels) if text is None else plain(text)

        return {
            "z": [[cell_value(c) for c in row] for row in grid],
            "text": [[cell_text(c) for c in row] for row in grid],
            # Each cell's hover text in the one layer that draws it: the others leave
            # it empty and do not hover there (hoverongaps), which keeps the spec small.
            "hovertext": [
                [
                    hover(cell, team, name) if cell["state"] == state else ""
                    for cell, (_, name) in zip(row, dimensions, strict=True)
                ]
                for row, team in zip(grid, teams, strict=True)
            ],
        }

    def hover(cell: Mapping[str, Any], team: Mapping[str, Any], name: str) -> str:
        what = {
            "gap": labels["gap_hover"].format(value=signed(cell["gap"], labels)),
            "suppressed": labels["suppressed"],
            "no_data": labels["no_data"],
        }[cell["state"]]
        return plain(f"{team['name']} · {name}: {what}")

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
        "textfont": {"size": 11},
    }
    data = [
        {
            **common,
            "name": plain(labels["gap"]),
            **layer("gap", None),
            "colorscale": GAP_SCALE,
            "zmin": -reach,
            "zmax": reach,
            "zmid": 0,
        },
        {
            **common,
            "name": plain(labels["suppressed_short"]),
            **layer("suppressed", 1, labels["suppressed_short"]),
            "colorscale": [[0, SUPPRESSED], [1, SUPPRESSED]],
            "textfont": {"color": "#ffffff", "size": 11},
        },
        {
            **common,
            "name": plain(labels["no_data"]),
            **layer("no_data", 1, labels["no_data_short"]),
            "colorscale": [[0, NO_DATA], [1, NO_DATA]],
            "textfont": {"color": NO_DATA_TEXT, "size": 11},
        },
    ]
    legend = (
        (labels["gap_negative"], EMPLOYEE),
        (labels["gap_positive"], CLIENT),
        (labels["suppressed_legend"], SUPPRESSED),
        (labels["no_data_legend"], NO_DATA),
    )
    return heatmap_frame(data, legend, teams, dimensions, labels, filename)


def heatmap_frame(
    data: list[dict[str, Any]],
    legend: Sequence[tuple[str, str]],
    teams: Sequence[Mapping[str, Any]],
    dimensions: Sequence[tuple[str, str]],
    labels: Mapping[str, str],
    filename: str,
) -> dict[str, Any]:
    """A heatmap's figure around its traces: the legend (heatmaps have no legend
    entries, so square markers without coordinates stand in), the axes naming the
    dimensions and the teams, and the figure's narrow form for phones."""
    x, y = list(range(len(dimensions))), list(range(len(teams)))
    data = data + [
        _trace(
            name,
            [None],
            [None],
            None,
            mode="markers",
            marker=_marker(colour, 14, "square", line={"color": ZERO, "width": 1}),
        )
        for name, colour in legend
    ]
    layout = _layout(
        labels,
        150 + 36 * len(teams),
        showlegend=True,
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0},
        xaxis=_axis(
            tickvals=x,
            ticktext=[wrap(name, 14) for _, name in dimensions],
            side="top",
            showgrid=False,
            zeroline=False,
            range=[-0.5, len(x) - 0.5],
        ),
        yaxis=_axis(
            tickvals=y,
            ticktext=[plain(team["name"]) for team in teams],
            autorange="reversed",
            showgrid=False,
            zeroline=False,
        ),
        margin={"l": 8, "r": 8, "t": 8, "b": 8, "pad": 4},
    )
    figure = _figure(data, layout, filename)
    figure["narrow"] = heatmap_narrow(dimensions, layout)
    return figure
