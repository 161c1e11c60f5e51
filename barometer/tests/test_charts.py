"""Chart builders, tested as data: which series, which colours, which words. No database."""

import json
from pathlib import Path

import plotly
import pytest
from django.utils import translation

from barometer import charts
from barometer.dashboards import pages, wording
from barometer.document import MIRRORED_DIMENSIONS

with translation.override("en"):
    EN = wording.chart_labels(5)
# The French catalogue is filled in later: these words stand in for it.
FR = {
    **EN,
    "decimal": ",",
    "separators": ", ",
    "percent": "{value}\u00a0%",
    "employees": "Salariés",
    "clients": "Clients",
    "gap": "Écart",
    "suppressed": "Masqué pour protéger l’anonymat",
    "suppressed_short": "masqué",
    "no_data": "Pas encore de réponses",
    "no_data_short": "aucune donnée",
}
DIMENSIONS = [("listening", "Listening and feedback"), ("trust", "Trust")]


def side(status="ok", nps=20.0, responses=10, **favourable):
    if status == "suppressed":
        return {"status": "suppressed", "invited": 12}
    if status == "no_data":
        return {"status": "no_data", "responses": 0, "invited": 12, "response_rate": 0.0}
    return {
        "status": "ok",
        "responses": responses,
        "invited": 12,
        "response_rate": responses / 12,
        "nps": nps,
        "nps_ci95": None if nps is None else [nps - 30, nps + 30],
        "dimensions": {
            code: {"favourable": value, "mean": 4.0, "n": None if value is None else responses}
            for code, value in favourable.items()
        },
        "comments": None,
    }


def team(code, parent=None, employee=None, client=None, gaps=None, name=None):
    return {
        "code": code,
        "name": name or code.title(),
        "parent": parent,
        "employee": employee or side(),
        "client": client or side(),
        "symmetry": {"gaps": gaps or {}, "index": None},
    }


ORG = {"employee": side(nps=10.0, listening=0.5), "client": side(nps=30.0, listening=0.6)}


def traces(figure, kind=None):
    return [trace for trace in figure["data"] if kind is None or trace["type"] == kind]


def notes(figure):
    return [note["text"] for note in figure["layout"].get("annotations", [])]


def test_every_figure_is_plain_json_with_the_house_config():
    figures = [
        charts.nps_figure({"employee": side(), "client": side()}, ORG, EN, "x-nps"),
        charts.mirror_figure(
            {"employee": side(listening=0.5), "client": side(listening=0.7)},
            {"gaps": {"listening": 20.0}},
            ORG,
            DIMENSIONS,
            EN,
        ),
        charts.perception_figure(charts.perception_rows(ORG, ["listening"]), EN),
        charts.trend_figure([{"label": "Q4", "team": team("a"), "organisation": ORG}], EN),
        charts.scatter_figure([], {"pearson": None, "teams": 0, "label": "insufficient"}, ORG, EN),
        charts.heatmap_figure([team("a")], DIMENSIONS, EN),
    ]
    for figure in figures:
        json.dumps(figure, allow_nan=False)
        assert figure["config"]["displaylogo"] is False
        assert figure["config"]["toImageButtonOptions"]["format"] == "png"
    assert figures[0]["config"]["toImageButtonOptions"]["filename"] == "x-nps"


def test_nps_figure_shows_both_scores_with_intervals_and_the_organisation():
    figure = charts.nps_figure({"employee": side(nps=-10.0), "client": side(nps=40.0)}, ORG, EN)
    client, org_client, employee, org_employee = traces(figure)
    assert (client["x"], client["marker"]["color"]) == ([40.0], charts.CLIENT)
    assert client["error_x"]["array"] == [30.0] and client["error_x"]["arrayminus"] == [30.0]
    assert (employee["x"], employee["marker"]["color"]) == ([-10.0], charts.EMPLOYEE)
    assert org_client["x"] == [30.0] and org_client["marker"]["symbol"] == "diamond-open"
    assert org_employee["x"] == [10.0]
    assert figure["layout"]["yaxis"]["ticktext"] == ["Client NPS", "Employee eNPS"]


