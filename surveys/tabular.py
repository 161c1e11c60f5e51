"""Reading a spreadsheet the way HR saves it: CSV (comma, semicolon or tab, UTF-8 with
or without BOM, Windows-1252, UTF-16) or XLSX, under the limits of surveys/sheets.py.

The result keeps the row numbers the user sees in the spreadsheet (the header on
its own row, blank rows skipped but counted), so every problem can point at a row.
Also here: the row-by-row report of a check, and keeping a checked table in the
session between the preview and the confirmation.
"""

import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from surveys.sheets import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    Reading,
    check_rows,
    foreign_characters,
    read_capped,
    sheet_rows,
    too_large_message,
)

__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "ImportFileError", "Reading"]

ALLOWED_SUFFIXES = {"", ".csv", ".txt", ".tsv", ".xlsx"}


@dataclass
class Column:
    name: str
    required: bool
    aliases: tuple = ()
    # The header a template in French gives it (one of the aliases, or the name).
    french: str = ""
    description: str | Promise = ""  # a lazy translation: shown in the user's language

    def matches(self, header):
        return header in {self.name, *self.aliases}

    @property
    def names(self):
        """Every header accepted for this column, the English name first."""
        return [self.name, *self.aliases]

    @property
    def french_name(self):
        return self.french or self.name

    @property
    def other_names(self):
        """The accepted headers other than the English and the French names."""
        return [alias for alias in self.aliases if alias != self.french_name]


@dataclass
class Table:
    """Data rows of a file: `rows` is a list of (row number, {column: stripped text}).

    `encoding_guess` names the encoding a CSV was decoded with when that was only a
    guess (Windows-1252 for a file that is not UTF-8), else it is empty.
    """

    columns: list
    rows: list
    encoding_guess: str = ""

    def to_json(self):
        return {
            "columns": self.columns,
            "rows": [[n, values] for n, values in self.rows],
            "encoding_guess": self.encoding_guess,
        }

    @classmethod
    def from_json(cls, data):
        return cls(
            columns=list(data["columns"]),
            rows=[(n, dict(v)) for n, v in data["rows"]],
            encoding_guess=data.get("encoding_guess", ""),
        )

    def suspect_problems(self, values):
        """When the encoding was guessed, the problem of a row holding characters French
        text does not use (what a Shift-JIS file read as Windows-1252 looks like)."""
        if not self.encoding_guess:
            return []
        found = foreign_characters("".join(values.values()))
        if not found:
            return []
        return [
            _(
                "Characters French text does not use: %(characters)s. The file is not UTF-8"
                " and was read as Windows-1252, a guess that looks wrong: save it as"
                " “CSV UTF-8” and check it again."
            )
            % {"characters": " ".join(found)}
        ]


def _normalise_header(text):
    text = unicodedata.normalize("NFC", str(text)).strip().lower().lstrip("\ufeff")
    return " ".join(text.split())


def read_table(data, *, columns, filename="", strict=False, reading=None):
    """Parse CSV or XLSX bytes into a Table with the given Columns; raise ImportFileError.

    Header cells are matched case-insensitively (aliases too); other columns are
    ignored, or refused when `strict`. Refused: files over 5 MB, more than 20,000
    rows, a value past the 50th column, a cell over 2,000 characters, an XLSX part
    over 20 MB uncompressed, no header, missing required columns, a column given
    twice, unreadable encodings or workbooks, old .xls, anything else. Reading stops
    at the first row past a limit; `reading` (a Reading) tells how far it went.
    """
    reading = reading if reading is not None else Reading()
    suffix = Path(filename).suffix.lower()
    if suffix == ".xls":
        raise ImportFileError(_("Old Excel files (.xls) cannot be read: save it as .xlsx or CSV."))
    if suffix not in ALLOWED_SUFFIXES:
        raise ImportFileError(_("Only CSV and XLSX files can be imported."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(too_large_message())
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    table = _table_from_rows(sheet_rows(data, reading), columns, strict=strict)
    table.encoding_guess = reading.encoding if reading.encoding_guessed else ""
    return table


def read_table_file(path, *, columns, strict=False, reading=None):
    """Read a file from disk like `read_table`; a missing or too big file raises ImportFileError."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(too_large_message())
        with path.open("rb") as handle:
            data = read_capped(handle)
    except OSError as error:
        raise ImportFileError(
            _("The file could not be opened: %(error)s") % {"error": error.strerror}
        ) from None
    return read_table(data, columns=columns, filename=path.name, strict=strict, reading=reading)


def _positions(header_cells, columns, strict):
    positions, unknown = {}, []
    for position, header in enumerate(header_cells):
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
    return positions


def _table_from_rows(numbered_rows, columns, strict=False):
    positions, rows = None, []
    for number, cells in numbered_rows:
        if not any(cells):
            continue
        if positions is None:
            positions = _positions(cells, columns, strict)
            continue
        values = {
            name: cells[position] if position < len(cells) else ""
            for name, position in positions.items()
        }
        rows.append((number, values))
        check_rows(len(rows))
    if positions is None:
        raise ImportFileError(_("The file is empty."))
    if not rows:
        raise ImportFileError(_("The file has column names but no rows."))
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
    encoding_guess: str = ""

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
