"""The results as one CSV table in the reader's conventions."""

import csv
import io

from django.utils import translation

from barometer.exports import labels, tables
from barometer.exports.cells import cell_text, neutralised


def to_csv(document, language=None):
    """The sides table, each row with its team's symmetry, as UTF-8 CSV with a BOM:
    in French ``;`` between cells and a decimal comma, in English ``,`` and ``.``;
    headers and words in ``language`` (default: the active one)."""
    with translation.override(language or translation.get_language()):
        table = tables.csv_table(document)
        separator, decimal = labels.conventions()
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
        writer.writerow([neutralised(_header(column)) for column in table.columns])
        for row in table.rows:
            writer.writerow(
                [
                    cell_text(value, column.kind, decimal)
                    for value, column in zip(row, table.columns, strict=True)
                ]
            )
    return buffer.getvalue().encode("utf-8-sig")


def _header(column):
    # The cells of a share hold percentages (the XLSX keeps fractions, formatted as such).
    return f"{column.header} (%)" if column.kind == labels.SHARE else str(column.header)