def test_nps_interval_stops_at_the_ends_of_the_scale():
    figure = charts.nps_figure({"employee": side(nps=-90.0), "client": side(nps=90.0)}, {}, EN)
    client, employee = traces(figure)
    assert client["error_x"]["array"] == [10.0]
    assert employee["error_x"]["arrayminus"] == [10.0]


@pytest.mark.parametrize(
    ("status", "colour", "words"),
    [
        ("suppressed", charts.SUPPRESSED, "suppressed"),
        ("no_data", charts.NO_DATA_TEXT, "no_data"),
    ],
)
def test_a_side_without_a_score_says_why_in_its_own_colour(status, colour, words):
    figure = charts.nps_figure({"employee": side(), "client": side(status)}, ORG, FR)
    assert [trace["y"] for trace in traces(figure)] == [[1], [1]]  # the employees only
    (note,) = figure["layout"]["annotations"]
    assert note["font"]["color"] == colour
    assert note["text"].replace("<br>", " ") == FR[words]


def test_an_ok_side_with_too_few_answers_to_the_question_says_so():
    figure = charts.nps_figure({"employee": side(nps=None), "client": side()}, ORG, EN)
    assert notes(figure) == [charts.wrap(EN["too_few"], 70)]


def test_mirror_puts_employees_left_clients_right_and_marks_the_gap():
    sides = {
        "employee": side(listening=0.5, trust=0.9),
        "client": side(listening=0.7, trust=None),
    }
    figure = charts.mirror_figure(sides, {"gaps": {"listening": 20.0}}, ORG, DIMENSIONS, FR)
    employees, employees_org, clients, missing, clients_org = traces(figure)
    assert employees["x"] == [-50.0, -90.0] and employees["marker"]["color"] == charts.EMPLOYEE
    assert employees["text"] == ["50\u00a0%", "90\u00a0%"]
    assert clients["x"] == [70.0, None] and clients["marker"]["color"] == charts.CLIENT
    assert missing["y"] == ["Trust"] and missing["text"] == ["masqué"]  # one word for hidden
    assert employees_org["x"] == [-50.0, None] and clients_org["x"] == [60.0, None]
    gaps = {n["y"]: n for n in figure["layout"]["annotations"] if n.get("xref") == "paper"}
    assert gaps["Listening and feedback"]["text"] == "+20"
    assert gaps["Listening and feedback"]["font"]["color"] == charts.CLIENT
    assert gaps["Trust"]["text"] == "—"
    assert {"Salariés", "Clients", "Écart"} <= set(notes(figure))
    assert figure["layout"]["xaxis"]["ticktext"][0] == "100\u00a0%"


def test_mirror_leaves_a_hidden_side_empty_and_says_why():
    sides = {"employee": side(listening=0.5, trust=0.5), "client": side("suppressed")}
    figure = charts.mirror_figure(sides, {"gaps": {}}, ORG, DIMENSIONS, EN)
    assert {trace["name"] for trace in traces(figure)} == {"Employees", "Organisation"}
    hidden = [n for n in figure["layout"]["annotations"] if n["font"]["color"] == charts.SUPPRESSED]
    assert [n["text"].replace("<br>", " ") for n in hidden] == [EN["suppressed"]]


def test_a_mirror_with_both_sides_hidden_still_has_its_rows_for_the_gap_column():
    sides = {"employee": side("suppressed"), "client": side("no_data")}
    figure = charts.mirror_figure(sides, {"gaps": {}}, ORG, DIMENSIONS, EN)
    rows = [name for _, name in DIMENSIONS]
    assert [trace["y"] for trace in figure["data"]] == [rows]
    assert figure["data"][0]["marker"]["opacity"] == 0
    placed = [n["y"] for n in figure["layout"]["annotations"] if n.get("yref") == "y"]
    assert placed == rows


