"""Reading the cells of an uploaded spreadsheet under limits checked as it is read.

A hostile file must be refused before it costs memory or time: the bytes are
capped before parsing, every part of an XLSX is capped on what it really inflates
to (a zip's headers can lie), and the rows, their width and each cell's length are
counted as the rows come, so reading stops at the first one past a limit. CSV is
read with the standard `csv` module row by row, XLSX with openpyxl in read-only
mode (its XML goes through defusedxml, which refuses entity declarations).

`sheet_rows` yields (spreadsheet row number, [stripped cell texts]) and leaves the
meaning of the columns to surveys/tabular.py.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass

import openpyxl
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# Blank rows are skipped but counted; a file that is mostly blank rows is hostile.
MAX_LINES = 2 * MAX_ROWS + 1
MAX_COLUMNS = 50
# The longest value an import takes is a comment of 2,000 characters (import_responses).
MAX_CELL_CHARS = 2_000
# A workbook's own parts (sheet XML, shared strings, styles) once inflated: 20,000 rows
# of 20 text columns take about 12 MB of sheet XML, so 20 MB leaves room and still
# keeps what openpyxl loads whole (the shared strings) far below 100 MB of memory.
MAX_PART_BYTES = 20 * 1024 * 1024
MAX_WORKBOOK_BYTES = 40 * 1024 * 1024
MAX_PARTS = 500
# What openpyxl may build before our row checks run: a row holding more cells than
# any honest file (formatted empty cells included), and all the cells 20,000 rows
# of 50 columns hold.
MAX_CELLS_PER_ROW = 1_000
MAX_CELLS = MAX_ROWS * MAX_COLUMNS
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
INFLATE_CHUNK = 64 * 1024


class ImportFileError(Exception):
    """A file that cannot be read as a table at all; the message says why, for the user."""


@dataclass
class Reading:
    """How far reading went: what the limit tests and the benchmark look at."""

    lines: int = 0  # spreadsheet rows handed over, blank ones included
    inflated: int = 0  # bytes of XLSX parts inflated
    scanned_rows: int = 0  # XLSX rows counted while inflating, before openpyxl reads any
    encoding: str = ""  # the encoding a CSV was decoded with
    encoding_guessed: bool = False  # True when that encoding is a guess (Windows-1252)


def _number(value):
    return number_format(value, force_grouping=True)


def too_large_message():
    return _("The file is larger than %(size)s MB: split it.") % {"size": MAX_FILE_BYTES >> 20}


def unreadable_workbook():
    return ImportFileError(
        _(
            "This file cannot be read as a workbook: open it in your spreadsheet software"
            " and save it again as .xlsx (or as CSV UTF-8)."
        )
    )


def _too_many_rows():
    return ImportFileError(
        _("The file has more than %(max)s rows: at most %(max)s can be imported at once; split it.")
        % {"max": _number(MAX_ROWS)}
    )


def _too_wide(number):
    return ImportFileError(
        _("Row %(row)s has more than %(max)s columns: at most %(max)s can be read.")
        % {"row": number, "max": MAX_COLUMNS}
    )


def _too_long(number):
    return ImportFileError(
        _("Row %(row)s has a cell longer than %(max)s characters.")
        % {"row": number, "max": _number(MAX_CELL_CHARS)}
    )


# --- CSV ---------------------------------------------------------------------------


def _unreadable_characters():
    return ImportFileError(
        _("The characters of this file could not be read: save it as “CSV UTF-8” and retry.")
    )


def _decode(data, reading):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        reading.encoding = "utf-16"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _unreadable_characters() from None
    if b"\x00" in data:
        raise ImportFileError(_("This is not a CSV or XLSX file."))
    try:
        reading.encoding = "utf-8"
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # What older French spreadsheet software writes for "CSV"; any byte string
        # but five decodes so, hence only a guess the preview must say.
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise _unreadable_characters() from None
    reading.encoding, reading.encoding_guessed = "cp1252", True
    return text


def _delimiter(text):
    header = next((line for line in io.StringIO(text) if line.strip()), "")
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_rows(data, reading):
    text = _decode(data, reading)
    records = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    number = 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except csv.Error as error:
            # The module's own cap on a field (128 K characters) is far above ours.
            if "field limit" in str(error):
                raise _too_long(records.line_num) from None
            raise ImportFileError(
                _("The file is not valid CSV: %(error)s") % {"error": error}
            ) from None
        number += 1
        yield number, record


# --- XLSX --------------------------------------------------------------------------


def _part_too_large(name):
    return ImportFileError(
        _("This workbook holds a part (%(part)s) larger than %(size)s MB once uncompressed.")
        % {"part": name, "size": MAX_PART_BYTES >> 20}
    )


# A row or cell element, prefixed or not. In XML text a "<" is always markup (text
# escapes it), so counting these is an upper bound on what openpyxl will build.
SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?(row|c|v|is)[\s/>]")
TAG_CARRY = 64


@dataclass
class _PartScan:
    """Counts row and cell elements over a part's bytes as they are inflated."""

    name: str
    rows: int = 0
    valued_rows: int = 0  # rows holding a value (<v> or <is>): the header and data rows
    cells: int = 0
    row_cells: int = 0
    row_valued: bool = False
    carry: bytes = b""

    def feed(self, chunk):
        text = self.carry + chunk
        # A tag starting in the last TAG_CARRY bytes may be cut: it is counted with the
        # next chunk (a tag is shorter than that, its prefix being bounded).
        cut = len(text) if not chunk else max(0, len(text) - TAG_CARRY)
        for match in SHEET_TAG.finditer(text, 0, len(text)):
            if match.start() >= cut:
                break
            self._count(match.group(1))
        self.carry = text[cut:]

    def _count(self, tag):
        if tag == b"row":
            self.rows, self.row_cells, self.row_valued = self.rows + 1, 0, False
            if self.rows > MAX_LINES:
                raise _too_many_rows()
            return
        if tag in (b"v", b"is"):
            if not self.row_valued:
                self.row_valued, self.valued_rows = True, self.valued_rows + 1
                # The header, then at most MAX_ROWS rows: refused before openpyxl reads any.
                if self.valued_rows > MAX_ROWS + 1:
                    raise _too_many_rows()
            return
        self.cells += 1
        self.row_cells += 1
        if self.row_cells > MAX_CELLS_PER_ROW:
            raise _too_wide(max(self.rows, 1))
        if self.cells > MAX_CELLS:
            raise _too_many_rows()


