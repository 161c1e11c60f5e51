"""The report's charts as plain SVG: what the dashboards draw with plotly.js, drawn here
without a browser, from the same figures and with the same helpers (``barometer.charts``).

Pure functions, no Django import: each takes the SIDE / SYMMETRY dicts of the results
document and the translated ``labels`` of ``barometer.dashboards.wording.chart_labels``,
and returns one ``<svg>`` element as text, 680 units wide (the width of an A4 page's
text at 96 dpi: the report's stylesheet scales it to the column). Every text is escaped.
Only published figures are drawn; a hidden side or figure is written as such, in the
dashboards' words. WeasyPrint's SVG renderer does not read ``dominant-baseline``, so
texts are placed by their baseline.

The overview's charts (the scatter of teams, the heatmap) are in ``svg_overview``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from barometer.charts import (
    CLIENT,
    EMPLOYEE,
    GRID,
    INDEX,
    NO_DATA_TEXT,
    ORGANISATION,
    TEXT,
    ZERO,
    Side,
    favourable,
    is_ok,
    nps_interval,
    percent,
    signed,
    trend_series,
    unavailable,
)

WIDTH = 680
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
SIZE = 10  # the charts' body text, in SVG units (the page's 7.5 pt)


# --- drawing ---------------------------------------------------------------------


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def document(height: float, parts: Sequence[str], label: str) -> str:
    """One ``<svg>`` of ``height`` units, named for screen readers by ``label``."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" role="img" aria-label="{esc(label)}" '
        f'font-family="{FONT}" font-size="{SIZE}">' + "".join(parts) + "</svg>"
    )


def text(
    x: float,
    y: float,
    body: Any,
    *,
    size: float = SIZE,
    anchor: str = "start",
    fill: str = TEXT,
    bold: bool = False,
    rotate: float = 0,
) -> str:
    """A text whose middle (not its baseline) is at ``y``."""
    weight = ' font-weight="bold"' if bold else ""
    turn = f' transform="rotate({rotate:g} {x:.1f} {y:.1f})"' if rotate else ""
    return (
        f'<text x="{x:.1f}" y="{y + size * 0.35:.1f}" font-size="{size:g}" '
        f'text-anchor="{anchor}" fill="{fill}"{weight}{turn}>{esc(body)}</text>'
    )


def lines(
    x: float, y: float, rows: Sequence[str], *, size: float = SIZE, gap: float = 1.2, **style: Any
) -> str:
    """Several lines of text centred on ``y`` as a block."""
    top = y - (len(rows) - 1) * size * gap / 2
    return "".join(
        text(x, top + i * size * gap, row, size=size, **style) for i, row in enumerate(rows)
    )


def rect(x: float, y: float, w: float, h: float, fill: str, stroke: str = "none") -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
        f'fill="{fill}" stroke="{stroke}"/>'
    )


def line(
    x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1, dash: str = ""
) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
        f'stroke-width="{width:g}"{dashes}/>'
    )


def circle(x: float, y: float, r: float, colour: str, *, filled: bool = True) -> str:
    fill = colour if filled else "#ffffff"
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}" stroke="{colour}" '
        f'stroke-width="{1 if filled else 2.5}"/>'
    )


def diamond(x: float, y: float, r: float = 6) -> str:
    """The organisation's mark: an open black diamond, as on the dashboards."""
    points = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
    return f'<polygon points="{points}" fill="none" stroke="{ORGANISATION}" stroke-width="2"/>'


def polyline(points: Sequence[tuple[float, float]], colour: str, width: float, dash: str) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return (
        f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width:g}"'
        f"{dashes}/>"
    )


def wrapped(body: Any, width: int) -> list[str]:
    """``body`` broken on spaces into lines of about ``width`` characters."""
    rows: list[str] = []
    for word in str(body).split():
        if rows and len(rows[-1]) + 1 + len(word) <= width:
            rows[-1] += " " + word
        else:
            rows.append(word)
    return rows or [""]


def clipped(body: Any, width: int) -> str:
    """``body`` cut to ``width`` characters, an ellipsis saying so (the tables beside the
    charts give the whole name)."""
    words = str(body)
    return words if len(words) <= width else words[: width - 1].rstrip() + "…"


def scale(low: float, high: float, start: float, end: float) -> Callable[[float], float]:
    return lambda value: start + (value - low) / (high - low) * (end - start)


def ticks(
    x: Callable[[float], float],
    values: Sequence[float],
    words: Sequence[str],
    top: float,
    bottom: float,
) -> list[str]:
    """Vertical grid lines at ``values`` and their words under the plot."""
    parts = []
    for value, word in zip(values, words, strict=True):
        colour = ZERO if value == 0 else GRID
        parts.append(line(x(value), top, x(value), bottom, colour, 1.5 if value == 0 else 1))
        parts.append(text(x(value), bottom + 10, word, size=9, anchor="middle", fill=INDEX))
    return parts