def test_perception_compares_what_one_side_thinks_with_what_the_other_says():
    sides = {
        "employee": side(listening=0.4, trust=0.6, perceived_other=0.9),
        "client": side(listening=0.5, trust=None, perceived_other=0.3),
    }
    served, treated = charts.perception_rows(sides, ["listening", "trust"])
    assert served["perceived"] == 0.9 and served["said"] == 0.5 and served["said_over"] == 1
    assert served["difference"] == pytest.approx(40.0)
    assert treated["perceived"] == 0.3 and treated["said"] == pytest.approx(0.5)
    assert treated["said_over"] == 2
    figure = charts.perception_figure([served, treated], FR)
    employees, clients = traces(figure)
    assert employees["marker"]["color"] == charts.EMPLOYEE
    assert employees["marker"]["symbol"] == ["circle-open", "circle"]
    assert employees["x"] == [90.0, 50.0]
    assert clients["x"] == [50.0, 30.0]
    assert employees["text"][0] == "employees think: 90\u00a0%"


def test_perception_is_empty_when_a_side_is_hidden():
    rows = charts.perception_rows({"employee": side(), "client": side("suppressed")}, ["trust"])
    assert [row["perceived"] for row in rows] == [None, None]
    assert rows[0]["difference"] is None


def test_trend_breaks_the_line_where_a_side_is_hidden():
    points = [
        {"label": "Q2", "team": team("a", client=side("suppressed")), "organisation": ORG},
        {"label": "Q4", "team": team("a", client=side(nps=50.0)), "organisation": ORG},
    ]
    figure = charts.trend_figure(points, EN)
    nps, enps, index, org_nps, _ = traces(figure)
    assert index["line"]["dash"] == "dash"
    assert nps["y"] == [None, 50.0] and nps["connectgaps"] is False
    assert enps["y"] == [20.0, 20.0]
    assert org_nps["y"] == [30.0, 30.0] and org_nps["line"]["dash"] == "dot"
    assert figure["layout"]["xaxis"]["ticktext"] == ["Q2", "Q4"]


def test_scatter_plots_leaf_teams_with_both_scores_and_a_fitted_line():
    teams = [
        team("site"),
        team("a", "site", employee=side(nps=10.0, responses=5), client=side(nps=20.0)),
        team("b", "site", employee=side(nps=30.0), client=side(nps=60.0)),
        team("c", "site", client=side("suppressed")),
    ]
    points = charts.scatter_points(teams)
    assert [p["code"] for p in points] == ["a", "b"]
    assert points[0]["responses"] == 15
    assert charts.fitted_line(points) == pytest.approx((0.0, 2.0))
    corr = {"pearson": 0.41, "pearson_ci95": [0.12, 0.64], "teams": 42, "label": "exploratory"}
    figure = charts.scatter_figure(points, corr, ORG, FR)
    dots, line, org = traces(figure)
    assert dots["x"] == [10.0, 30.0] and dots["y"] == [20.0, 60.0]
    assert line["y"] == pytest.approx([20.0, 60.0])
    assert org["x"] == [10.0] and org["y"] == [30.0]
    assert notes(figure)[0] == ("r = 0,41 (95% interval 0,12 to 0,64) · 42 teams · exploratory")


def test_scatter_without_enough_teams_says_so():
    corr = {"pearson": None, "pearson_ci95": None, "teams": 2, "label": "insufficient"}
    figure = charts.scatter_figure([], corr, {}, EN)
    assert traces(figure) == []
    assert notes(figure) == [
        "r: not measurable: 2 teams compared, at least 5 are needed",
        EN["no_points"],
    ]


