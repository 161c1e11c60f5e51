"""The results as a workbook: one sheet per table and a "read me" sheet."""

import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from barometer.exports import labels, tables
from barometer.exports.cells import FORMULA_STARTS, cell_text, is_number
from barometer.exports.labels import COUNT, HIDDEN, MEAN, NO_DATA, SCORE, SHARE, TEXT, P, R

FORMATS = {COUNT: "0", SCORE: "0.0", MEAN: "0.0", R: "0.00", P: "0.000"}
WIDEST, NARROWEST, HEADER_LINE = 60, 8, 24


def _percent_format():
    # French typography: a space before the percent sign (a plain one: a format code's
    # literal characters are quoted beyond a few, and spreadsheets all read this one).
    return "0%" if labels.english() else "0 %"


def _write(cell, value, kind, decimal):
    if value is None:
        return
    if is_number(value):
        cell.value = value
        if kind != TEXT:
            cell.number_format = _percent_format() if kind == SHARE else FORMATS[kind]
        return
    text = cell_text(value, kind, decimal) if value in (HIDDEN, NO_DATA) else str(value)
    cell.value = text
    if text.startswith(FORMULA_STARTS):
        # Written as a string, never a formula; Excel keeps it text when it is edited.
        cell.data_type = "s"
        cell.quotePrefix = True


def _sheet(workbook, table, decimal):
    sheet = workbook.create_sheet(title=table.name[:31])
    widths = []
    for number, column in enumerate(table.columns, start=1):
        header = str(column.header)
        cell = sheet.cell(row=1, column=number)
        _write(cell, header, TEXT, decimal)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths.append(min(len(header), HEADER_LINE))
    for row_number, row in enumerate(table.rows, start=2):
        for number, (value, column) in enumerate(zip(row, table.columns, strict=True), 1):
            cell = sheet.cell(row=row_number, column=number)
            _write(cell, value, column.kind, decimal)
            shown = cell_text(value, column.kind, decimal)
            if column.kind == SHARE and is_number(value):
                shown += " %"
            widths[number - 1] = max(widths[number - 1], len(shown))
    for number, width in enumerate(widths, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = max(NARROWEST, min(WIDEST, width + 2))
    sheet.freeze_panes = sheet.cell(row=2, column=table.frozen + 1)
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions
    return sheet


def to_xlsx(document, language=None):
    """A workbook in ``language`` (default: the active one): the sides, symmetry and
    correlations sheets, then "read me" with the campaign's definitions and thresholds.
    Figures are real numbers at full precision, formatted as the dashboards round them."""
    with translation.override(language or translation.get_language()):
        _, decimal = labels.conventions()
        workbook = Workbook()
        workbook.remove(workbook.active)
        for build in (
            tables.sides_table,
            tables.symmetry_table,
            tables.correlations_table,
            tables.readme_table,
        ):
            _sheet(workbook, build(document), decimal)
        readme = workbook.worksheets[-1]
        readme.column_dimensions["B"].width = 100
        for (cell,) in readme.iter_rows(min_row=2, min_col=2, max_col=2):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()
