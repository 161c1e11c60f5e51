"""Plotly figure specs for the dashboards, built from pieces of a results document.

Pure functions, no Django import: each takes SIDE / SYMMETRY / CORR dicts shaped as in
``barometer.document`` plus a ``labels`` mapping of already translated words (see
``barometer.dashboards.chart_labels``), and returns a plain dict
``{"data": [...], "layout": {...}, "config": {...}}`` that ``static/js/charts.js`` hands
to ``Plotly.newPlot``. Nothing here computes a barometer figure; the few derived values
(a mean of published shares, a fitted line for the eye) only combine published figures.

Text is escaped for Plotly, which reads ``<b>``, ``<a>``… in labels as markup: a team
named by HR must never become a link or an inline style (the CSP refuses those).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

EMPLOYEE = "#1f5fa8"  # the employees' colour everywhere (white text reads on it)
CLIENT = "#b8510d"  # the clients' colour
ORGANISATION = "#212529"
INDEX = "#495057"
SUPPRESSED = "#6c757d"  # hidden to protect anonymity: dark grey, white text
NO_DATA = "#f1f3f5"  # nobody answered: near white, grey text
NO_DATA_TEXT = "#6c757d"
GRID = "#e9ecef"
ZERO = "#adb5bd"
TEXT = "#212529"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
GAP_SCALE = [[0.0, EMPLOYEE], [0.5, "#f8f9fa"], [1.0, CLIENT]]
NAMED_POINTS = 15  # up to this many teams, the scatter writes their names

Side = Mapping[str, Any]


# --- formatting --------------------------------------------------------------


def plain(text: Any) -> str:
    """Text as Plotly shows it literally: its pseudo-HTML tags escaped."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def number(value: float | None, labels: Mapping[str, str], digits: int = 0) -> str:
    """A rounded number with the language's decimal mark and a real minus sign."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "−").replace(".", labels["decimal"])


def signed(value: float | None, labels: Mapping[str, str], digits: int = 0) -> str:
    """Like :func:`number`, with a plus sign on positive values (scores and gaps)."""
    text = number(value, labels, digits)
    return "+" + text if value is not None and round(value, digits) > 0 else text


def percent(share: float | None, labels: Mapping[str, str]) -> str:
    """A share in 0…1 as a whole percentage ("65 %" in French, "65%" in English)."""
    if share is None:
        return "—"
    return labels["percent"].format(value=number(share * 100, labels))


def wrap(text: str, width: int = 16) -> str:
    """Break a long axis label on spaces with Plotly's <br> (escaped text in between)."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(plain(part) for part in lines)


# --- document helpers --------------------------------------------------------


def is_ok(side: Side | None) -> bool:
    return bool(side) and side.get("status") == "ok"


def favourable(side: Side | None, code: str) -> float | None:
    """A published favourable share of a side, or None (side hidden, figure left out)."""
    if not is_ok(side):
        return None
    return ((side.get("dimensions") or {}).get(code) or {}).get("favourable")


def unavailable(side: Side | None, labels: Mapping[str, str]) -> tuple[str, str]:
    """Why a side shows no figure, and the colour that says so: hidden, no data, too few."""
    status = (side or {}).get("status", "no_data")
    if status == "suppressed":
        return labels["suppressed"], SUPPRESSED
    if status == "no_data":
        return labels["no_data"], NO_DATA_TEXT
    return labels["too_few"], NO_DATA_TEXT


def nps_interval(side: Side) -> tuple[float, float]:
    """The NPS interval as shown: the normal approximation can overshoot ±100, where the
    scale stops."""
    low, high = side["nps_ci95"]
    return max(low, -100.0), min(high, 100.0)


def favourable_average(side: Side | None, codes: Sequence[str]) -> tuple[float | None, int]:
    """Mean of the side's published favourable shares over ``codes``, and how many were
    used: ``(None, 0)`` when none is published. Only published figures enter it, so it
    reveals nothing the page does not already show."""
    values = [v for v in (favourable(side, code) for code in codes) if v is not None]
    if not values:
        return None, 0
    return sum(values) / len(values), len(values)


def perception_rows(sides: Mapping[str, Side], mirrored: Sequence[str]) -> list[dict[str, Any]]:
    """Perception against reality, both ways.

    ``clients_served``: how well employees think their clients are served (employee
    ``perceived_other``) against what clients say (their favourable share averaged over
    the mirrored dimensions); ``employees_treated``: the reverse. Each row gives
    ``perceived``, ``perceived_by``, ``said``, ``said_by``, ``said_over`` (dimensions in
    the average) and ``difference`` (perceived − said, in points; None when one is
    missing).
    """
    rows = []
    for key, thinker, speaker in (
        ("clients_served", "employee", "client"),
        ("employees_treated", "client", "employee"),
    ):
        perceived = favourable(sides.get(thinker), "perceived_other")
        said, over = favourable_average(sides.get(speaker), mirrored)
        difference = None
        if perceived is not None and said is not None:
            difference = (perceived - said) * 100
        rows.append(
            {
                "key": key,
                "perceived": perceived,
                "perceived_by": thinker,
                "said": said,
                "said_by": speaker,
                "said_over": over,
                "difference": difference,
            }
        )
    return rows


