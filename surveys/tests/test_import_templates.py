"""The import screens name every accepted column, in English and French, and offer
templates to download in the user's language, which import as they are."""

import io

import openpyxl
import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.import_columns import PEOPLE_COLUMNS, TEAM_COLUMNS
from surveys.models import Person, Team

pytestmark = pytest.mark.django_db


def template(client, kind, fmt):
    response = client.get(reverse(f"surveys:{kind}_import_template", args=[fmt]))
    assert response.status_code == 200
    return response


def rows_of(response, fmt):
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
        return [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    frame = pd.read_csv(
        io.BytesIO(response.content),
        sep=";",
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
    )
    return [list(frame.columns), *frame.values.tolist()]


def import_through_the_screen(client, kind, response, fmt):
    upload = SimpleUploadedFile(f"template.{fmt}", response.content)
    preview = client.post(reverse(f"surveys:{kind}_import"), {"file": upload})
    assert preview.context["report"].ok, preview.context["report"].problem_rows
    token = preview.context["token"]
    done = client.post(reverse(f"surveys:{kind}_import_confirm"), {"token": token}, follow=True)
    assert "Import" in done.text
    return done


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_french_templates_use_french_names_and_import_as_they_are(client, hr_user, fmt):
    client.force_login(hr_user)
    client.cookies["django_language"] = "fr"
    teams = template(client, "teams", fmt)
    assert rows_of(teams, fmt) == [
        ["code", "nom", "parent", "responsables"],
        ["hotel-lyon", "Hôtel de Lyon", "", "claire.martin@example.org"],
    ]
    assert f'filename="modele-equipes.{fmt}"' in teams["Content-Disposition"]
    people = template(client, "people", fmt)
    assert rows_of(people, fmt) == [
        ["courriel", "côté", "équipe", "nom", "langue"],
        ["lea.dubois@example.org", "salarié", "hotel-lyon", "Léa Dubois", "fr"],
    ]
    import_through_the_screen(client, "teams", teams, fmt)
    import_through_the_screen(client, "people", people, fmt)
    assert Team.objects.get(code="hotel-lyon").managers.get().email == "claire.martin@example.org"
    person = Person.objects.get()
    assert (person.side, person.team.code, person.language) == ("employee", "hotel-lyon", "fr")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_english_templates_use_english_names_and_import_as_they_are(english, hr_user, fmt):
    english.force_login(hr_user)
    teams = template(english, "teams", fmt)
    assert rows_of(teams, fmt)[0] == ["code", "name", "parent", "managers"]
    assert f'filename="teams-template.{fmt}"' in teams["Content-Disposition"]
    people = template(english, "people", fmt)
    assert rows_of(people, fmt) == [
        ["email", "side", "team", "name", "language"],
        ["lea.dubois@example.org", "employee", "hotel-lyon", "Léa Dubois", "en"],
    ]
    import_through_the_screen(english, "teams", teams, fmt)
    import_through_the_screen(english, "people", people, fmt)
    assert Person.objects.get().language == "en"


def test_the_csv_template_opens_in_french_excel(english, hr_user):
    english.force_login(hr_user)
    content = template(english, "people", "csv").content
    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").splitlines()[0] == "email;side;team;name;language"


@pytest.mark.parametrize(("kind", "columns"), [("teams", TEAM_COLUMNS), ("people", PEOPLE_COLUMNS)])
def test_the_screen_names_every_column_the_import_accepts(english, hr_user, kind, columns):
    english.force_login(hr_user)
    response = english.get(reverse(f"surveys:{kind}_import"))
    for column in columns:
        for name in column.names:
            assert f"<code>{name}</code>" in response.text
    for fmt in ("xlsx", "csv"):
        assert reverse(f"surveys:{kind}_import_template", args=[fmt]) in response.text
    assert "At most 5 MB, 20,000 rows, 50 columns and 2,000 characters in a cell." in response.text


def test_the_french_screen_says_the_columns_and_limits_in_french(client, hr_user):
    client.force_login(hr_user)
    client.cookies["django_language"] = "fr"
    response = client.get(reverse("surveys:people_import"))
    assert "Colonnes, en anglais ou en français" in response.text
    assert "<code>courriel</code>" in response.text
    assert "son adresse e-mail (obligatoire)" in response.text
    assert "Au plus 5 Mo, 20\u00a0000 lignes, 50 colonnes" in response.text


@pytest.mark.parametrize("kind", ["teams", "people"])
def test_templates_need_an_hr_login(client, manager, kind):
    url = reverse(f"surveys:{kind}_import_template", args=["csv"])
    assert client.get(url).status_code == 302
    client.force_login(manager)
    assert client.get(url).status_code == 403


def test_an_unknown_template_format_is_not_found(client, hr_user):
    client.force_login(hr_user)
    assert client.get(reverse("surveys:teams_import_template", args=["pdf"])).status_code == 404
