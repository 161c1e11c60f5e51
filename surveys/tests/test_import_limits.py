"""The reading limits: each refused with its message, reading stopped at the limit, and
memory kept small on hostile files (issue #17's uploads)."""

import tracemalloc

import pytest
from django.utils import translation
from openpyxl.xml import DEFUSEDXML

from surveys.import_columns import TEAM_COLUMNS
from surveys.sheets import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_PART_BYTES,
    MAX_ROWS,
    ImportFileError,
    Reading,
    read_capped,
)
from surveys.tabular import read_table, read_table_file
from surveys.tests import hostile_sheets as hostile

PEAK_LIMIT = 100 * 1024 * 1024


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refused(data, filename="teams.csv"):
    """(message, Reading, peak traced bytes) of a file that must be refused."""
    reading = Reading()
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError) as error:
            read_table(data, columns=TEAM_COLUMNS, filename=filename, reading=reading)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return str(error.value), reading, peak


def test_a_csv_row_of_a_million_commas_stops_at_that_row():
    message, reading, peak = refused(hostile.csv_commas())
    assert message == f"Row 1 has more than {MAX_COLUMNS} columns: at most 50 can be read."
    assert reading.lines == 1
    assert peak < PEAK_LIMIT


def test_fifty_csv_columns_are_read_and_fifty_one_are_not():
    header = ",".join(["code", "name", *(f"x{n}" for n in range(48))])
    table = read_table(f"{header}\nlyon,Lyon\n".encode(), columns=TEAM_COLUMNS)
    assert table.rows == [(2, {"code": "lyon", "name": "Lyon"})]
    message, reading, _peak = refused(f"{header},x48\nlyon,Lyon\n".encode())
    assert "Row 1 has more than 50 columns" in message
    assert reading.lines == 1


def test_csv_reading_stops_at_the_row_past_twenty_thousand():
    message, reading, peak = refused(hostile.csv_rows(MAX_ROWS + 5))
    assert message == (
        "The file has more than 20,000 rows: at most 20,000 can be imported at once; split it."
    )
    # The header, then data rows up to the first one too many.
    assert reading.lines == MAX_ROWS + 2
    assert peak < PEAK_LIMIT


def test_twenty_thousand_csv_rows_are_read():
    assert len(read_table(hostile.csv_rows(MAX_ROWS), columns=TEAM_COLUMNS).rows) == MAX_ROWS


def test_a_mostly_blank_csv_stops_at_the_line_limit():
    data = b"code,name\n" + b",\n" * (3 * MAX_ROWS)
    message, reading, _peak = refused(data)
    assert "more than 20,000 rows" in message
    assert reading.lines == 2 * MAX_ROWS + 2


def test_a_long_csv_cell_stops_at_its_row():
    message, reading, peak = refused(hostile.csv_long_cell(3_000_000))
    assert message == "Row 2 has a cell longer than 2,000 characters."
    assert reading.lines <= 2
    assert peak < PEAK_LIMIT


def test_a_cell_of_exactly_the_limit_is_read():
    table = read_table(hostile.csv_long_cell(MAX_CELL_CHARS), columns=TEAM_COLUMNS)
    assert len(table.rows[0][1]["name"]) == MAX_CELL_CHARS
    assert "longer than" in refused(hostile.csv_long_cell(MAX_CELL_CHARS + 1))[0]


def test_bytes_over_the_cap_are_refused_before_parsing():
    data = b"code,name\n" + b"x" * MAX_FILE_BYTES
    message, reading, _peak = refused(data)
    assert message == "The file is larger than 5 MB: split it."
    assert reading.lines == 0


class CountingFile:
    """A file whose reads are recorded: the size a file system gives can be wrong (a
    pipe, a file still growing), so the read itself must stop."""

    def __init__(self, data):
        self.data, self.read_bytes = data, 0

    def read(self, size=-1):
        size = len(self.data) if size < 0 else size
        chunk = self.data[self.read_bytes : self.read_bytes + size]
        self.read_bytes += len(chunk)
        return chunk


def test_a_file_is_read_no_further_than_one_byte_past_the_cap():
    handle = CountingFile(b"code,name\n" + b"x" * (3 * MAX_FILE_BYTES))
    with pytest.raises(ImportFileError, match="larger than 5 MB"):
        read_capped(handle)
    assert handle.read_bytes == MAX_FILE_BYTES + 1


def test_a_file_on_disk_over_the_cap_is_refused(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"code,name\n" + b"x" * MAX_FILE_BYTES)
    with pytest.raises(ImportFileError, match="larger than 5 MB"):
        read_table_file(path, columns=TEAM_COLUMNS)


def test_an_xlsx_of_two_million_rows_is_refused_on_its_declared_part_size():
    data = hostile.xlsx_million_rows()
    assert len(data) < MAX_FILE_BYTES
    message, reading, peak = refused(data, "rows.xlsx")
    assert message == (
        "This workbook holds a part (xl/worksheets/sheet1.xml) larger than 20 MB once uncompressed."
    )
    assert reading.inflated == 0
    assert peak < PEAK_LIMIT


def test_a_part_that_lies_about_its_size_is_never_inflated_past_the_lie():
    data = hostile.xlsx_lying_part(MAX_PART_BYTES)
    message, reading, peak = refused(data, "lie.xlsx")
    assert "cannot be read as a workbook" in message
    assert reading.inflated <= MAX_PART_BYTES
    assert peak < PEAK_LIMIT


def test_xlsx_rows_past_the_limit_are_counted_before_openpyxl_reads_any():
    message, reading, peak = refused(hostile.xlsx_rows(MAX_ROWS + 1), "rows.xlsx")
    assert "more than 20,000 rows" in message
    # The header and 20,000 rows pass; the scan stops on the next row's first value.
    assert reading.scanned_rows == MAX_ROWS + 2
    assert reading.lines == 0
    assert peak < PEAK_LIMIT