def test_heatmap_tells_gaps_hidden_cells_and_no_data_apart():
    teams = [
        team(
            "a",
            gaps={"listening": -12.0},
            employee=side(listening=0.6, trust=None),
            client=side(listening=0.48, trust=0.5),
        ),
        team("b", client=side("suppressed")),
        team("c", employee=side("no_data")),
    ]
    cells = charts.heatmap_cells(teams, ["listening", "trust"])
    assert [[c["state"] for c in row] for row in cells] == [
        ["gap", "suppressed"],  # trust: fewer than k employee answers
        ["suppressed", "suppressed"],
        ["no_data", "no_data"],
    ]
    figure = charts.heatmap_figure(teams, DIMENSIONS, FR)
    gaps, hidden, empty = traces(figure, "heatmap")
    assert gaps["z"] == [[-12.0, None], [None, None], [None, None]]
    assert gaps["text"][0] == ["−12", ""]
    assert gaps["zmid"] == 0 and gaps["colorscale"][0][1] == charts.EMPLOYEE
    assert gaps["colorscale"][-1][1] == charts.CLIENT
    assert hidden["z"] == [[None, 1], [1, 1], [None, None]]
    assert hidden["text"] == [["", "masqué"], ["masqué", "masqué"], ["", ""]]
    assert hidden["colorscale"][0][1] == charts.SUPPRESSED
    assert empty["z"] == [[None, None], [None, None], [1, 1]]
    assert empty["text"][2] == ["aucune donnée", "aucune donnée"]
    assert empty["colorscale"][0][1] == charts.NO_DATA
    legend = [trace["name"] for trace in traces(figure, "scatter")]
    assert legend == [
        "Employees more favourable",
        "Clients more favourable",
        "Hidden to protect anonymity",
        "No data",
    ]
    # xgap/ygap keep plotly.js off the path that sets an inline style on the image.
    assert gaps["xgap"] > 0 and gaps["ygap"] > 0 and gaps["showscale"] is False


def test_each_heatmap_cell_hovers_in_the_one_layer_that_draws_it():
    teams = [team("a", gaps={"listening": 5.0, "trust": 0.0}), team("b", client=side("no_data"))]
    gaps, hidden, empty = traces(charts.heatmap_figure(teams, DIMENSIONS, EN), "heatmap")
    assert gaps["hovertext"][0] == [
        "A · Listening and feedback: gap +5 points",
        "A · Trust: gap 0 points",
    ]
    assert gaps["hovertext"][1] == ["", ""] and hidden["hovertext"] == [["", ""], ["", ""]]
    assert empty["hovertext"][1] == [
        "B · Listening and feedback: No answers yet",
        "B · Trust: No answers yet",
    ]
    assert {layer["hoverongaps"] for layer in (gaps, hidden, empty)} == {False}


def test_names_are_escaped_for_plotly():
    figure = charts.heatmap_figure([team("x", name='<a href="//evil">Bar</a>')], DIMENSIONS, EN)
    assert figure["layout"]["yaxis"]["ticktext"] == ['&lt;a href="//evil"&gt;Bar&lt;/a&gt;']
    assert charts.wrap("Engagement <b>vert</b> pour l’environnement", 14) == (
        "Engagement<br>&lt;b&gt;vert&lt;/b&gt;<br>pour<br>l’environnement"
    )


@pytest.mark.parametrize(
    ("labels", "value", "expected"),
    [(EN, -12.345, "−12.3"), (FR, -12.345, "−12,3"), (EN, -0.04, "0.0"), (FR, 3.0, "3,0")],
)
def test_numbers_follow_the_language(labels, value, expected):
    assert charts.number(value, labels, 1) == expected


def test_signed_and_percent():
    assert charts.signed(12.4, EN) == "+12"
    assert charts.signed(-0.2, EN) == "0"
    assert charts.signed(None, EN) == "—"
    assert charts.percent(0.655, FR) == "66\u00a0%"
    assert charts.percent(0.655, EN) == "66%"


def test_dimension_names_and_labels_follow_the_active_language():
    document = {"organisation": {"symmetry": {"gaps": {}}}}
    with translation.override("fr"):
        names = dict(wording.dimensions(document))
        assert wording.chart_labels(5)["decimal"] == ","
    assert names["listening"] == "Écoute et feedback"
    with translation.override("en"):
        names = dict(wording.dimensions(document))
    assert names["listening"] == "Listening and feedback"
    assert list(names) == list(MIRRORED_DIMENSIONS)


def test_the_plotly_guards_the_pages_rely_on_are_still_in_plotly_js():
    # If an upgrade renames them, plotly.js inserts inline styles again and the CSP
    # refuses them: the browser tests would catch it too, later and less clearly.
    source = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()
    assert f'"{pages.PLOTLY_MAPS_STYLE_ID}"' in source
    assert '"plotly.js-style-"+' in source and ".no-inline-styles" in source
    assert pages.PLOTLY_GLOBAL_STYLE_ID == "plotly.js-style-global"
