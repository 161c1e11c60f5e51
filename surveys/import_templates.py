"""The files HR downloads to fill in: the import's columns named in the user's language,
then one example row that imports as it is (the people example uses the team example).
"""

import csv
import io

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

EXAMPLE_TEAM = "hotel-lyon"


def _examples():
    return {
        "teams": {
            "code": EXAMPLE_TEAM,
            "name": _("Lyon hotel"),
            "parent": "",
            "managers": "claire.martin@example.org",
        },
        "people": {
            "email": "lea.dubois@example.org",
            "side": _("employee"),
            "team": EXAMPLE_TEAM,
            "name": "Léa Dubois",
            "language": (get_language() or "fr")[:2],
        },
    }


def _french():
    return (get_language() or "").startswith("fr")


def template_rows(kind, columns):
    """[header, example] for the import `kind` ("teams" or "people"), in the active language."""
    french = _french()
    header = [column.french_name if french else column.name for column in columns]
    example = _examples()[kind]
    return [header, [example[column.name] for column in columns]]


def template_csv(kind, columns):
    """The template as CSV: semicolons (what French Excel expects), UTF-8 with a BOM so
    Excel does not take it for Windows-1252."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(template_rows(kind, columns))
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(kind, columns):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("People") if kind == "people" else _("Teams")
    for row in template_rows(kind, columns):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter in "ABCDE"[: len(columns)]:
        sheet.column_dimensions[letter].width = 28
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_filename(kind, fmt):
    names = {"teams": _("teams-template"), "people": _("people-template")}
    return f"{names[kind]}.{fmt}"
