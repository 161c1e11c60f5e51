"""import_responses: past barometers brought in, all rows or none."""

import datetime

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from barometer.models import Snapshot
from surveys.models import Answer, Campaign, Response

pytestmark = pytest.mark.django_db

HEADER = "side;team;recommend;listening;trust;comment\n"


def write(tmp_path, text, name="past.csv", bom=False):
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def test_a_missing_campaign_is_created_closed_with_its_snapshot(tmp_path, org):
    rows = "".join(
        f"employee;lyon-reception;{9 + i % 2};4;5;\nclient;lyon-reception;8;{i % 5};0;Bien\n"
        for i in range(5)
    )
    path = write(tmp_path, HEADER + rows, bom=True)

    call_command(
        "import_responses",
        "2025-q4",
        str(path),
        "--name",
        "Baromètre 2025",
        "--closed-on",
        "2025-12-15",
    )

    campaign = Campaign.objects.get(slug="2025-q4")
    assert (campaign.status, campaign.historical, campaign.closes_on) == (
        "closed",
        True,
        datetime.date(2025, 12, 15),
    )
    assert campaign.name == "Baromètre 2025"
    assert Response.objects.filter(campaign=campaign, channel="import").count() == 10
    assert Answer.objects.filter(question__code="trust", value=0).count() == 5  # "don't know"
    document = Snapshot.objects.latest_for(campaign).document
    team = next(t for t in document["teams"] if t["code"] == "lyon-reception")
    assert team["employee"]["nps"] == pytest.approx(100.0)
    assert team["employee"]["dimensions"]["listening"]["n"] == 5


def test_an_xlsx_file_with_comma_decimals_of_whole_numbers_is_read(tmp_path, org):
    frame = pd.DataFrame(
        {"side": ["client"] * 3, "team": ["lyon-kitchen"] * 3, "recommend": [10, 7, 3]}
    )
    path = tmp_path / "past.xlsx"
    frame.to_excel(path, index=False)
    call_command("import_responses", "2025-q3", str(path))
    assert Response.objects.count() == 3


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("visitor;lyon-reception;9;4;4;", "side: “visitor” is neither employee nor client"),
        ("employee;paris;9;4;4;", "team: unknown code “paris”"),
        ("employee;lyon-reception;11;4;4;", "recommend: 11 is outside 0–10"),
        ("employee;lyon-reception;9;6;4;", "listening: 6 is outside 0–5"),
        ("employee;lyon-reception;9;beaucoup;4;", "listening: “beaucoup” is not a number"),
        ("employee;lyon-reception;9;3.5;4;", "listening: 3.5 is outside 0–5"),
    ],
)
def test_any_bad_row_imports_nothing_and_says_which(tmp_path, org, capsys, line, message):
    good = "employee;lyon-reception;9;4;4;\n"
    path = write(tmp_path, HEADER + good + line + "\n")
    with pytest.raises(CommandError, match="1 row"):
        call_command("import_responses", "2025-q2", str(path))
    assert f"row 3: {message}" in capsys.readouterr().err
    assert not Campaign.objects.filter(slug="2025-q2").exists()
    assert Response.objects.count() == 0


def test_an_unknown_question_column_is_refused(tmp_path, org):
    path = write(tmp_path, "side,team,recommend,happiness\nemployee,lyon-reception,9,4\n")
    with pytest.raises(CommandError, match=r"Unknown column.*happiness"):
        call_command("import_responses", "2025-q1", str(path))
    assert Campaign.objects.count() == 0


def test_an_unknown_template_is_refused(tmp_path, org):
    path = write(tmp_path, HEADER + "employee;lyon-reception;9;4;4;\n")
    with pytest.raises(CommandError, match="No template named “Nope”"):
        call_command("import_responses", "2025-q1", str(path), "--template", "Nope")
