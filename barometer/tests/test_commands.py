"""compute_barometer and export_barometer on the command line."""

import io
import json

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from barometer.models import Snapshot
from barometer.tests.factories import add_responses, make_campaign
from conftest import make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org):
    bar = make_team("lyon-bar", parent=org["site"])
    campaign = make_campaign(teams=[org["team"], org["sibling"], bar], k=3, status="closed")
    add_responses(campaign, org["team"], "employee", 4, recommend=10, listening=5)
    add_responses(campaign, org["team"], "client", 4, recommend=6, listening=2)
    # Two small client groups: each hidden, but together at least k (nothing derivable).
    add_responses(campaign, org["sibling"], "client", 2, recommend=0)
    add_responses(campaign, bar, "client", 2, recommend=0)
    return campaign


def test_compute_barometer_stores_a_snapshot_and_says_so(campaign):
    out = io.StringIO()
    call_command("compute_barometer", campaign.slug, stdout=out)
    assert Snapshot.objects.filter(campaign=campaign).count() == 1
    assert "12 responses" in out.getvalue()


def test_compute_barometer_refuses_an_unknown_campaign(db):
    with pytest.raises(CommandError, match="No campaign with the slug 'nope'"):
        call_command("compute_barometer", "nope")


def test_export_json_is_the_results_document(campaign):
    out = io.StringIO()
    call_command("export_barometer", campaign.slug, "--format", "json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["campaign"]["slug"] == campaign.slug
    assert document["thresholds"] == {"scores": 3, "comments": 3}
    kitchen = next(t for t in document["teams"] if t["code"] == "lyon-kitchen")
    assert kitchen["client"] == {"status": "suppressed", "invited": 0}


def test_export_csv_has_one_row_per_team_and_side_with_suppression_kept(campaign, tmp_path):
    target = tmp_path / "results.csv"
    call_command(
        "export_barometer",
        campaign.slug,
        "--format",
        "csv",
        "--output",
        str(target),
        "--language",
        "en",
    )
    table = pd.read_csv(target, encoding="utf-8-sig", keep_default_na=False)
    code, side = table["Team code"], table["Side"]
    reception = table[(code == "lyon-reception") & (side == "Employees")].iloc[0]
    kitchen = table[(code == "lyon-kitchen") & (side == "Clients")].iloc[0]
    assert reception["NPS"] == "100.0"
    assert reception["Listening and feedback: favourable (%)"] == "100.0"
    assert kitchen["Status"] == "hidden"
    assert kitchen["NPS"] == "hidden"
    assert kitchen["Respondents in the figures"] == "hidden"


def test_export_csv_is_in_french_by_default(campaign, tmp_path):
    target = tmp_path / "results.csv"
    call_command("export_barometer", campaign.slug, "--format", "csv", "--output", str(target))
    table = pd.read_csv(
        target, sep=";", decimal=",", encoding="utf-8-sig", na_values=["masqué", "aucune donnée"]
    )
    reception = table[
        (table["Code de l’équipe"] == "lyon-reception") & (table["Côté"] == "Salariés")
    ]
    assert reception["NPS"].tolist() == [100.0]


def test_export_xlsx_has_the_three_sheets(campaign, tmp_path):
    target = tmp_path / "results.xlsx"
    call_command(
        "export_barometer",
        campaign.slug,
        "--format",
        "xlsx",
        "--output",
        str(target),
        "--language",
        "en",
    )
    sheets = pd.read_excel(target, sheet_name=None)
    assert list(sheets) == ["Results by side", "Symmetry", "Correlations", "Read me"]
    symmetry = sheets["Symmetry"].set_index("Team code")
    assert symmetry.loc["lyon-reception", "Listening and feedback: gap (points)"] == -100


def test_export_xlsx_needs_an_output_file(campaign):
    with pytest.raises(CommandError, match="--output"):
        call_command("export_barometer", campaign.slug, "--format", "xlsx")
