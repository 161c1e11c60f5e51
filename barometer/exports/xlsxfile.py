"""The results as a workbook: one sheet per table and a "read me" sheet."""

import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from barometer.exports import labels, tables
from barometer.exports.cells import FORMULA_STARTS, cell_text, is_number
from barometer.exports.labels import COUNT, HIDDEN, MEAN, NO_DATA, SCORE, SHARE, TEXT, P, R

FORMATS = {COUNT: "0", SCORE: "0.0", MEAN: "0.0", R: "0.00", P: "0.000"}
WIDEST, NARROWEST, HEADER_LINE = 60, 8, 24
README_TEXT_WIDTH = 100
BOLD, WRAPPED = Font(bold=True), Alignment(wrap_text=True, vertical="top")


def _percent_format():
    # French typography: a space before the percent sign (a plain one: a format code's
    # literal characters are quoted beyond a few, and spreadsheets all read this one).
    return "0%" if labels.english() else "0 %"


def _cell(sheet, value, kind, decimal):
    if value is None:
        return None
    if is_number(value):
        cell = WriteOnlyCell(sheet, value=value)
        if kind != TEXT:
            cell.number_format = _percent_format() if kind == SHARE else FORMATS[kind]
        return cell
    text = cell_text(value, kind, decimal) if value in (HIDDEN, NO_DATA) else str(value)
    cell = WriteOnlyCell(sheet, value=text)
    if text.startswith(FORMULA_STARTS):
        # Written as a string, never a formula; Excel keeps it text when it is edited.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _widths(table, decimal):
    """Each column's width: its longest value as the dashboards write it, its header up to
    a line (longer headers wrap), within NARROWEST..WIDEST."""
    widths = [min(len(str(column.header)), HEADER_LINE) for column in table.columns]
    for row in table.rows:
        for number, (value, column) in enumerate(zip(row, table.columns, strict=True)):
            shown = len(cell_text(value, column.kind, decimal)) + (column.kind == SHARE) * 2
            widths[number] = max(widths[number], shown)
    return [max(NARROWEST, min(WIDEST, width + 2)) for width in widths]


def _sheet(workbook, table, decimal, wrapped=()):
    """A sheet of ``table``: the header row frozen and filterable, as are the first
    ``table.frozen`` columns; ``wrapped`` columns (indexes) wrap their text."""
    sheet = workbook.create_sheet(title=table.name[:31])
    for number, width in enumerate(_widths(table, decimal), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    for number in wrapped:
        sheet.column_dimensions[get_column_letter(number + 1)].width = README_TEXT_WIDTH
    sheet.freeze_panes = f"{get_column_letter(table.frozen + 1)}2"
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    header = []
    for column in table.columns:
        cell = _cell(sheet, str(column.header), TEXT, decimal)
        cell.font, cell.alignment = BOLD, WRAPPED
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        cells = [
            _cell(sheet, value, column.kind, decimal)
            for value, column in zip(row, table.columns, strict=True)
        ]
        for number in wrapped:
            if cells[number] is not None:
                cells[number].alignment = WRAPPED
        sheet.append(cells)


def to_xlsx(document, language=None):
    """A workbook in ``language`` (default: the active one): the sides, symmetry and
    correlations sheets, then "read me" with the campaign's definitions and thresholds.
    Figures are real numbers at full precision, formatted as the dashboards round them.
    Written row by row (openpyxl's write-only mode): no sheet is held as cell objects."""
    with translation.override(language or translation.get_language()):
        _, decimal = labels.conventions()
        workbook = Workbook(write_only=True)
        for build in (tables.sides_table, tables.symmetry_table, tables.correlations_table):
            _sheet(workbook, build(document), decimal)
        _sheet(workbook, tables.readme_table(document), decimal, wrapped=(1,))
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()
