"""Plotly figures of the team dashboard: NPS, the mirror, perception, the trend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from barometer.charts.base import (
    CLIENT,
    EMPLOYEE,
    INDEX,
    NO_DATA_TEXT,
    TEXT,
    ZERO,
    Side,
    _axis,
    _figure,
    _layout,
    _marker,
    _note,
    _percent_ticks,
    _reference,
    _score_ticks,
    _trace,
    favourable,
    is_ok,
    nps_interval,
    number,
    percent,
    plain,
    signed,
    unavailable,
    wrap,
)
from barometer.charts.narrow import mirror_stacked


def nps_figure(
    sides: Mapping[str, Side],
    organisation: Mapping[str, Side],
    labels: Mapping[str, str],
    filename: str = "nps",
) -> dict[str, Any]:
    """Client NPS and employee eNPS with their 95 % intervals, the organisation's as
    diamonds; a side without a score gets a line saying why (hidden / no data)."""
    rows = (("client", labels["nps"], CLIENT), ("employee", labels["enps"], EMPLOYEE))
    data, notes, narrow_notes = [], [], []
    for position, (side, name, colour) in enumerate(rows):
        figures = sides.get(side)
        if not (is_ok(figures) and figures.get("nps") is not None):
            text, note_colour = unavailable(figures, labels)
            notes.append(_note(text, note_colour, 70, x=0, y=position, xref="x", yref="y"))
            # A phone's plot is a third as wide: the same sentence on shorter lines.
            narrow_notes.append(_note(text, note_colour, 30, x=0, y=position, xref="x", yref="y"))
            continue  # without the team's score, a reference has nothing to compare to
        score = figures["nps"]
        low, high = nps_interval(figures)
        hover = labels["score_hover"].format(
            name=name,
            value=signed(score, labels),
            low=signed(low, labels),
            high=signed(high, labels),
            n=figures["responses"],
        )
        error = {
            "type": "data",
            "symmetric": False,
            "array": [high - score],
            "arrayminus": [score - low],
            "color": colour,
            "thickness": 2,
            "width": 8,
        }
        data.append(
            _trace(
                name,
                [score],
                [position],
                [hover],
                mode="markers",
                marker=_marker(colour, 14),
                error_x=error,
            )
        )
        org = organisation.get(side)
        if is_ok(org) and org.get("nps") is not None:
            hover = f"{labels['organisation']} · {name}: {signed(org['nps'], labels)}"
            data.append(_reference(labels, [org["nps"]], [position], [hover]))
    layout = _layout(
        labels,
        170,
        xaxis=_axis(range=[-105, 105], **_score_ticks(labels)),
        yaxis=_axis(
            tickvals=[0, 1],
            ticktext=[plain(name) for _, name, _ in rows],
            range=[1.6, -0.6],
            showgrid=False,
            zeroline=False,
        ),
        annotations=notes,
        margin={"l": 8, "r": 16, "t": 8, "b": 32, "pad": 6},
    )
    figure = _figure(data, layout, filename)
    if narrow_notes:
        figure["narrow"] = {"layout": {"annotations": narrow_notes, "height": 230}}
    return figure


def mirror_figure(
    sides: Mapping[str, Side],
    symmetry: Mapping[str, Any],
    organisation: Mapping[str, Side],
    dimensions: Sequence[tuple[str, str]],
    labels: Mapping[str, str],
    filename: str = "mirror",
) -> dict[str, Any]:
    """The mirror of the dimensions: employees' favourable share to the left, clients' to
    the right, the gap (client − employee, in points) written on the right of each row,
    the organisation's shares as ticks. A hidden side leaves its half empty, saying why."""
    names = [plain(name) for _, name in dimensions]
    gaps = (symmetry or {}).get("gaps") or {}
    data: list[dict[str, Any]] = []
    notes = []
    for side, sign, colour in (("employee", -1, EMPLOYEE), ("client", 1, CLIENT)):
        figures = sides.get(side)
        who = labels["employees"] if side == "employee" else labels["clients"]
        notes.append(
            _note(who, colour, x=sign * 50, y=1.0, xref="x", yref="paper", yanchor="bottom")
        )
        if not is_ok(figures):
            text, note_colour = unavailable(figures, labels)
            notes.append(_note(text, note_colour, 36, x=sign * 50, y=0.5, xref="x", yref="paper"))
            continue
        shares = [favourable(figures, code) for code, _ in dimensions]
        counts = [
            ((figures.get("dimensions") or {}).get(code) or {}).get("n") for code, _ in dimensions
        ]
        hover = [
            labels["share_hover"].format(who=who, name=name, value=percent(s, labels), n=n)
            for (_, name), s, n in zip(dimensions, shares, counts, strict=True)
        ]
        data.append(
            _trace(
                who,
                [None if s is None else sign * s * 100 for s in shares],
                names,
                hover,
                type="bar",
                orientation="h",
                marker={"color": colour},
                text=["" if s is None else percent(s, labels) for s in shares],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": "#ffffff"},
            )
        )
        missing = [name for name, s in zip(names, shares, strict=True) if s is None]
        if missing:
            data.append(
                _trace(
                    labels["too_few"],
                    [sign * 8] * len(missing),
                    missing,
                    [labels["too_few"]] * len(missing),
                    mode="text",
                    text=[plain(labels["suppressed_short"])] * len(missing),
                    textfont={"color": NO_DATA_TEXT},
                )
            )
        org_shares = [favourable(organisation.get(side), code) for code, _ in dimensions]
        if any(s is not None for s in org_shares):
            data.append(
                _reference(
                    labels,
                    [None if s is None else sign * s * 100 for s in org_shares],
                    names,
                    [f"{labels['organisation']} · {who}: {percent(s, labels)}" for s in org_shares],
                    symbol="line-ns-open",
                    size=18,
                )
            )
    notes.append(
        _note(
            labels["gap"],
            TEXT,
            x=1.0,
            y=1.0,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="bottom",
        )
    )
    for (code, _), name in zip(dimensions, names, strict=True):
        gap = gaps.get(code)
        colour = TEXT if not gap else (CLIENT if gap > 0 else EMPLOYEE)
        notes.append(
            _note(
                signed(gap, labels), colour, x=1.0, y=name, xref="paper", yref="y", xanchor="left"
            )
        )
    if not data:
        # Both halves hidden: an axis of categories exists only through data, and the
        # gap column's notes are placed on its rows (without them plotly has no place).
        data.append(
            {
                "type": "scatter",
                "x": [0] * len(names),
                "y": names,
                "mode": "markers",
                "marker": {"opacity": 0},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    layout = _layout(
        labels,
        110 + 34 * len(dimensions),
        barmode="overlay",
        bargap=0.3,
        xaxis=_axis(range=[-104, 104], **_percent_ticks(labels, mirrored=True)),
        yaxis=_axis(
            autorange="reversed", showgrid=False, categoryorder="array", categoryarray=names
        ),
        annotations=notes,
        margin={"l": 8, "r": 64, "t": 36, "b": 36, "pad": 6},
    )
    figure = _figure(data, layout, filename)
    figure["narrow"] = mirror_stacked(sides, symmetry, organisation, dimensions, labels)
    return figure


def perception_figure(
    rows: Sequence[Mapping[str, Any]],
    labels: Mapping[str, str],
    filename: str = "perception",
) -> dict[str, Any]:
    """Perception against reality as a dumbbell per row (see :func:`perception_rows`):
    an open circle for what the other side thinks, a filled one for what the side says,
    each in the colour of who answered."""
    titles = [labels[row["key"]] for row in rows]
    shapes, notes = [], []
    points: dict[str, list[tuple[Any, ...]]] = {"employee": [], "client": []}
    for position, row in enumerate(rows):
        if row["perceived"] is not None and row["said"] is not None:
            shapes.append(
                {
                    "type": "line",
                    "x0": row["perceived"] * 100,
                    "x1": row["said"] * 100,
                    "y0": position,
                    "y1": position,
                    "layer": "below",
                    "line": {"color": ZERO, "width": 3},
                }
            )
        if row["perceived"] is None and row["said"] is None:
            notes.append(_note(labels["no_figure"], NO_DATA_TEXT, x=50, y=position))
        for share, side, verb, symbol, where in (
            (row["perceived"], row["perceived_by"], "think", "circle-open", "top"),
            (row["said"], row["said_by"], "say", "circle", "bottom"),
        ):
            if share is not None:
                # Towards the middle near an edge, so that the words stay in the figure.
                where += " right" if share < 0.35 else " left" if share > 0.65 else " center"
                text = labels[f"{side}_{verb}"].format(value=percent(share, labels))
                points[side].append((share * 100, position, symbol, text, where))
    data = []
    for side, colour in (("employee", EMPLOYEE), ("client", CLIENT)):
        if not points[side]:
            continue
        x, y, symbols, texts, wheres = (list(column) for column in zip(*points[side], strict=True))
        data.append(
            _trace(
                labels["employees"] if side == "employee" else labels["clients"],
                x,
                y,
                [f"{titles[row]}: {text}" for row, text in zip(y, texts, strict=True)],
                mode="markers+text",
                text=[plain(text) for text in texts],
                textposition=wheres,
                textfont={"color": colour},
                cliponaxis=False,
                marker=_marker(colour, 16, symbols, line={"width": 3, "color": colour}),
            )
        )
    layout = _layout(
        labels,
        230,
        xaxis=_axis(range=[-4, 104], **_percent_ticks(labels)),
        yaxis=_axis(
            tickvals=list(range(len(rows))),
            ticktext=[wrap(t, 24) for t in titles],
            range=[len(rows) - 0.4, -0.6],
            showgrid=False,
            zeroline=False,
        ),
        shapes=shapes,
        annotations=notes,
        margin={"l": 8, "r": 16, "t": 8, "b": 32, "pad": 6},
    )
    figure = _figure(data, layout, filename)
    # On a phone each row's title goes above it, leaving the plot the whole width.
    titles_above = [
        _note(title, TEXT, x=0, y=position - 0.5, xref="paper", yref="y", xanchor="left")
        for position, title in enumerate(titles)
    ]
    figure["narrow"] = {
        "layout": {
            "height": 280,
            "yaxis": {**layout["yaxis"], "showticklabels": False, "range": [len(rows) - 0.4, -0.8]},
            "annotations": notes + titles_above,
        }
    }
    return figure


def trend_series(
    points: Sequence[Mapping[str, Any]], labels: Mapping[str, str]
) -> list[tuple[str, str, list[float | None], str]]:
    """The trend's lines, for the dashboard's chart and the PDF's: (name, colour, one
    value per campaign or None where hidden or missing, kind: "team", "index" or
    "organisation")."""

    def score(entry: Mapping[str, Any] | None, side: str) -> float | None:
        figures = (entry or {}).get(side)
        return figures.get("nps") if is_ok(figures) else None

    team = [p["team"] for p in points]
    org = [p["organisation"] for p in points]
    return [
        (labels["nps"], CLIENT, [score(e, "client") for e in team], "team"),
        (labels["enps"], EMPLOYEE, [score(e, "employee") for e in team], "team"),
        (
            labels["index"],
            INDEX,
            [((e or {}).get("symmetry") or {}).get("index") for e in team],
            "index",
        ),
        (labels["org_nps"], CLIENT, [score(e, "client") for e in org], "organisation"),
        (labels["org_enps"], EMPLOYEE, [score(e, "employee") for e in org], "organisation"),
    ]


def trend_figure(
    points: Sequence[Mapping[str, Any]],
    labels: Mapping[str, str],
    filename: str = "trend",
) -> dict[str, Any]:
    """NPS, eNPS and the symmetry index over the campaigns, oldest first.

    ``points``: ``{"label", "team": {employee, client, symmetry} or None,
    "organisation": {employee, client}}`` per campaign; a hidden or missing figure
    breaks its line. The organisation's NPS and eNPS are dotted reference lines.
    """
    x = list(range(len(points)))
    styles = {"team": ("solid", 3), "index": ("dash", 2), "organisation": ("dot", 1.5)}
    series = [
        (name, colour, values, *styles[kind])
        for name, colour, values, kind in trend_series(points, labels)
    ]
    data = [
        _trace(
            name,
            x,
            values,
            [
                f"{p['label']} · {name}: {number(v, labels)}"
                for p, v in zip(points, values, strict=True)
            ],
            mode="lines+markers",
            connectgaps=False,
            line={"color": colour, "dash": dash, "width": width},
            marker=_marker(colour, 9 if width > 2 else 5),
        )
        for name, colour, values, dash, width in series
    ]
    layout = _layout(
        labels,
        340,
        showlegend=True,
        legend={"orientation": "h", "y": -0.18, "x": 0},
        xaxis=_axis(
            tickvals=x,
            ticktext=[wrap(p["label"], 18) for p in points],
            range=[-0.5, len(points) - 0.5],
            showgrid=False,
            zeroline=False,
        ),
        yaxis=_axis(range=[-105, 105], **_score_ticks(labels)),
        margin={"l": 8, "r": 16, "t": 8, "b": 8, "pad": 4},
    )
    return _figure(data, layout, filename)
