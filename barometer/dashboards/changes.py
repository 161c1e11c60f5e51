"""Change since the previous campaign, as the pages word it: ▲/▼ with points and
"significant" or "within noise", and which campaign it is measured from.

Read-only: the changes are the document's (``barometer.change``)."""

from django.utils.dateparse import parse_date
from django.utils.formats import date_format

from barometer import charts


def since(entry):
    """The campaign a team entry's (or the organisation's) changes are measured from,
    as ``{"name", "closes_on"}`` (a formatted date), or None without one."""
    reference = ((entry or {}).get("change") or {}).get("since")
    if not reference:
        return None
    closes_on = parse_date(reference.get("closes_on") or "")
    return {
        "name": reference.get("name"),
        "closes_on": date_format(closes_on, "DATE_FORMAT") if closes_on else "",
    }


def side_change(entry, side):
    """The document's change of one side of a team entry (or the organisation)."""
    return ((entry or {}).get("change") or {}).get(side) or {}


def words(change, labels):
    """``{"text", "arrow", "significant"}`` of one CHANGE ("▲ +8 points, significant"),
    or None when there is nothing to compare."""
    if not change:
        return None
    text = charts.change_text(change, labels)
    return {"text": text, "arrow": text.split(" ", 1)[0], "significant": change["significant"]}


def nps_change(entry, side, labels):
    return words(side_change(entry, side).get("nps"), labels)


def dimension_change(entry, side, code, labels):
    return words((side_change(entry, side).get("dimensions") or {}).get(code), labels)


def cell(found):
    """A table cell's text for a change: its words, or a dash (nothing to compare)."""
    return found["text"] if found else "—"
