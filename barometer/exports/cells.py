"""One cell as text: rounding, the decimal mark, the words of missing figures, and the
neutralising of text a spreadsheet would run as a formula."""

import numbers

from barometer.exports import labels
from barometer.exports.labels import COUNT, DECIMALS, HIDDEN, NO_DATA, SHARE

# A text starting with one of these is read as a formula by spreadsheet software
# (OWASP, "CSV injection"); a leading apostrophe makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def neutralised(text):
    """``text`` with a leading apostrophe when a spreadsheet would run it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def number_text(value, kind, decimal):
    """A number as the CSV writes it: counts whole, shares as percentages and other
    figures rounded, with ``decimal`` as the mark and a plain hyphen for the minus sign
    so that spreadsheets read it as a number."""
    if kind == COUNT:
        return str(round(value))
    if kind == SHARE:
        value = value * 100
    text = f"{value:.{DECIMALS.get(kind, 1)}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace(".", decimal)


def cell_text(value, kind, decimal):
    """The text of any cell: a number, a word for a missing figure, a neutralised text,
    or the empty string when nothing applies."""
    if value is None:
        return ""
    if value in (HIDDEN, NO_DATA):
        return labels.missing_word(value)
    if is_number(value):
        return number_text(value, kind, decimal)
    return neutralised(str(value))
