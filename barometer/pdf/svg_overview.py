"""The organisation report's charts as plain SVG: the teams' scatter and the heatmap of
gaps, from the same figures as the overview's (``barometer.charts``); conventions in
``barometer.pdf.svg``."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

from barometer.charts import (
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
    correlation_summary,
    fitted_line,
    heatmap_cells,
    is_ok,
    signed,
)
from barometer.pdf.svg import (
    WIDTH,
    circle,
    clipped,
    diamond,
    document,
    line,
    lines,
    rect,
    scale,
    score_words,
    text,
    wrapped,
)

# A heatmap drawn in one piece must fit on a page: longer ones come in several.
HEATMAP_ROWS_PER_PIECE = 36


def scatter_svg(
    points: Sequence[Mapping[str, Any]],
    correlation: Mapping[str, Any],
    organisation: Mapping[str, Side],
    labels: Mapping[str, str],
) -> str:
    """Teams' eNPS (across) against NPS (up), dot area by respondents, the least-squares
    line of the dots for the eye, the organisation as a diamond, the document's r above."""
    left, right, top, bottom = 50.0, WIDTH - 20.0, 28.0, 438.0
    x, y = scale(-100, 100, left, right), scale(-100, 100, bottom, top)
    parts = [text(0, 10, correlation_summary(correlation, labels), size=9)]
    values, words = score_words(labels)
    for value, word in zip(values, words, strict=True):
        colour = ZERO if value == 0 else "#e9ecef"
        parts += [
            line(x(value), top, x(value), bottom, colour),
            line(left, y(value), right, y(value), colour),
            text(x(value), bottom + 10, word, size=9, anchor="middle", fill=INDEX),
            text(left - 4, y(value), word, size=9, anchor="end", fill=INDEX),
        ]
    parts.append(text((left + right) / 2, bottom + 26, labels["enps"], anchor="middle", bold=True))
    parts.append(
        text(12, (top + bottom) / 2, labels["nps"], anchor="middle", bold=True, rotate=-90)
    )
    if not points:
        parts.append(text(x(0), y(0) - 14, labels["no_points"], anchor="middle", fill=NO_DATA_TEXT))
    largest = max((p["responses"] for p in points), default=1)
    for point in points:
        radius = max(3.0, 14.0 * math.sqrt(point["responses"] / largest))
        parts.append(
            f'<circle cx="{x(point["enps"]):.1f}" cy="{y(point["nps"]):.1f}" r="{radius:.1f}" '
            f'fill="{EMPLOYEE}" fill-opacity="0.7" stroke="#ffffff"/>'
        )
    if len(points) <= NAMED_POINTS:
        for point in points:
            radius = max(3.0, 14.0 * math.sqrt(point["responses"] / largest))
            at = y(point["nps"]) - radius - 6
            parts.append(
                text(x(point["enps"]), at, point["name"], size=8, anchor="middle", fill=INDEX)
            )
    fit = fitted_line(points)
    if fit is not None:
        intercept, slope = fit
        ends = [min(p["enps"] for p in points), max(p["enps"] for p in points)]
        ys = [max(-100.0, min(100.0, intercept + slope * v)) for v in ends]
        parts.append(line(x(ends[0]), y(ys[0]), x(ends[1]), y(ys[1]), INDEX, 2, "6 3"))
    employee, client = organisation.get("employee"), organisation.get("client")
    if is_ok(employee) and is_ok(client) and None not in (employee.get("nps"), client.get("nps")):
        parts.append(diamond(x(employee["nps"]), y(client["nps"]), 7))
    legend = bottom + 44
    parts += [
        circle(left + 6, legend, 5, EMPLOYEE),
        text(left + 16, legend, labels["teams"], size=9),
        line(left + 120, legend, left + 142, legend, INDEX, 2, "6 3"),
        text(left + 148, legend, labels["fit"], size=9),
        diamond(left + 392, legend),
        text(left + 402, legend, labels["organisation"], size=9),
    ]
    return document(legend + 12, parts, f"{labels['enps']} · {labels['nps']}")