def _check_parts(archive, reading):
    """Inflate every part with a cap before openpyxl opens any: the declared sizes first,
    then the bytes really produced (a part that lies stops at the cap), counting its
    rows and cells on the way so that openpyxl never builds a hostile row."""
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise unreadable_workbook()
    if any(info.file_size > MAX_PART_BYTES for info in infos):
        raise _part_too_large(next(i.filename for i in infos if i.file_size > MAX_PART_BYTES))
    total = 0
    for info in infos:
        size, scan = 0, _PartScan(info.filename)
        with archive.open(info) as member:
            while chunk := member.read(INFLATE_CHUNK):
                size += len(chunk)
                reading.inflated += len(chunk)
                if size > MAX_PART_BYTES:
                    raise _part_too_large(info.filename)
                try:
                    scan.feed(chunk)
                finally:
                    reading.scanned_rows = max(reading.scanned_rows, scan.rows)
            scan.feed(b"")
            reading.scanned_rows = max(reading.scanned_rows, scan.rows)
        total += size
        if total > MAX_WORKBOOK_BYTES:
            raise ImportFileError(
                _("This workbook is larger than %(size)s MB once uncompressed.")
                % {"size": MAX_WORKBOOK_BYTES >> 20}
            )


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value)


def _open_workbook(data, reading):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_parts(archive, reading)
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception:
        # openpyxl answers a broken or hostile workbook with whatever its parsing met
        # (ParseError, EntitiesForbidden, KeyError, TypeError…): all mean "unreadable".
        raise unreadable_workbook() from None


def _xlsx_rows(data, reading):
    workbook = _open_workbook(data, reading)
    try:
        sheet = workbook.worksheets[0]
        # The <dimension> a file declares may be a lie (A1:XFD1048576); without it
        # each row is as wide as its last cell.
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if len(row) > MAX_COLUMNS:
                tail = row[MAX_COLUMNS:]
                # Formatted but empty cells far right are common; counted in C first.
                if tail.count(None) != len(tail) and any(_cell_text(v).strip() for v in tail):
                    reading.lines = number
                    raise _too_wide(number)
                row = row[:MAX_COLUMNS]
            yield number, [_cell_text(value) for value in row]
    except ImportFileError:
        raise
    except Exception:
        raise unreadable_workbook() from None
    finally:
        workbook.close()


# --- both --------------------------------------------------------------------------


def sheet_rows(data, reading):
    """(row number, [stripped cells]) of CSV or XLSX bytes, each row checked as it comes.

    Raises ImportFileError at the first row past MAX_LINES, the first one wider than
    MAX_COLUMNS (every CSV field counts; in XLSX, formatted empty cells do not) or
    holding a cell longer than MAX_CELL_CHARS; the caller counts data rows against
    MAX_ROWS with `check_rows`.
    """
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(_("Old Excel files (.xls) cannot be read: save it as .xlsx or CSV."))
    rows = _xlsx_rows(data, reading) if data.startswith(ZIP_MAGIC) else _csv_rows(data, reading)
    for number, cells in rows:
        reading.lines = number
        if number > MAX_LINES:
            raise _too_many_rows()
        if len(cells) > MAX_COLUMNS:
            raise _too_wide(number)
        if any(len(cell) > MAX_CELL_CHARS for cell in cells):
            raise _too_long(number)
        yield number, [cell.strip() for cell in cells]


def check_rows(count):
    """Refuse the data row past MAX_ROWS as soon as it is read."""
    if count > MAX_ROWS:
        raise _too_many_rows()


def read_capped(handle):
    """The bytes of an open binary file, reading no further than one byte past the cap."""
    data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(too_large_message())
    return data


# --- characters a Windows-1252 guess makes suspect -----------------------------------

FRENCH_TEXT = (
    frozenset("àâäæçéèêëîïôöœùûüÿÀÂÄÆÇÉÈÊËÎÏÔÖŒÙÛÜŸ«»‘’“”–—…€°\u00a0")
    | frozenset(chr(code) for code in range(0x20, 0x7F))
    | frozenset("\t")
)


def foreign_characters(text):
    """The characters of `text` French text does not use, in order of appearance."""
    return "".join(dict.fromkeys(char for char in text if char not in FRENCH_TEXT))
