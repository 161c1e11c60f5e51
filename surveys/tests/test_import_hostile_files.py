"""Hostile and broken files through the HR import screens and the import commands:
a clear message in the user's language, never a 500, and nothing written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from surveys.models import Person, Team
from surveys.sheets import MAX_FILE_BYTES
from surveys.tests import hostile_sheets as hostile
from surveys.views.importing import CappedUploadHandler

pytestmark = pytest.mark.django_db
TEAMS = reverse("surveys:teams_import")
PEOPLE = reverse("surveys:people_import")
WORKBOOK_EN = "This file cannot be read as a workbook"
WORKBOOK_FR = "Ce fichier ne peut pas être lu comme un classeur"
PEOPLE_HEADER = b"email,side,team"


def upload(client, url, data, name):
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(
    "build",
    [hostile.xlsx_entity_bomb, hostile.xlsx_broken_xml, hostile.zip_not_a_workbook],
    ids=["entity bomb", "broken XML", "a zip of something else"],
)
@pytest.mark.parametrize(("language", "message"), [("en", WORKBOOK_EN), ("fr", WORKBOOK_FR)])
def test_a_malformed_workbook_gets_the_workbook_message_on_the_screen(
    client, hr_user, build, language, message
):
    client.force_login(hr_user)
    client.cookies["django_language"] = language
    response = upload(client, TEAMS, build(), "equipes.xlsx")
    assert response.status_code == 200
    assert message in response.text
    assert "report" not in response.context
    assert not Team.objects.exists()


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (hostile.csv_commas, "Row 1 has more than 50 columns"),
        (lambda: hostile.csv_rows(20_001, PEOPLE_HEADER), "more than 20,000 rows"),
        (
            lambda: hostile.csv_long_cell(5_000, PEOPLE_HEADER),
            "Row 2 has a cell longer than 2,000 characters.",
        ),
    ],
    ids=["a million commas", "too many rows", "a long cell"],
)
def test_each_limit_is_refused_on_the_people_screen_and_nothing_is_written(
    english, hr_user, build, message
):
    english.force_login(hr_user)
    response = upload(english, PEOPLE, build(), "people.csv")
    assert response.status_code == 200
    assert message in response.text
    assert not Person.objects.exists()


def test_an_xlsx_of_two_million_rows_is_refused_on_the_screen(english, hr_user):
    english.force_login(hr_user)
    response = upload(english, TEAMS, hostile.xlsx_million_rows(), "teams.xlsx")
    assert "larger than 20 MB once uncompressed" in response.text
    assert not Team.objects.exists()


@pytest.mark.parametrize(
    "size", [MAX_FILE_BYTES + 1, 3 * MAX_FILE_BYTES], ids=["just over", "far over"]
)
def test_an_upload_over_the_cap_is_stopped_while_it_arrives(english, hr_user, monkeypatch, size):
    received = []
    real = CappedUploadHandler.receive_data_chunk

    def counting(handler, raw_data, start):
        received.append(start + len(raw_data))
        return real(handler, raw_data, start)

    monkeypatch.setattr(CappedUploadHandler, "receive_data_chunk", counting)
    english.force_login(hr_user)
    response = upload(english, TEAMS, b"x" * size, "big.csv")
    assert response.status_code == 200
    assert "The file is larger than 5 MB: split it." in response.text
    # Django hands the handlers 64 KB chunks: the last one seen crosses the cap.
    assert MAX_FILE_BYTES < max(received) <= MAX_FILE_BYTES + 64 * 1024
    assert not Team.objects.exists()


def test_the_capped_upload_still_checks_the_csrf_token(hr_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(hr_user)
    response = upload(client, TEAMS, b"code,name\nlyon,Lyon\n", "teams.csv")
    assert response.status_code == 403


def test_a_shift_jis_file_is_flagged_and_cannot_be_confirmed(english, hr_user):
    english.force_login(hr_user)
    data = "code;name\ntokyo;東京本社\nkyoto;Kyoto\n".encode("shift_jis")
    response = upload(english, TEAMS, data, "teams.csv")
    assert "It was read as Windows-1252, which is only a guess" in response.text
    report = response.context["report"]
    assert report.encoding_guess == "cp1252"
    assert [bool(row.problems) for row in report.rows] == [True, False]
    assert "Characters French text does not use: ‹ ž Ž Ð." in response.text
    assert response.context["token"] is None
    assert not Team.objects.exists()


def test_a_windows_1252_file_of_french_text_says_it_is_a_guess_and_imports(english, hr_user):
    english.force_login(hr_user)
    data = "code;name\nlyon;Réception\n".encode("cp1252")
    response = upload(english, TEAMS, data, "teams.csv")
    assert "only a guess" in response.text
    token = response.context["token"]
    assert token
    english.post(reverse("surveys:teams_import_confirm"), {"token": token})
    assert Team.objects.get(code="lyon").name == "Réception"


# --- the commands share the reading ---------------------------------------------------


def command_error(*args):
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
    return str(error.value)


@pytest.mark.parametrize(
    ("build", "name", "message"),
    [
        (hostile.xlsx_entity_bomb, "teams.xlsx", WORKBOOK_EN),
        (hostile.xlsx_broken_xml, "teams.xlsx", WORKBOOK_EN),
        (hostile.csv_commas, "teams.csv", "Row 1 has more than 50 columns"),
        (lambda: hostile.csv_rows(20_001), "teams.csv", "more than 20,000 rows"),
        (lambda: hostile.csv_long_cell(5_000), "teams.csv", "longer than 2,000 characters"),
        (hostile.xlsx_million_rows, "teams.xlsx", "larger than 20 MB once uncompressed"),
    ],
    ids=["entity bomb", "broken XML", "commas", "rows", "long cell", "2 M rows"],
)
@pytest.mark.parametrize("command", ["import_teams", "import_people"])
def test_the_import_commands_refuse_hostile_files(tmp_path, command, build, name, message):
    path = tmp_path / name
    data = build()
    if command == "import_people" and name.endswith(".csv"):
        data = data.replace(b"code,name", PEOPLE_HEADER, 1)
    path.write_bytes(data)
    with translation.override("en"):
        assert message in command_error(command, str(path))
    assert not Team.objects.exists()
    assert not Person.objects.exists()


def test_import_responses_refuses_a_broken_workbook(tmp_path):
    path = tmp_path / "history.xlsx"
    path.write_bytes(hostile.xlsx_entity_bomb())
    assert WORKBOOK_EN in command_error("import_responses", "2025-q4", str(path))


def test_import_responses_refuses_a_shift_jis_file_row_by_row(tmp_path, org):
    path = tmp_path / "history.csv"
    path.write_bytes("side;team;comment\nclient;lyon;東京本社\n".encode("shift_jis"))
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_responses", "2025-q4", str(path), stdout=io.StringIO(), stderr=stderr)
    assert "row 2: Characters French text does not use" in stderr.getvalue()
