"""Benchmark `sheets`: how long the imports take to refuse each hostile spreadsheet.

The files of surveys/tests/hostile_sheets.py, built before the clock starts, each
read by `read_table` with the teams columns, as the screens and the commands read
an upload: the time to the refusal (best of a few runs, the machine being shared),
the message it must give, and the peak traced memory of one more run under
tracemalloc (which slows Python down, so it is not timed). For scale, an honest
workbook of 20,000 rows read to the end. No database and no server are needed.
"""

import time
import tracemalloc

from django.utils import translation

from bench.registry import Figure, benchmark
from surveys.import_columns import TEAM_COLUMNS
from surveys.sheets import MAX_CELL_CHARS, MAX_PART_BYTES, MAX_ROWS, ImportFileError, Reading
from surveys.tabular import read_table
from surveys.tests import hostile_sheets as hostile

NAME = "sheets"
TARGET_S = 2.0
TARGET_PEAK_MB = 100


def _cases(quick):
    million = 200_000 if quick else 2_000_000
    return [
        ("CSV, one row of 1,000,000 commas", "teams.csv", hostile.csv_commas(), "columns"),
        ("CSV, 20,001 rows", "teams.csv", hostile.csv_rows(MAX_ROWS + 1), "rows"),
        ("CSV, a 3 MB cell", "teams.csv", hostile.csv_long_cell(3_000_000), "longer than"),
        (
            f"XLSX, {million:,} rows built small",
            "teams.xlsx",
            hostile.xlsx_million_rows(million),
            ("larger than", "rows"),
        ),
        (
            "XLSX, a 24 MB part said to be under 20 MB",
            "teams.xlsx",
            hostile.xlsx_lying_part(MAX_PART_BYTES),
            "workbook",
        ),
        ("XLSX, 20,001 rows", "teams.xlsx", hostile.xlsx_rows(MAX_ROWS + 1), "rows"),
        ("XLSX, a row of 1,000,000 cells", "teams.xlsx", _million_cells(), "columns"),
        ("XLSX, a 5 MB cell", "teams.xlsx", hostile.xlsx_long_cell(5_000_000), "longer than"),
        ("XLSX, entity bomb", "teams.xlsx", hostile.xlsx_entity_bomb(), "workbook"),
        ("XLSX, broken XML", "teams.xlsx", hostile.xlsx_broken_xml(), "workbook"),
        ("XLSX, a zip of something else", "teams.xlsx", hostile.zip_not_a_workbook(), "workbook"),
    ]


def _million_cells():
    cells = "<c><v>1</v></c>" * 1_000_000
    return hostile.workbook_with_sheet([hostile.SHEET_HEAD, f"<row>{cells}</row>", "</sheetData>"])


def _refusal(data, filename):
    try:
        read_table(data, columns=TEAM_COLUMNS, filename=filename, reading=Reading())
    except ImportFileError as error:
        return str(error)
    return None


def _timed(data, filename, runs):
    best, message = None, None
    for _ in range(runs):
        started = time.perf_counter()
        message = _refusal(data, filename)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, message


def _peak_mb(data, filename):
    tracemalloc.start()
    try:
        _refusal(data, filename)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


@benchmark(NAME)
def sheets(ctx):
    runs = 1 if ctx.quick else 3
    figures = []
    with translation.override("en"):
        for label, filename, data, expected in _cases(ctx.quick):
            elapsed, message = _timed(data, filename, runs)
            peak = _peak_mb(data, filename)
            expected = (expected,) if isinstance(expected, str) else expected
            refused = message is not None and any(part in message for part in expected)
            figures.append(
                Figure(
                    NAME,
                    f"refuse: {label}",
                    elapsed,
                    "s",
                    target=f"≤ {TARGET_S:g} s, refused, peak < {TARGET_PEAK_MB} MB",
                    passed=refused and elapsed <= TARGET_S and peak < TARGET_PEAK_MB,
                    note=f"{len(data) / 1024:,.0f} KB; peak {peak:.1f} MB traced; "
                    + (f"“{message}”" if message else "accepted!"),
                )
            )
        honest = hostile.real_workbook(2_000 if ctx.quick else MAX_ROWS)
        started = time.perf_counter()
        table = read_table(honest, columns=TEAM_COLUMNS, filename="teams.xlsx")
        figures.append(
            Figure(
                NAME,
                f"read: an honest XLSX of {len(table.rows):,} rows (for scale)",
                time.perf_counter() - started,
                "s",
                note=f"written by openpyxl; cells up to {MAX_CELL_CHARS:,} characters allowed",
            )
        )
    return figures
