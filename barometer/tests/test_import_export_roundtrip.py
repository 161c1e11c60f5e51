"""Past results imported from a spreadsheet, exported again: the numbers match an
independent computation from the definitions, and a small team reveals nothing."""

import io
import json
import math
import random

import pandas as pd
import pytest
from django.core.management import call_command

from conftest import make_team

pytestmark = pytest.mark.django_db

DIMENSIONS = ["listening", "trust", "values"]


def spreadsheet(tmp_path, teams):
    """Random answers: (team, side, respondents); about one cell in ten left empty."""
    rng = random.Random(20261122)
    rows = []
    for team, side, count in teams:
        for _ in range(count):
            row = {"side": side, "team": team, "recommend": rng.randint(0, 10)}
            for code in DIMENSIONS:
                row[code] = rng.choice([0, 1, 2, 3, 4, 5, ""]) if rng.random() > 0.1 else ""
            rows.append(row)
    path = tmp_path / "history.csv"
    pd.DataFrame(rows).to_csv(path, sep=";", index=False)
    return pd.DataFrame(rows)


def nps_by_definition(values):
    values = list(values)
    n = len(values)
    promoters, detractors = sum(v >= 9 for v in values), sum(v <= 6 for v in values)
    score = 100 * (promoters - detractors) / n
    # DESIGN's adjusted Wald, written out again from its definition.
    p, d = (promoters + 0.75) / (n + 3), (detractors + 0.75) / (n + 3)
    half = 1.96 * 100 * math.sqrt(((p + d) - (p - d) ** 2) / (n + 3))
    centre = 100 * (p - d)
    return score, [max(-100, centre - half), min(100, centre + half)]


def favourable_by_definition(values):
    answered = [int(v) for v in values if v != "" and int(v) != 0]
    return sum(v >= 4 for v in answered) / len(answered), sum(answered) / len(answered)


def test_exported_figures_match_the_definitions_to_the_last_decimal(tmp_path, org):
    make_team("lyon-bar", parent=org["site"])
    make_team("lyon-spa", parent=org["site"])
    raw = spreadsheet(
        tmp_path,
        [
            ("lyon-reception", "employee", 23),
            ("lyon-reception", "client", 41),
            ("lyon-kitchen", "employee", 17),
            ("lyon-kitchen", "client", 29),
            # Below k = 5, so suppressed; together they reach k, so that nothing can
            # be derived by subtracting the published teams from the site.
            ("lyon-bar", "employee", 2),
            ("lyon-bar", "client", 3),
            ("lyon-spa", "employee", 3),
            ("lyon-spa", "client", 2),
        ],
    )
    call_command("import_responses", "2024-q4", str(tmp_path / "history.csv"))
    out = io.StringIO()
    call_command("export_barometer", "2024-q4", "--format", "json", stdout=out)
    document = json.loads(out.getvalue())
    teams = {team["code"]: team for team in document["teams"]}

    for code in ("lyon-reception", "lyon-kitchen"):
        for side in ("employee", "client"):
            mine = raw[(raw.team == code) & (raw.side == side)]
            figures = teams[code][side]
            score, interval = nps_by_definition(mine.recommend)
            assert figures["nps"] == pytest.approx(score, abs=1e-9)
            assert figures["nps_ci95"] == pytest.approx(interval, abs=1e-9)
            for dimension in DIMENSIONS:
                favourable, mean = favourable_by_definition(mine[dimension])
                assert figures["dimensions"][dimension]["favourable"] == pytest.approx(favourable)
                assert figures["dimensions"][dimension]["mean"] == pytest.approx(mean)
        gap = (
            teams[code]["client"]["dimensions"]["trust"]["favourable"]
            - teams[code]["employee"]["dimensions"]["trust"]["favourable"]
        ) * 100
        assert teams[code]["symmetry"]["gaps"]["trust"] == pytest.approx(gap)

    # The whole site rolls up from raw counts, the bar's answers included.
    site_employees = raw[raw.side == "employee"]
    assert teams["lyon"]["employee"]["nps"] == pytest.approx(
        nps_by_definition(site_employees.recommend)[0]
    )
    # The bar's two sides are hidden, and nothing in them betrays its answers.
    assert teams["lyon-bar"]["employee"] == {"status": "suppressed", "invited": 0}
    assert teams["lyon-bar"]["client"] == {"status": "suppressed", "invited": 0}
