"""The figures' narrow forms, drawn instead on a phone (``static/js/charts.js`` picks a
spec's ``narrow`` below Bootstrap's "sm" breakpoint): the mirror stacked per dimension,
the heatmap with upright column names and no text in its cells, the scatter's
sentence wrapped. Same figures, same words as the wide forms (see ``base.py``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from barometer.charts.base import (
    CLIENT,
    EMPLOYEE,
    NO_DATA_TEXT,
    ORGANISATION,
    TEXT,
    Side,
    _axis,
    _layout,
    _note,
    _percent_ticks,
    _trace,
    favourable,
    is_ok,
    percent,
    plain,
    signed,
    unavailable,
)

ROW = 22  # pixels per line of the stacked mirror: a name, then each side's bar


def mirror_stacked(
    sides: Mapping[str, Side],
    symmetry: Mapping[str, Any],
    organisation: Mapping[str, Side],
    dimensions: Sequence[tuple[str, str]],
    labels: Mapping[str, str],
) -> dict[str, Any]:
    """The mirror for a phone: per dimension its name and the gap on one line, then the
    employees' bar and the clients' bar (0–100 %), the organisation as black ticks. A
    figure or side without a share says why in one word ("hidden" / "no data"), its
    hover in full. Returns ``{"data", "layout"}``."""
    gaps = (symmetry or {}).get("gaps") or {}
    data: list[dict[str, Any]] = []
    for offset, side, colour in ((1, "employee", EMPLOYEE), (2, "client", CLIENT)):
        figures = sides.get(side)
        who = labels["employees"] if side == "employee" else labels["clients"]
        rows = [3 * i + offset for i in range(len(dimensions))]
        shares = [favourable(figures, code) for code, _ in dimensions]
        data.append(
            _trace(
                who,
                [None if s is None else s * 100 for s in shares],
                rows,
                [
                    labels["share_hover"].format(
                        who=who,
                        name=name,
                        value=percent(s, labels),
                        n=(((figures or {}).get("dimensions") or {}).get(code) or {}).get("n"),
                    )
                    for (code, name), s in zip(dimensions, shares, strict=True)
                ],
                type="bar",
                orientation="h",
                # One row each: without a width plotly spans the 3 rows between a
                # trace's bars.
                width=0.7,
                marker={"color": colour},
                text=["" if s is None else percent(s, labels) for s in shares],
                textposition="outside",
                cliponaxis=False,
                showlegend=True,
            )
        )
        missing = [
            (row, code)
            for row, s, (code, _) in zip(rows, shares, dimensions, strict=True)
            if s is None
        ]
        if missing:
            words, hover = _why(figures, [code for _, code in missing], labels)
            data.append(
                _trace(
                    who,
                    [1] * len(missing),
                    [row for row, _ in missing],
                    hover,
                    mode="text",
                    text=words,
                    textposition="middle right",
                    textfont={"color": NO_DATA_TEXT},
                    showlegend=False,
                )
            )
        reference = [favourable(organisation.get(side), code) for code, _ in dimensions]
        if any(s is not None for s in reference):
            data.append(
                _trace(
                    labels["organisation"],
                    [None if s is None else s * 100 for s in reference],
                    rows,
                    [f"{labels['organisation']} · {who}: {percent(s, labels)}" for s in reference],
                    mode="markers",
                    marker={
                        "symbol": "line-ns-open",
                        "size": 16,
                        "color": ORGANISATION,
                        "line": {"width": 2},
                    },
                    showlegend=False,
                )
            )
    notes = []
    for index, (code, name) in enumerate(dimensions):
        gap = gaps.get(code)
        colour = TEXT if not gap else (CLIENT if gap > 0 else EMPLOYEE)
        notes.append(_note(name, TEXT, x=0, y=3 * index, xref="paper", yref="y", xanchor="left"))
        notes.append(
            _note(
                f"{labels['gap']} {signed(gap, labels)}",
                colour,
                x=1,
                y=3 * index,
                xref="paper",
                yref="y",
                xanchor="right",
            )
        )
    layout = _layout(
        labels,
        70 + ROW * 3 * len(dimensions),
        barmode="overlay",
        bargap=0.25,
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom"},
        xaxis=_axis(range=[0, 122], **_percent_ticks(labels)),
        yaxis=_axis(
            range=[3 * len(dimensions) - 0.5, -0.6],
            showticklabels=False,
            showgrid=False,
            zeroline=False,
        ),
        annotations=notes,
        margin={"l": 4, "r": 4, "t": 28, "b": 28, "pad": 2},
    )
    return {"data": data, "layout": layout}


def _why(
    figures: Side | None, codes: Sequence[str], labels: Mapping[str, str]
) -> tuple[list[str], list[str]]:
    """For figures left out: the one word each shows, and its hover."""
    if not is_ok(figures):
        reason, _ = unavailable(figures, labels)
        status = (figures or {}).get("status")
        word = labels["no_data_short"] if status == "no_data" else labels["suppressed_short"]
        return [plain(word)] * len(codes), [reason] * len(codes)
    asked = (figures or {}).get("dimensions") or {}
    words = [
        labels["suppressed_short"] if code in asked else labels["no_data_short"] for code in codes
    ]
    hover = [labels["too_few"] if code in asked else labels["no_data"] for code in codes]
    return [plain(word) for word in words], hover


def heatmap_narrow(
    dimensions: Sequence[tuple[str, str]], layout: Mapping[str, Any]
) -> dict[str, Any]:
    """The heatmap on a phone: the dimensions' names upright on top, in full (eleven
    columns of a phone's width cannot hold them across), and no text in the cells,
    which their colour, the legend, the hover and the data table carry."""
    xaxis = {
        **layout["xaxis"],
        "ticktext": [plain(name) for _, name in dimensions],
        "tickangle": -90,
        "tickfont": {"size": 11},
    }
    yaxis = {**layout["yaxis"], "tickfont": {"size": 11}}
    return {"layout": {"xaxis": xaxis, "yaxis": yaxis}, "trace": {"texttemplate": ""}}
