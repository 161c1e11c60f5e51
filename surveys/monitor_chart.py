"""The campaign monitor's chart: responses per day and side, as a Plotly figure spec.

Pure, no Django import, like the dashboards' figures (``barometer.charts``, which surveys
does not import): it takes the rows of ``surveys.monitoring.responses_per_day`` with each
day already written out (``label``) and a ``labels`` mapping of translated words, and
returns ``{"data", "layout", "config"}`` for ``static/js/charts.js``. Counts only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# The sides' colours of the dashboards (barometer/charts/base.py), for the same reading.
COLOURS = {"employee": "#1f5fa8", "client": "#b8510d"}
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
GRID = "#e9ecef"


def _plain(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def responses_per_day_figure(
    days: Sequence[Mapping[str, Any]],
    sides: Sequence[str],
    labels: Mapping[str, str],
    filename: str = "responses-per-day",
) -> dict[str, Any]:
    """Grouped bars, one colour per side: ``days`` as ``{"day": "YYYY-MM-DD", "label",
    side: count}``; ``labels`` holds each side's name, ``separators`` and ``date_format``
    (a d3 time format). An empty ``days`` gives empty bars."""
    x = [str(day["day"]) for day in days]
    data = [
        {
            "type": "bar",
            "name": _plain(labels[side]),
            "x": x,
            "y": [int(day.get(side, 0)) for day in days],
            "marker": {"color": COLOURS[side]},
            "hovertext": [
                _plain(f"{day['label']} · {labels[side]}: {int(day.get(side, 0))}") for day in days
            ],
            "hoverinfo": "text",
        }
        for side in sides
    ]
    most = max((int(day.get(side, 0)) for day in days for side in sides), default=0)
    layout = {
        "height": 300,
        "autosize": True,
        "barmode": "group",
        "margin": {"l": 8, "r": 8, "t": 16, "b": 8, "pad": 4},
        "font": {"family": FONT, "size": 13, "color": "#212529"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "separators": labels["separators"],
        "dragmode": False,
        "showlegend": True,
        "legend": {"orientation": "h", "y": -0.2, "x": 0},
        "xaxis": {
            "type": "date",
            "tickformat": labels["date_format"],
            "automargin": True,
            "fixedrange": True,
            "showgrid": False,
        },
        "yaxis": {
            "rangemode": "tozero",
            "range": [0, max(most, 4) * 1.1],
            "tickformat": "d",
            "automargin": True,
            "fixedrange": True,
            "gridcolor": GRID,
        },
    }
    config = {
        "displaylogo": False,
        "displayModeBar": True,
        "responsive": True,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }
    return {"data": data, "layout": layout, "config": config}
