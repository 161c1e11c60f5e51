"""The reports' SVG charts, tested as text: what they write, what they leave out. No
database, no WeasyPrint."""

import xml.etree.ElementTree as ET

from django.utils import translation

from barometer import charts
from barometer.dashboards import wording
from barometer.dashboards.tables import mirror_rows
from barometer.pdf import svg, svg_overview
from barometer.tests.test_charts import DIMENSIONS, side, team

with translation.override("en"):
    EN = wording.chart_labels(5)
NS = "{http://www.w3.org/2000/svg}"


def texts(drawn):
    """The words of an SVG, in order (it must parse: escaped names stay text)."""
    root = ET.fromstring(drawn)  # noqa: S314 - our own output, the thing under test
    return [element.text for element in root.iter(f"{NS}text")]


def bars(drawn, colour):
    root = ET.fromstring(drawn)  # noqa: S314 - our own output
    return [r for r in root.iter(f"{NS}rect") if r.get("fill") == colour]


def test_the_mirror_writes_both_shares_and_the_gap():
    sides = {"employee": side(listening=0.5, trust=0.8), "client": side(listening=0.7, trust=0.6)}
    drawn = svg.mirror_svg(sides, {"gaps": {"listening": 20.0, "trust": -20.0}}, {}, DIMENSIONS, EN)
    words = texts(drawn)
    assert {"50%", "70%", "80%", "60%", "+20", "−20", "Gap"} <= set(words)
    assert len(bars(drawn, charts.EMPLOYEE)) == 2 and len(bars(drawn, charts.CLIENT)) == 2


def test_a_hidden_side_is_said_and_drawn_nowhere():
    sides = {"employee": side(listening=0.5, trust=0.8), "client": side("suppressed")}
    drawn = svg.mirror_svg(sides, {"gaps": {}}, {}, DIMENSIONS, EN)
    assert "Hidden to protect anonymity:" in " ".join(texts(drawn))
    assert bars(drawn, charts.CLIENT) == []


def test_a_figure_left_out_reads_hidden_like_everywhere_else():
    sides = {"employee": side(listening=None, trust=0.8), "client": side(listening=0.7)}
    words = texts(svg.mirror_svg(sides, {"gaps": {}}, {}, DIMENSIONS, EN))
    assert words.count(EN["suppressed_short"]) == 1  # the employees' listening, too few
    assert words.count(EN["no_data_short"]) == 1  # the clients were not asked about trust


def test_names_are_text_never_markup():
    name = '<a href="http://evil.example">Bar</a> & co'
    teams = [team("bar", name="<b>Bar</b> & co", gaps={"listening": 5.0, "trust": 1.0})]
    assert "<b>Bar</b> & co" in texts(svg_overview.heatmap_svgs(teams, DIMENSIONS, EN)[0])
    teams = [team("bar", name=name, gaps={"listening": 5.0, "trust": 1.0})]
    assert '<a href="http://evil.example">Bar…' in texts(
        svg_overview.heatmap_svgs(teams, DIMENSIONS, EN)[0]
    )
    points = [{"code": "bar", "name": name, "enps": 10.0, "nps": 20.0, "responses": 12}]
    assert name in texts(svg_overview.scatter_svg(points, {}, {}, EN))


def test_a_long_heatmap_comes_in_pieces_that_fit_a_page():
    teams = [team(f"t{n}", gaps={"listening": 5.0}) for n in range(80)]
    teams[3]["client"] = side("suppressed")
    pieces = svg_overview.heatmap_svgs(teams, DIMENSIONS, EN)
    assert len(pieces) == 3  # 36 + 36 + 8 rows
    assert texts(pieces[0]).count(EN["suppressed_short"]) == 2  # both cells of team t3


def test_the_nps_chart_and_the_trend_say_why_a_score_is_missing():
    sides = {"employee": side(nps=12.0), "client": side("no_data")}
    words = texts(svg.nps_svg(sides, {}, EN))
    assert "+12" in words and EN["no_data"] in words
    points = [
        {
            "label": "Spring 2026",
            "team": {**sides, "symmetry": {"index": 90.0}},
            "organisation": {},
        },
        {"label": "Autumn 2026", "team": None, "organisation": {}},
    ]
    words = texts(svg.trend_svg(points, EN))
    assert "Spring 2026" in words and "Autumn 2026" in words


def test_the_mirror_table_says_hidden_like_its_charts():
    entry = {
        "employee": side(listening=None, trust=0.8),
        "client": side(listening=0.7),
        "symmetry": {"gaps": {}},
    }
    with translation.override("en"):
        rows = {row["code"]: row for row in mirror_rows(entry, DIMENSIONS, EN)}
    assert (rows["listening"]["employee"], rows["listening"]["employee_n"]) == ("hidden", "hidden")
    assert rows["trust"]["client"] == "no data" and rows["trust"]["employee"] == "80%"
