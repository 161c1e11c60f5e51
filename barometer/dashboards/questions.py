"""The "other questions" section: every item of the campaign's own questionnaire that
the mirror does not show. Single-side and unmirrored 1–5 items with their favourable
share, mean and n; single-choice items with their share per option and n, per side.

Read-only: each figure is the document's, already null under the thresholds."""

from django.utils.translation import get_language, gettext

from barometer import charts
from barometer.dashboards.changes import cell as change_cell
from barometer.dashboards.changes import dimension_change
from barometer.dashboards.tables import SIDES

NPS_CODE = "recommend"


def _language():
    return "en" if (get_language() or "").startswith("en") else "fr"


def _title(item, language):
    texts = item.get("texts") or {}
    for side in ("employee", "client"):
        if side in texts:
            return texts[side].get(language) or texts[side].get("fr") or item["code"]
    return item["code"]


def _wording(item, side, language):
    """A side's own wording of an item asked to both sides in different words."""
    texts = item.get("texts") or {}
    if len(texts) < 2 or len({t.get(language) for t in texts.values()}) < 2:
        return None
    own = texts.get(side) or {}
    return own.get(language) or own.get("fr")


def _side_label(side):
    return gettext("Clients") if side == "client" else gettext("Employees")


def _hidden_item(figures):
    """Why a side of an item shows no figure: hidden side, no data, or too few answers."""
    status = (figures or {}).get("status")
    if status == "suppressed":
        return gettext("hidden")
    if status == "no_data":
        return gettext("no data")
    return gettext("too few answers")


def likert_rows(entry, catalogue, mirrored, labels):
    """One row per 1–5 item the mirror leaves out, with each side it is asked to."""
    language = _language()
    rows = []
    for item in catalogue:
        if item.get("kind") != "likert" or item["code"] in mirrored:
            continue
        sides = []
        for side in SIDES:
            if side not in item.get("sides", ()):
                continue
            figures = entry.get(side) or {}
            found = (figures.get("dimensions") or {}).get(item["code"]) or {}
            cell = {
                "side": side,
                "who": _side_label(side),
                "wording": _wording(item, side, language),
            }
            if charts.is_ok(figures) and found.get("favourable") is not None:
                cell.update(
                    favourable=charts.percent(found["favourable"], labels),
                    mean=charts.number(found["mean"], labels, 1),
                    n=found["n"],
                    change=change_cell(dimension_change(entry, side, item["code"], labels)),
                )
            else:
                cell["message"] = _hidden_item(figures)
            sides.append(cell)
        rows.append({"code": item["code"], "title": _title(item, language), "sides": sides})
    return rows


def choice_blocks(entry, catalogue, labels):
    """One block per single-choice item: its options with each side's share, and n."""
    language = _language()
    blocks = []
    for item in catalogue:
        if item.get("kind") != "choice":
            continue
        options = [o.get(language) or o.get("fr") or "" for o in item.get("options") or []]
        sides = []
        for side in SIDES:
            if side not in item.get("sides", ()):
                continue
            figures = entry.get(side) or {}
            found = (figures.get("choices") or {}).get(item["code"]) or {}
            shares = found.get("shares") if charts.is_ok(figures) else None
            sides.append(
                {
                    "side": side,
                    "who": _side_label(side),
                    "n": found.get("n") if shares else None,
                    "shares": [charts.percent(s, labels) for s in shares] if shares else None,
                    "message": None if shares else _hidden_item(figures),
                }
            )
        rows = [
            {
                "option": option,
                "cells": [
                    side["shares"][index] if side["shares"] else side["message"] for side in sides
                ],
            }
            for index, option in enumerate(options)
        ]
        blocks.append(
            {"code": item["code"], "title": _title(item, language), "sides": sides, "rows": rows}
        )
    return blocks


def other_questions(entry, document, dims, labels):
    """``{"likert": rows, "choices": blocks}`` of a team entry (or the organisation),
    or None when the campaign has no such item."""
    catalogue = document.get("questions") or []
    mirrored = {code for code, _ in dims} | {NPS_CODE}
    section = {
        "likert": likert_rows(entry, catalogue, mirrored, labels),
        "choices": choice_blocks(entry, catalogue, labels),
    }
    return section if section["likert"] or section["choices"] else None
