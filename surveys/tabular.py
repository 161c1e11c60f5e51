"""Reading a spreadsheet the way HR saves it: CSV (comma, semicolon or tab, UTF-8 with
or without BOM, Windows-1252, UTF-16) or XLSX, through pandas.

The result keeps the row numbers the user sees in the spreadsheet (the header on
its own row, blank rows skipped but counted), so every problem can point at a row.
Also here: the row-by-row report of a check, and keeping a checked table in the
session between the preview and the confirmation.
"""

import csv
import io
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
ALLOWED_SUFFIXES = {"", ".csv", ".txt", ".tsv", ".xlsx"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


class ImportFileError(Exception):
    """A file that cannot be read as a table at all; the message says why, for the user."""


@dataclass
class Column:
    name: str
    required: bool
    aliases: tuple = ()

    def matches(self, header):
        return header in {self.name, *self.aliases}


@dataclass
class Table:
    """Data rows of a file: `rows` is a list of (row number, {column: stripped text})."""

    columns: list
    rows: list

    def to_json(self):
        return {"columns": self.columns, "rows": [[n, values] for n, values in self.rows]}

    @classmethod
    def from_json(cls, data):
        return cls(columns=list(data["columns"]), rows=[(n, dict(v)) for n, v in data["rows"]])


def _normalise_header(text):
    text = unicodedata.normalize("NFC", str(text)).strip().lower().lstrip("\ufeff")
    return " ".join(text.split())


def _decode(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise ImportFileError(_("This is not a CSV or XLSX file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # What older French spreadsheet software writes for "CSV".
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The characters of this file could not be read: save it as “CSV UTF-8” and retry.")
        ) from None


def _delimiter(text):
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_grid(data):
    text = _decode(data)
    delimiter = _delimiter(text)
    try:
        # pandas sizes rows on the first line; give it the widest so ragged rows still read.
        records = csv.reader(io.StringIO(text), delimiter=delimiter)
        width = max((len(record) for record in records), default=0)
        if not width:
            raise ImportFileError(_("The file is empty."))
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            names=range(width),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, csv.Error) as error:
        raise ImportFileError(
            _("The file is not valid CSV: %(error)s") % {"error": error}
        ) from None
    return frame.fillna("")


def _xlsx_grid(data):
    try:
        frame = pd.read_excel(
            io.BytesIO(data), header=None, dtype=str, keep_default_na=False, engine="openpyxl"
        )
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFileError(
            _("This file could not be read as an Excel workbook (.xlsx).")
        ) from None
    return frame.fillna("")


def read_table(data, *, columns, filename="", strict=False):
    """Parse CSV or XLSX bytes into a Table with the given Columns; raise ImportFileError.

    Header cells are matched case-insensitively (aliases too); other columns are
    ignored, or refused when `strict`. Refused: files over 5 MB or 20,000 rows, no
    header, missing required columns, a column given twice, unreadable encodings,
    old .xls, anything else.
    """
    suffix = Path(filename).suffix.lower()
    if suffix == ".xls" or data.startswith(OLE_MAGIC):
        raise ImportFileError(_("Old Excel files (.xls) cannot be read: save it as .xlsx or CSV."))
    if suffix not in ALLOWED_SUFFIXES:
        raise ImportFileError(_("Only CSV and XLSX files can be imported."))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB: split it.") % {"size": MAX_FILE_BYTES >> 20}
        )
    frame = _xlsx_grid(data) if data.startswith(ZIP_MAGIC) else _csv_grid(data)
    grid = [[str(cell).strip() for cell in row] for row in frame.itertuples(index=False)]
    return _table_from_grid(grid, columns, strict=strict)


def read_table_file(path, *, columns, strict=False):
    """Read a file from disk like `read_table`; a missing or too big file raises ImportFileError."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(
                _("The file is larger than %(size)s MB: split it.") % {"size": MAX_FILE_BYTES >> 20}
            )
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(
            _("The file could not be opened: %(error)s") % {"error": error.strerror}
        ) from None
    return read_table(data, columns=columns, filename=path.name, strict=strict)


def _table_from_grid(grid, columns, strict=False):
    start = next((i for i, row in enumerate(grid) if any(row)), None)
    if start is None:
        raise ImportFileError(_("The file is empty."))
    positions, unknown = {}, []
    for position, header in enumerate(grid[start]):
        header = _normalise_header(header)
        column = next((column for column in columns if column.matches(header)), None)
        if column is None:
            if header:
                unknown.append(header)
            continue
        if column.name in positions:
            raise ImportFileError(
                _("The column “%(column)s” appears twice.") % {"column": column.name}
            )
        positions[column.name] = position
    if strict and unknown:
        raise ImportFileError(
            _("Unknown column(s): %(unknown)s.") % {"unknown": ", ".join(unknown)}
        )
    missing = [
        column.name for column in columns if column.required and column.name not in positions
    ]
    if missing:
        raise ImportFileError(
            _("Missing column(s): %(missing)s. The first row must name the columns: %(all)s.")
            % {"missing": ", ".join(missing), "all": ", ".join(column.name for column in columns)}
        )
    rows = []
    for index in range(start + 1, len(grid)):
        cells = grid[index]
        if not any(cells):
            continue
        values = {name: cells[position] for name, position in positions.items()}
        rows.append((index + 1, values))
    if not rows:
        raise ImportFileError(_("The file has column names but no rows."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)s rows; at most %(max)s can be imported at once.")
            % {"count": len(rows), "max": f"{MAX_ROWS:,}"}
        )
    ordered = [column.name for column in columns if column.name in positions]
    return Table(columns=ordered, rows=rows)


# --- what a check found, row by row ---------------------------------------------

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class RowReport:
    number: int
    cells: list
    action: str = ""
    changes: list = field(default_factory=list)
    problems: list = field(default_factory=list)


@dataclass
class ImportReport:
    columns: list
    rows: list
    accounts: int = 0

    @property
    def ok(self):
        return not any(row.problems for row in self.rows)

    @property
    def problem_rows(self):
        return [row for row in self.rows if row.problems]

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action and not row.problems)

    @property
    def created(self):
        return self.count(CREATE)

    @property
    def updated(self):
        return self.count(UPDATE)

    @property
    def unchanged(self):
        return self.count(UNCHANGED)


class ImportRefused(Exception):
    """The rows have problems (perhaps new ones since the preview); nothing was written."""

    def __init__(self, report):
        super().__init__(_("The file has problems: nothing was imported."))
        self.report = report


def report_lines(report):
    """One plain-text line per row and problem, for the command line."""
    labels = {CREATE: _("create"), UPDATE: _("update"), UNCHANGED: _("unchanged")}
    lines = []
    for row in report.rows:
        head = _("row %(number)s") % {"number": row.number}
        if row.problems:
            lines.extend(f"{head}: {_('problem')}: {problem}" for problem in row.problems)
        else:
            detail = f" ({'; '.join(row.changes)})" if row.changes else ""
            lines.append(f"{head}: {labels[row.action]} {row.cells[0]}{detail}")
    return lines


# --- keeping a checked file between the preview and the confirmation -------------------


def _session_key(kind):
    return f"surveys.import.{kind}"


def preview_store(session, kind, table):
    """Keep a checked Table in the (server-side) session; return the token the confirm form posts.

    With `table` None, forget any earlier preview of this kind and return None, so a
    file with problems can never be confirmed.
    """
    session.pop(_session_key(kind), None)
    if table is None:
        return None
    token = secrets.token_urlsafe(16)
    session[_session_key(kind)] = {"token": token, "table": table.to_json()}
    return token


def preview_take(session, kind, token):
    """The Table stored under `token` (removing it from the session), or None if no such preview."""
    stored = session.get(_session_key(kind))
    if not stored or not token or not secrets.compare_digest(stored["token"], str(token)):
        return None
    del session[_session_key(kind)]
    return Table.from_json(stored["table"])
