"""Plotly figure specs for the dashboards: shared constants, formatting and scaffolding.

The figures themselves are in `team.py` and `overview.py`; this package's `__init__`
gathers the public names.

(What follows applies to the whole package.)

Pure functions, no Django import: each takes SIDE / SYMMETRY / CORR dicts shaped as in
``barometer.document`` plus a ``labels`` mapping of already translated words (see
``barometer.dashboards.wording.chart_labels``), and returns a plain dict
``{"data": [...], "layout": {...}, "config": {...}}`` that ``static/js/charts.js`` hands
to ``Plotly.newPlot``. Nothing here computes a barometer figure; the few derived values
(a mean of published shares, a fitted line for the eye) only combine published figures.

Text is escaped for Plotly, which reads ``<b>``, ``<a>``… in labels as markup: a team
named by HR must never become a link or an inline style (the CSP refuses those).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeGuard

from barometer.document import NPS_CODE, unit_figures

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


def is_ok(side: Side | None) -> TypeGuard[Side]:
    return bool(side) and side is not None and side.get("status") == "ok"


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
    """The NPS interval as drawn: the document's [low, high] as computed (adjusted Wald,
    not centred on the score), kept within ±100 where the scale stops."""
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
    """One point per team among ``teams`` that the NPS–eNPS correlation pairs (see
    :func:`barometer.document.unit_figures`): with every team of the document, the
    points are exactly the correlation's units, so the chart and the r quoted with it
    speak of the same teams."""
    employees = unit_figures(teams, "employee", NPS_CODE, "nps")
    clients = unit_figures(teams, "client", NPS_CODE, "nps")
    points = []
    for team in teams:
        if team["code"] not in employees or team["code"] not in clients:
            continue
        employee, client = team["employee"], team["client"]
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


def _figure(data: list[dict[str, Any]], layout: dict[str, Any], filename: str) -> dict[str, Any]:
    return {"data": data, "layout": layout, "config": config(filename)}


def _trace(
    name: str, x: list[Any], y: list[Any], hover: list[str] | None, **extra: Any
) -> dict[str, Any]:
    """A scatter trace (``type`` in ``extra`` for others) with escaped hover texts, or
    no hover label when ``hover`` is None."""
    trace = {"type": "scatter", "name": plain(name), "x": x, "y": y, **extra}
    if hover is None:
        trace["hoverinfo"] = "skip"
    else:
        trace.update(hovertext=[plain(text) for text in hover], hoverinfo="text")
    return trace


def _marker(
    colour: str, size: int, symbol: str | Sequence[str] = "circle", **extra: Any
) -> dict[str, Any]:
    return {"symbol": symbol, "color": colour, "size": size, **extra}


def _reference(
    labels: Mapping[str, str], x: list[Any], y: list[Any], hover: list[str], **marker: Any
) -> dict[str, Any]:
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