def _gap_colour(gap: float, reach: float) -> str:
    """The overview's diverging scale (blue, near white, orange), interpolated."""
    share = max(0.0, min(1.0, (gap / reach + 1) / 2))
    stops = [(float(str(at)), str(colour)) for at, colour in GAP_SCALE]
    for (start, low), (end, high) in itertools.pairwise(stops):
        if share <= end:
            t = (share - start) / (end - start)
            a = [int(low[i : i + 2], 16) for i in (1, 3, 5)]
            b = [int(high[i : i + 2], 16) for i in (1, 3, 5)]
            return "#" + "".join(f"{round(p + (q - p) * t):02x}" for p, q in zip(a, b, strict=True))
    return CLIENT


def heatmap_svgs(
    teams: Sequence[Mapping[str, Any]],
    dimensions: Sequence[tuple[str, str]],
    labels: Mapping[str, str],
) -> list[str]:
    """Teams × dimensions coloured by the gap, hidden cells dark grey with
    ``suppressed_short`` in them, cells without data pale with ``no_data_short``: one
    SVG per HEATMAP_ROWS_PER_PIECE teams, each with the dimensions' names on top."""
    grid = heatmap_cells(teams, [code for code, _ in dimensions])
    largest = max((abs(c["gap"]) for row in grid for c in row if c["gap"] is not None), default=0)
    reach = max(20.0, math.ceil(largest / 10) * 10)
    pieces = []
    for start in range(0, max(len(teams), 1), HEATMAP_ROWS_PER_PIECE):
        chunk = list(zip(teams, grid, strict=True))[start : start + HEATMAP_ROWS_PER_PIECE]
        pieces.append(_heatmap_piece(chunk, dimensions, labels, reach))
    return pieces


def _heatmap_piece(
    chunk: Sequence[tuple[Mapping[str, Any], Sequence[Mapping[str, Any]]]],
    dimensions: Sequence[tuple[str, str]],
    labels: Mapping[str, str],
    reach: float,
) -> str:
    # Slanted names, on two lines at most: eleven columns of a page's width cannot hold
    # them level; the right margin leaves room for the last ones.
    left, head, row, slant = 170.0, 84.0, 20.0, 0.7071
    width = (WIDTH - 64 - left) / max(len(dimensions), 1)
    parts = []
    for column, (_, name) in enumerate(dimensions):
        rows = wrapped(name, 18)[:2]
        for position, part in enumerate(rows):
            back = (position - (len(rows) - 1)) * 10 * slant
            at = left + width * column + width / 2 + back
            parts.append(text(at, head - 6 + back, part, size=8.5, rotate=-45))
    for index, (team, cells) in enumerate(chunk):
        y = head + row * index
        parts.append(text(0, y + row / 2, clipped(team["name"], 34), size=9))
        for column, cell in enumerate(cells):
            x = left + width * column
            if cell["state"] == "gap":
                fill, ink, words = (
                    _gap_colour(cell["gap"], reach),
                    TEXT,
                    [signed(cell["gap"], labels)],
                )
            elif cell["state"] == "suppressed":
                fill, ink, words = SUPPRESSED, "#ffffff", [labels["suppressed_short"]]
            else:
                fill, ink, words = NO_DATA, NO_DATA_TEXT, wrapped(labels["no_data_short"], 7)
            parts.append(rect(x + 1, y + 1, width - 2, row - 2, fill))
            size = 8 if len(words) == 1 else 6.5
            parts.append(
                lines(
                    x + width / 2,
                    y + row / 2,
                    words,
                    size=size,
                    gap=1.05,
                    anchor="middle",
                    fill=ink,
                )
            )
    legend = head + row * len(chunk) + 14
    at = 0.0
    for name, fill in (
        (labels["gap_negative"], EMPLOYEE),
        (labels["gap_positive"], CLIENT),
        (labels["suppressed_legend"], SUPPRESSED),
        (labels["no_data_legend"], NO_DATA),
    ):
        parts.append(rect(at, legend - 5, 10, 10, fill, ZERO))
        parts.append(text(at + 14, legend, name, size=9))
        at += 24 + len(name) * 5.2
    return document(legend + 10, parts, labels["gap"])