def leaf_teams(teams: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The teams no listed team has as parent: their figures are their own answers."""
    parents = {team.get("parent") for team in teams}
    return [team for team in teams if team["code"] not in parents]


def scatter_points(teams: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One point per leaf team whose NPS and eNPS are both published."""
    points = []
    for team in leaf_teams(teams):
        employee, client = team["employee"], team["client"]
        if not (is_ok(employee) and is_ok(client)):
            continue
        if employee.get("nps") is None or client.get("nps") is None:
            continue
        points.append(
            {
                "code": team["code"],
                "name": team["name"],
                "enps": employee["nps"],
                "nps": client["nps"],
                "responses": employee["responses"] + client["responses"],
            }
        )
    return points


def fitted_line(points: Sequence[Mapping[str, Any]]) -> tuple[float, float] | None:
    """Least-squares NPS = a + b·eNPS through the points shown, as ``(a, b)``; None with
    fewer than two points or no spread in eNPS. A guide for the eye: the correlation
    quoted next to it is the document's, over the organisation's own-figure units."""
    if len(points) < 2:
        return None
    xs = [p["enps"] for p in points]
    ys = [p["nps"] for p in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return mean_y - slope * mean_x, slope


def heatmap_cells(
    teams: Sequence[Mapping[str, Any]], codes: Sequence[str]
) -> list[list[dict[str, Any]]]:
    """Teams × dimensions: each cell ``{"state": "gap"|"suppressed"|"no_data", "gap"}``.

    ``suppressed``: a side is hidden, or a figure rests on fewer than k answers;
    ``no_data``: a side has no answers, or the dimension was not asked.
    """
    grid = []
    for team in teams:
        employee, client = team["employee"], team["client"]
        gaps = (team.get("symmetry") or {}).get("gaps") or {}
        row = []
        for code in codes:
            statuses = {employee.get("status"), client.get("status")}
            gap = gaps.get(code)
            if "suppressed" in statuses:
                state = "suppressed"
            elif "no_data" in statuses:
                state = "no_data"
            elif gap is not None:
                state = "gap"
            elif all(code not in (side.get("dimensions") or {}) for side in (employee, client)):
                state = "no_data"
            else:
                state = "suppressed"
            row.append({"state": state, "gap": gap if state == "gap" else None})
        grid.append(row)
    return grid


# --- figure scaffolding ------------------------------------------------------


def config(filename: str) -> dict[str, Any]:
    """Plotly config: no logo, resizes with the page, PNG download named after the page."""
    return {
        "displaylogo": False,
        "displayModeBar": True,
        "responsive": True,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }


def _axis(**extra: Any) -> dict[str, Any]:
    axis = {
        "automargin": True,
        "fixedrange": True,
        "gridcolor": GRID,
        "zerolinecolor": ZERO,
        "zerolinewidth": 1.5,
        "linecolor": GRID,
    }
    axis.update(extra)
    return axis


def _layout(labels: Mapping[str, str], height: int, **extra: Any) -> dict[str, Any]:
    layout = {
        "height": height,
        "autosize": True,
        "margin": {"l": 8, "r": 8, "t": 32, "b": 40, "pad": 4},
        "font": {"family": FONT, "size": 13, "color": TEXT},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "separators": labels["separators"],
        "hoverlabel": {"font": {"family": FONT}},
        "dragmode": False,
        "showlegend": False,
    }
    layout.update(extra)
    return layout


def _figure(data: list, layout: dict, filename: str) -> dict[str, Any]:
    return {"data": data, "layout": layout, "config": config(filename)}


def _trace(name: str, x: list, y: list, hover: list | None, **extra: Any) -> dict[str, Any]:
    """A scatter trace (``type`` in ``extra`` for others) with escaped hover texts, or
    no hover label when ``hover`` is None."""
    trace = {"type": "scatter", "name": plain(name), "x": x, "y": y, **extra}
    if hover is None:
        trace["hoverinfo"] = "skip"
    else:
        trace.update(hovertext=[plain(text) for text in hover], hoverinfo="text")
    return trace


def _marker(colour: str, size: int, symbol: str = "circle", **extra: Any) -> dict[str, Any]:
    return {"symbol": symbol, "color": colour, "size": size, **extra}


def _reference(labels: Mapping[str, str], x: list, y: list, hover: list, **marker: Any) -> dict:
    """The organisation's figures, drawn as open black marks."""
    style = {"symbol": "diamond-open", "size": 12, **marker}
    return _trace(
        labels["organisation"],
        x,
        y,
        hover,
        mode="markers",
        marker=_marker(ORGANISATION, line={"width": 2}, **style),
    )


def _note(text: str, colour: str, width: int = 0, **where: Any) -> dict[str, Any]:
    """A text annotation; ``width`` > 0 wraps it on lines of about that many characters."""
    body = wrap(text, width) if width else plain(text)
    return {"text": body, "showarrow": False, "font": {"color": colour}, **where}


def _score_ticks(labels: Mapping[str, str]) -> dict[str, Any]:
    values = [-100, -50, 0, 50, 100]
    return {"tickvals": values, "ticktext": [signed(v, labels) for v in values]}


def _percent_ticks(labels: Mapping[str, str], *, mirrored: bool = False) -> dict[str, Any]:
    values = [-100, -50, 0, 50, 100] if mirrored else [0, 25, 50, 75, 100]
    return {"tickvals": values, "ticktext": [percent(abs(v) / 100, labels) for v in values]}


# --- figures ------------------------------------------------------------------


def nps_figure(
    sides: Mapping[str, Side],
    organisation: Mapping[str, Side],
    labels: Mapping[str, str],
    filename: str = "nps",
) -> dict[str, Any]:
    """Client NPS and employee eNPS with their 95 % intervals, the organisation's as
    diamonds; a side without a score gets a line saying why (hidden / no data)."""
    rows = (("client", labels["nps"], CLIENT), ("employee", labels["enps"], EMPLOYEE))
    data, notes = [], []
    for position, (side, name, colour) in enumerate(rows):
        figures = sides.get(side)
        if not (is_ok(figures) and figures.get("nps") is not None):
            text, note_colour = unavailable(figures, labels)
            notes.append(_note(text, note_colour, 70, x=0, y=position, xref="x", yref="y"))
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
    return _figure(data, layout, filename)


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
                    text=["—"] * len(missing),
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
    return _figure(data, layout, filename)


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
    points: dict[str, list[tuple]] = {"employee": [], "client": []}
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
            (row["perceived"], row["perceived_by"], "think", "circle-open", "top center"),
            (row["said"], row["said_by"], "say", "circle", "bottom center"),
        ):
            if share is not None:
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
    return _figure(data, layout, filename)


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

    def score(entry: Mapping[str, Any] | None, side: str) -> float | None:
        figures = (entry or {}).get(side)
        return figures.get("nps") if is_ok(figures) else None

    team = [p["team"] for p in points]
    org = [p["organisation"] for p in points]
    series = (
        (labels["nps"], CLIENT, [score(e, "client") for e in team], "solid", 3),
        (labels["enps"], EMPLOYEE, [score(e, "employee") for e in team], "solid", 3),
        (
            labels["index"],
            INDEX,
            [((e or {}).get("symmetry") or {}).get("index") for e in team],
            "dash",
            2,
        ),
        (labels["org_nps"], CLIENT, [score(e, "client") for e in org], "dot", 1.5),
        (labels["org_enps"], EMPLOYEE, [score(e, "employee") for e in org], "dot", 1.5),
    )
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
                textposition="top center",
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
    return _figure(data, layout, filename)


def correlation_summary(correlation: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """One line for a CORR: "r = 0.41 (95 % interval 0.12 to 0.64) · 42 teams ·
    exploratory", or the reason there is no figure."""
    if not correlation or correlation.get("pearson") is None:
        return labels["r_none"].format(teams=(correlation or {}).get("teams", 0))
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

    def layer(state: str, value: Any, text: str | None = None) -> dict[str, list]:
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
        "texttemplate": "%{text}",
        "hovertext": [
            [hover(cell, team, name) for cell, (_, name) in zip(row, dimensions, strict=True)]
            for row, team in zip(grid, teams, strict=True)
        ],
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
            "textfont": {"color": "#ffffff"},
        },
        {
            **common,
            "name": plain(labels["no_data"]),
            **layer("no_data", 1, labels["no_data_short"]),
            "colorscale": [[0, NO_DATA], [1, NO_DATA]],
            "textfont": {"color": NO_DATA_TEXT},
        },
    ]
    # Heatmaps have no legend entries: square markers without coordinates stand in.
    data += [
        _trace(
            name,
            [None],
            [None],
            None,
            mode="markers",
            marker=_marker(colour, 14, "square", line={"color": ZERO, "width": 1}),
        )
        for name, colour in (
            (labels["gap_negative"], EMPLOYEE),
            (labels["gap_positive"], CLIENT),
            (labels["suppressed_legend"], SUPPRESSED),
            (labels["no_data_legend"], NO_DATA),
        )
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
    return _figure(data, layout, filename)
