"""Hostile spreadsheets, built small: what the reading limits must refuse quickly.

Plain functions returning bytes (no Django), shared by the tests and bench/sheets.py.
"""

import functools
import io
import zipfile

from openpyxl import Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels"'
    ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OFFICE}.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{DOCUMENT_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOCUMENT_RELS}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{DOCUMENT_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def inline_row(number, *values):
    cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)
    return f'<row r="{number}">{cells}</row>'


def workbook_with_sheet(chunks, *, sheet_size=None):
    """An XLSX whose sheet XML is the given text chunks, written as they come (so a
    sheet of hundreds of MB never sits in memory); `sheet_size` overrides the size
    the zip's headers declare for it (a lie)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for chunk in chunks:
                sheet.write(chunk.encode())
    data = out.getvalue()
    if sheet_size is not None:
        data = _declare_size(data, "xl/worksheets/sheet1.xml", sheet_size)
    return data


def _declare_size(data, name, size):
    """Rewrite the uncompressed size the central directory gives `name`."""
    encoded = name.encode()
    at = data.rindex(b"PK\x01\x02", 0, data.rindex(encoded))
    return data[: at + 24] + size.to_bytes(4, "little") + data[at + 28 :]


@functools.cache
def xlsx_million_rows(rows=2_000_000):
    """A workbook of `rows` one-cell rows: a few hundred KB zipped, 26 MB of XML per
    million rows (issue #17's 854 KB file held 2 M rows)."""

    def chunks():
        yield SHEET_HEAD + inline_row(1, "code", "name")
        full, rest = divmod(rows, 10_000)
        batch = "<row><c><v>1</v></c></row>" * 10_000
        for _ in range(full):
            yield batch
        yield "<row><c><v>1</v></c></row>" * rest + SHEET_TAIL

    return workbook_with_sheet(chunks())


def xlsx_lying_part(max_part_bytes):
    """A sheet of 24 MB whose zip headers say it is just under `max_part_bytes`."""
    rows = [inline_row(n, "a" * 800, "b" * 800) for n in range(1, 15_000)]
    return workbook_with_sheet([SHEET_HEAD, *rows, SHEET_TAIL], sheet_size=max_part_bytes - 1)


def xlsx_rows(rows):
    """A workbook of a header and `rows` data rows, small enough to open (limit tests)."""
    lines = [inline_row(n + 2, f"t{n}", f"Team {n}") for n in range(rows)]
    return workbook_with_sheet([SHEET_HEAD, inline_row(1, "code", "name"), *lines, SHEET_TAIL])


def xlsx_wide_row(columns):
    return workbook_with_sheet(
        [SHEET_HEAD, inline_row(1, *(f"c{n}" for n in range(columns))), SHEET_TAIL]
    )


def xlsx_long_cell(length):
    return workbook_with_sheet(
        [SHEET_HEAD, inline_row(1, "code", "name"), inline_row(2, "lyon", "x" * length), SHEET_TAIL]
    )


def xlsx_entity_bomb():
    """Billion laughs in the sheet XML: ten levels of ten references each."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    ]
    head = (
        '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [' + "".join(entities) + "]>"
        f'<worksheet xmlns="{MAIN}"><sheetData>'
    )
    return workbook_with_sheet([head, inline_row(1, "code", "&lol9;"), SHEET_TAIL])


def xlsx_broken_xml():
    return workbook_with_sheet([SHEET_HEAD, '<row r="1"><c t="inlineStr"><is><t>code'])


def zip_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "code,name\nlyon,Lyon\n")
    return out.getvalue()


def csv_commas(commas=1_000_000):
    """One header row followed by a million commas: the file of issue #17."""
    return b"code,name" + b"," * commas + b"\nlyon,Lyon\n"


def csv_rows(rows, header=b"code,name"):
    return header + b"\n" + b"".join(b"t%d,Team\n" % n for n in range(rows))


def csv_long_cell(length, header=b"code,name"):
    return header + b"\nlyon," + b"x" * length + b"\n"


def real_workbook(rows):
    """What openpyxl itself writes: shared strings, styles (a sanity case)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name"])
    for n in range(rows):
        sheet.append([f"t{n}", f"Team {n}"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