def score_words(labels: Mapping[str, str]) -> tuple[list[int], list[str]]:
    values = [-100, -50, 0, 50, 100]
    return values, [signed(v, labels) for v in values]


# --- the team's charts -----------------------------------------------------------


def nps_svg(
    sides: Mapping[str, Side], organisation: Mapping[str, Side], labels: Mapping[str, str]
) -> str:
    """Client NPS and employee eNPS with their 95 % intervals (as the document computes
    them, not centred on the score), the organisation's as open diamonds."""
    x = scale(-100, 100, 150, WIDTH - 20)
    parts = ticks(x, *score_words(labels), 6, 84)
    for position, (side, name, colour) in enumerate(
        (("client", labels["nps"], CLIENT), ("employee", labels["enps"], EMPLOYEE))
    ):
        y = 25 + position * 36
        parts.append(text(0, y, name, bold=True, fill=colour))
        figures = sides.get(side)
        if not (is_ok(figures) and figures.get("nps") is not None):
            reason, shade = unavailable(figures, labels)
            parts.append(lines(x(0), y, wrapped(reason, 90), size=9, anchor="middle", fill=shade))
            continue
        low, high = nps_interval(figures)
        parts += [
            line(x(low), y, x(high), y, colour, 2),
            line(x(low), y - 5, x(low), y + 5, colour, 2),
            line(x(high), y - 5, x(high), y + 5, colour, 2),
            circle(x(figures["nps"]), y, 6, colour),
            text(
                x(figures["nps"]),
                y - 13,
                signed(figures["nps"], labels),
                anchor="middle",
                bold=True,
                fill=colour,
            ),
        ]
        reference = organisation.get(side)
        if is_ok(reference) and reference.get("nps") is not None:
            parts.append(diamond(x(reference["nps"]), y))
    return document(100, parts, f"{labels['nps']}, {labels['enps']}")


def mirror_svg(
    sides: Mapping[str, Side],
    symmetry: Mapping[str, Any],
    organisation: Mapping[str, Side],
    dimensions: Sequence[tuple[str, str]],
    labels: Mapping[str, str],
) -> str:
    """The mirror: per dimension the employees' favourable share to the left of the
    middle, the clients' to the right, the gap (points) in the last column, the
    organisation's shares as black ticks. A hidden figure reads ``suppressed_short``."""
    middle, half, row, top = 405.0, 205.0, 24.0, 30.0
    gaps = (symmetry or {}).get("gaps") or {}
    height = top + row * len(dimensions) + 22
    bottom = top + row * len(dimensions)
    parts = [
        text(middle - half / 2, 12, labels["employees"], anchor="middle", bold=True, fill=EMPLOYEE),
        text(middle + half / 2, 12, labels["clients"], anchor="middle", bold=True, fill=CLIENT),
        text(WIDTH, 12, labels["gap"], anchor="end", bold=True),
    ]
    x = scale(-100, 100, middle - half, middle + half)
    for value in (-100, -50, 0, 50, 100):
        parts.append(line(x(value), top - 4, x(value), bottom, ZERO if value == 0 else GRID))
        parts.append(
            text(
                x(value),
                bottom + 10,
                percent(abs(value) / 100, labels),
                size=9,
                anchor="middle",
                fill=INDEX,
            )
        )
    for index, (code, name) in enumerate(dimensions):
        y = top + row * index + row / 2
        parts.append(lines(0, y, wrapped(name, 30)[:2], size=9))
        for side, sign, colour in (("employee", -1, EMPLOYEE), ("client", 1, CLIENT)):
            figures = sides.get(side)
            if not is_ok(figures):
                continue
            share = favourable(figures, code)
            if share is None:
                asked = code in (figures.get("dimensions") or {})
                word = labels["suppressed_short"] if asked else labels["no_data_short"]
                parts.append(
                    text(
                        x(sign * 4),
                        y,
                        word,
                        size=9,
                        anchor="start" if sign > 0 else "end",
                        fill=NO_DATA_TEXT,
                    )
                )
            else:
                end = x(sign * share * 100)
                parts.append(rect(min(end, middle), y - 7, abs(end - middle), 14, colour))
                words = percent(share, labels)
                inside = abs(end - middle) > 34
                where = (end + middle) / 2 if inside else end + sign * 3
                anchor = "middle" if inside else ("start" if sign > 0 else "end")
                parts.append(
                    text(
                        where, y, words, size=9, anchor=anchor, fill="#ffffff" if inside else colour
                    )
                )
            reference = favourable(organisation.get(side), code)
            if reference is not None:
                at = x(sign * reference * 100)
                parts.append(line(at, y - 9, at, y + 9, ORGANISATION, 2))
        gap = gaps.get(code)
        colour = TEXT if not gap else (CLIENT if gap > 0 else EMPLOYEE)
        parts.append(text(WIDTH, y, signed(gap, labels), anchor="end", bold=True, fill=colour))
    for side, sign in (("employee", -1), ("client", 1)):
        figures = sides.get(side)
        if not is_ok(figures):
            reason, shade = unavailable(figures, labels)
            parts.append(
                lines(
                    middle + sign * half / 2,
                    (top + bottom) / 2,
                    wrapped(reason, 34),
                    size=9,
                    anchor="middle",
                    fill=shade,
                )
            )
    return document(height, parts, labels["gap"])