def test_twenty_thousand_xlsx_rows_are_read():
    table = read_table(hostile.real_workbook(MAX_ROWS), columns=TEAM_COLUMNS, filename="t.xlsx")
    assert len(table.rows) == MAX_ROWS
    assert table.rows[-1] == (MAX_ROWS + 1, {"code": f"t{MAX_ROWS - 1}", "name": "Team 19999"})


def test_a_wide_xlsx_row_stops_at_that_row():
    message, reading, peak = refused(hostile.xlsx_wide_row(MAX_COLUMNS + 1), "wide.xlsx")
    assert message == "Row 1 has more than 50 columns: at most 50 can be read."
    assert reading.lines == 1
    assert peak < PEAK_LIMIT


def test_an_xlsx_row_of_a_million_cells_is_refused_before_openpyxl_builds_it():
    cells = "<c><v>1</v></c>" * 1_000_000
    data = hostile.workbook_with_sheet([hostile.SHEET_HEAD, f"<row>{cells}</row>", "</sheetData>"])
    message, reading, peak = refused(data, "wide.xlsx")
    assert "Row 1 has more than 50 columns" in message
    assert reading.lines == 0
    assert peak < PEAK_LIMIT


def test_formatted_empty_cells_right_of_the_data_do_not_count_as_columns():
    empty = "".join(f'<c r="{letter}2" s="1"/>' for letter in ("BA", "BB", "ZZ"))
    row = hostile.inline_row(2, "lyon", "Lyon")[: -len("</row>")] + empty + "</row>"
    data = hostile.workbook_with_sheet(
        [hostile.SHEET_HEAD, hostile.inline_row(1, "code", "name"), row, hostile.SHEET_TAIL]
    )
    table = read_table(data, columns=TEAM_COLUMNS, filename="t.xlsx")
    assert table.rows == [(2, {"code": "lyon", "name": "Lyon"})]


def test_a_long_xlsx_cell_stops_at_its_row():
    message, reading, peak = refused(hostile.xlsx_long_cell(5_000_000), "long.xlsx")
    assert message == "Row 2 has a cell longer than 2,000 characters."
    assert reading.lines == 2
    assert peak < PEAK_LIMIT


@pytest.mark.parametrize(
    "build",
    [hostile.xlsx_entity_bomb, hostile.xlsx_broken_xml, hostile.zip_not_a_workbook],
    ids=["entity bomb", "broken XML", "a zip of something else"],
)
def test_a_malformed_workbook_gets_the_workbook_message(build):
    message, _reading, peak = refused(build(), "teams.xlsx")
    assert message.startswith("This file cannot be read as a workbook")
    assert peak < PEAK_LIMIT


def test_the_workbook_message_is_in_french_too():
    with translation.override("fr"):
        message = refused(hostile.xlsx_broken_xml(), "equipes.xlsx")[0]
    assert message.startswith("Ce fichier ne peut pas être lu comme un classeur")


def test_every_limit_message_is_in_french():
    with translation.override("fr"):
        messages = [
            refused(hostile.csv_commas())[0],
            refused(hostile.csv_rows(MAX_ROWS + 1))[0],
            refused(hostile.csv_long_cell(MAX_CELL_CHARS + 1))[0],
            refused(hostile.xlsx_million_rows(), "rows.xlsx")[0],
        ]
    assert messages == [
        "La ligne 1 a plus de 50 colonnes : 50 au plus peuvent être lues.",
        "Le fichier a plus de 20\u00a0000 lignes : 20\u00a0000 au plus peuvent être importées"
        " à la fois ; découpez-le.",
        "La ligne 2 a une cellule de plus de 2\u00a0000 caractères.",
        "Ce classeur contient une partie (xl/worksheets/sheet1.xml) de plus de 20 Mo une fois"
        " décompressée.",
    ]


# --- an encoding that is only a guess -------------------------------------------------


def test_a_windows_1252_file_of_french_text_is_read_and_marked_as_a_guess():
    table = read_table(
        "code;name\nlyon;Réception « Œuvre »\n".encode("cp1252"), columns=TEAM_COLUMNS
    )
    assert table.encoding_guess == "cp1252"
    assert table.suspect_problems(table.rows[0][1]) == []


def test_a_shift_jis_file_is_not_taken_for_french_text():
    data = "code;name\ntokyo;東京本社\nsato;山田太郎\nsuzuki;鈴木\n".encode("shift_jis")
    table = read_table(data, columns=TEAM_COLUMNS)
    assert table.encoding_guess == "cp1252"
    problems = [table.suspect_problems(values) for _number, values in table.rows]
    assert all(problems)
    assert problems[2] == [
        "Characters French text does not use: Ø. The file is not UTF-8 and was read as"
        " Windows-1252, a guess that looks wrong: save it as “CSV UTF-8” and check it again."
    ]


def test_a_shift_jis_file_that_windows_1252_cannot_decode_is_refused():
    data = "code;name\nosaka;大阪\n".encode("shift_jis")
    message = refused(data)[0]
    assert "save it as “CSV UTF-8”" in message


def test_a_utf8_file_is_no_guess():
    table = read_table("code;name\ntokyo;東京本社\n".encode(), columns=TEAM_COLUMNS)
    assert table.encoding_guess == ""
    assert table.suspect_problems(table.rows[0][1]) == []


def test_openpyxl_parses_through_defusedxml():
    # Without it, expat's own amplification limit is all that stands against a bomb.
    assert DEFUSEDXML
