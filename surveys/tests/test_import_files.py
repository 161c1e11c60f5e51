"""Reading the spreadsheets HR saves: CSV in its dialects and encodings, XLSX, and bad files."""

import pandas as pd
import pytest
from django.utils import translation

from surveys.import_columns import PEOPLE_COLUMNS, TEAM_COLUMNS
from surveys.tabular import MAX_ROWS, ImportFileError, read_table, read_table_file


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def read_teams(data, filename="teams.csv"):
    return read_table(data, columns=TEAM_COLUMNS, filename=filename)


def refusal(data, filename="teams.csv"):
    with pytest.raises(ImportFileError) as error:
        read_teams(data, filename)
    return str(error.value)


def test_a_comma_separated_file_is_read_with_its_row_numbers():
    table = read_teams(b"code,name,parent\nlyon,Lyon,\nlyon-desk,Desk,lyon\n")
    assert table.columns == ["code", "name", "parent"]
    assert table.rows == [
        (2, {"code": "lyon", "name": "Lyon", "parent": ""}),
        (3, {"code": "lyon-desk", "name": "Desk", "parent": "lyon"}),
    ]


def test_a_semicolon_file_with_a_bom_from_french_excel_is_read():
    data = "code;name;managers\r\nlyon;Réception, étage 2;a@x.org, b@x.org\r\n".encode("utf-8-sig")
    table = read_teams(data)
    assert table.rows == [
        (2, {"code": "lyon", "name": "Réception, étage 2", "managers": "a@x.org, b@x.org"})
    ]


def test_a_windows_1252_file_is_read_without_mangling_accents():
    table = read_teams("code;name\nlyon;Réception\n".encode("cp1252"))
    assert table.rows[0][1]["name"] == "Réception"


def test_a_utf16_tab_separated_export_is_read():
    table = read_teams("code\tname\nlyon\tCafé\n".encode("utf-16"))
    assert table.rows[0][1] == {"code": "lyon", "name": "Café"}


def test_blank_rows_are_skipped_but_counted_in_row_numbers():
    table = read_teams(b"code,name\n\nlyon,Lyon\n,\nparis,Paris\n")
    assert [number for number, _values in table.rows] == [3, 5]


def test_headers_match_whatever_their_case_spaces_or_french_name():
    table = read_teams(b" Code ;NOM;Responsables\nlyon;Lyon;a@x.org\n")
    assert table.columns == ["code", "name", "managers"]
    data = "E-mail;Côté;Équipe;Langue\nlea@x.org;client;lyon;fr\n".encode()
    table = read_table(data, columns=PEOPLE_COLUMNS, filename="personnes.csv")
    assert table.columns == ["email", "side", "team", "language"]


def test_unknown_columns_are_ignored_and_cells_trimmed():
    table = read_teams(b"code,comment,name\n  lyon ,whatever, Lyon \n")
    assert table.rows == [(2, {"code": "lyon", "name": "Lyon"})]


def test_quoted_cells_with_separators_and_ragged_rows_are_read():
    table = read_teams(b'code,name\nlyon,"Lyon, centre"\nparis,Paris,extra\n')
    assert table.rows[0][1]["name"] == "Lyon, centre"
    assert table.rows[1][1]["name"] == "Paris"


def test_an_xlsx_workbook_is_read_with_numbers_as_text(tmp_path):
    path = tmp_path / "people.xlsx"
    frame = pd.DataFrame(
        {"email": ["lea@x.org", "tom@x.org"], "side": ["salarié", "client"], "team": [12, "lyon"]}
    )
    frame.to_excel(path, index=False)
    table = read_table_file(path, columns=PEOPLE_COLUMNS)
    assert table.columns == ["email", "side", "team"]
    assert table.rows == [
        (2, {"email": "lea@x.org", "side": "salarié", "team": "12"}),
        (3, {"email": "tom@x.org", "side": "client", "team": "lyon"}),
    ]


def test_xlsx_row_numbers_count_blank_rows_above_the_header(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet["A3"], sheet["B3"] = "code", "name"
    sheet["A5"], sheet["B5"] = "lyon", "Lyon"
    workbook.save(tmp_path / "teams.xlsx")
    table = read_table_file(tmp_path / "teams.xlsx", columns=TEAM_COLUMNS)
    assert table.rows == [(5, {"code": "lyon", "name": "Lyon"})]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\n \n", "The file is empty."),
        (b"code,name\n", "The file has column names but no rows."),
        (b"code,title\nlyon,Lyon\n", "Missing column(s): name."),
        (b"code,name,nom\nlyon,Lyon,Lyon\n", "The column “name” appears twice."),
        (b"\x00\x01\x02binary", "This is not a CSV or XLSX file."),
        (b"PK\x03\x04not really a workbook", "cannot be read as a workbook"),
        (b"\xd0\xcf\x11\xe0old excel", "Old Excel files (.xls)"),
        (b"code,name\n\x81\x8d\x8f,x\n", "save it as “CSV UTF-8”"),
    ],
)
def test_an_unreadable_file_is_refused_with_a_clear_message(data, message):
    assert message in refusal(data)


def test_a_pdf_is_refused_by_its_name():
    assert "Only CSV and XLSX files" in refusal(b"code,name\n", "org.pdf")


def test_a_file_over_five_megabytes_is_refused():
    data = b"code,name\n" + b"x,y\n" * (5 * 1024 * 1024 // 4 + 1)
    assert "larger than 5 MB" in refusal(data)


def test_more_than_twenty_thousand_rows_are_refused():
    data = b"code,name\n" + b"x,y\n" * (MAX_ROWS + 1)
    assert "at most 20,000" in refusal(data)


def test_a_missing_file_on_disk_is_reported(tmp_path):
    with pytest.raises(ImportFileError, match="could not be opened"):
        read_table_file(tmp_path / "nowhere.csv", columns=TEAM_COLUMNS)