def perception_svg(rows: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> str:
    """Perception against reality (``barometer.charts.perception_rows``): per row an open
    circle for what the other side thinks, a filled one for what the side says."""
    x = scale(0, 100, 190, WIDTH - 20)
    parts = []
    for value in (0, 25, 50, 75, 100):
        parts.append(line(x(value), 6, x(value), 124, GRID))
        parts.append(
            text(x(value), 134, percent(value / 100, labels), size=9, anchor="middle", fill=INDEX)
        )
    for position, row in enumerate(rows):
        y = 36 + position * 58
        parts.append(lines(0, y, wrapped(labels[row["key"]], 30), bold=True))
        if row["perceived"] is None and row["said"] is None:
            parts.append(text(x(50), y, labels["no_figure"], anchor="middle", fill=NO_DATA_TEXT))
            continue
        if row["perceived"] is not None and row["said"] is not None:
            parts.append(line(x(row["perceived"] * 100), y, x(row["said"] * 100), y, ZERO, 3))
        for share, side, verb, filled, offset in (
            (row["perceived"], row["perceived_by"], "think", False, -15),
            (row["said"], row["said_by"], "say", True, 15),
        ):
            if share is None:
                continue
            colour = EMPLOYEE if side == "employee" else CLIENT
            words = labels[f"{side}_{verb}"].format(value=percent(share, labels))
            anchor = "start" if share < 0.2 else "end" if share > 0.8 else "middle"
            parts.append(circle(x(share * 100), y, 6, colour, filled=filled))
            parts.append(
                text(x(share * 100), y + offset, words, size=9, anchor=anchor, fill=colour)
            )
    return document(145, parts, labels["clients_served"])


def trend_svg(points: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> str:
    """NPS, eNPS and the symmetry index over the campaigns (``trend_points``), the
    organisation's NPS and eNPS dotted; a hidden or missing figure breaks its line."""
    styles = {"team": ("", 2.5), "index": ("6 3", 2), "organisation": ("2 3", 1.2)}
    series = [
        (name, colour, values, *styles[kind])
        for name, colour, values, kind in trend_series(points, labels)
    ]
    left, right, top, bottom = 40.0, WIDTH - 10.0, 8.0, 178.0
    y = scale(-100, 100, bottom, top)
    step = (right - left) / max(len(points), 1)
    x = [left + step * (i + 0.5) for i in range(len(points))]
    parts = []
    for value, word in zip(*score_words(labels), strict=True):
        parts.append(line(left, y(value), right, y(value), ZERO if value == 0 else GRID))
        parts.append(text(left - 4, y(value), word, size=9, anchor="end", fill=INDEX))
    width = max(6, int(step / 5.6))
    for at, point in zip(x, points, strict=True):
        parts.append(
            lines(at, bottom + 22, wrapped(point["label"], width)[:3], size=9, anchor="middle")
        )
    for _, colour, values, dash, thickness in series:
        run: list[tuple[float, float]] = []
        for at, figure in [*zip(x, values, strict=True), (0.0, None)]:
            if figure is None:
                if len(run) > 1:
                    parts.append(polyline(run, colour, thickness, dash))
                run = []
                continue
            run.append((at, y(figure)))
            if not dash or thickness > 1.5:
                parts.append(circle(at, y(figure), 3.5 if thickness > 2 else 2.5, colour))
    legend_y = bottom + 58
    for position, (name, colour, _, dash, thickness) in enumerate(series):
        at = left + (position % 3) * 215
        row_y = legend_y + (position // 3) * 16
        parts.append(line(at, row_y, at + 22, row_y, colour, thickness, dash))
        parts.append(text(at + 28, row_y, name, size=9))
    return document(legend_y + 26, parts, labels["index"])
