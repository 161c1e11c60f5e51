"""The people import screen: upload → preview (writes nothing) → confirm (all rows or none)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.models import Person

pytestmark = pytest.mark.django_db
UPLOAD = reverse("surveys:people_import")
CONFIRM = reverse("surveys:people_import_confirm")
GOOD = "email;side;team;name\nlea@x.org;salarié;lyon-reception;Léa\ntom@x.org;client;lyon;\n"


@pytest.fixture(autouse=True)
def english_and_fast_hashing(settings):
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def upload(client, text, name="people.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, text.encode("utf-8-sig"))})


def test_the_upload_page_explains_the_columns(client, hr_user):
    client.force_login(hr_user)
    response = client.get(UPLOAD)
    assert response.status_code == 200
    assert "<code>language</code>" in response.text


def test_the_preview_writes_nothing_and_confirming_imports_everyone(client, hr_user, org):
    Person.objects.create(side="client", email="tom@x.org", team=org["sibling"])
    client.force_login(hr_user)
    response = upload(client, GOOD)
    report = response.context["report"]
    assert [(row.number, row.action) for row in report.rows] == [(2, "create"), (3, "update")]
    assert "team: lyon-kitchen → lyon" in response.text
    assert Person.objects.count() == 1
    response = client.post(CONFIRM, {"token": response.context["token"]}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("surveys:people")
    assert "Import done: 1 created, 1 updated, 0 unchanged." in response.text
    assert set(Person.objects.values_list("side", "email", "team__code")) == {
        ("employee", "lea@x.org", "lyon-reception"),
        ("client", "tom@x.org", "lyon"),
    }


def test_a_file_with_problems_lists_them_by_row_and_cannot_be_confirmed(client, hr_user, org):
    client.force_login(hr_user)
    response = upload(client, "email,side,team\nlea@x.org,employee,lyon\nlea@x.org,salarie,lyon\n")
    assert response.context["token"] is None
    assert "Row 3: lea@x.org (Employees) is already on row 2." in response.text
    response = client.post(CONFIRM, {"token": ""}, follow=True)
    assert "This preview is no longer available" in response.text
    assert not Person.objects.exists()


def test_a_malformed_file_gets_a_clear_message(client, hr_user, org):
    client.force_login(hr_user)
    response = upload(client, "", name="people.csv")
    assert response.context["form"].errors["file"]
    response = upload(client, "email,team\nlea@x.org,lyon\n")
    assert "Missing column(s): side." in response.context["form"].errors["file"][0]
    assert not Person.objects.exists()


def test_a_forged_confirmation_imports_nothing(client, hr_user, org):
    client.force_login(hr_user)
    upload(client, GOOD)
    response = client.post(CONFIRM, {"token": "forged"}, follow=True)
    assert "This preview is no longer available" in response.text
    assert not Person.objects.exists()


def test_a_teams_preview_token_cannot_confirm_a_people_import(client, hr_user, org):
    client.force_login(hr_user)
    teams = reverse("surveys:teams_import")
    csv = SimpleUploadedFile("t.csv", b"code,name\nparis,Paris\n")
    token = client.post(teams, {"file": csv}).context["token"]
    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "This preview is no longer available" in response.text
    assert not Person.objects.exists()


def test_importing_requires_login(client):
    assert client.get(UPLOAD)["Location"].startswith(reverse("login"))
    assert client.post(CONFIRM, {"token": "x"})["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [UPLOAD, CONFIRM])
def test_a_stranger_gets_404(client, stranger, url):
    client.force_login(stranger)
    assert client.post(url, {"file": SimpleUploadedFile("p.csv", GOOD.encode())}).status_code == 404


@pytest.mark.parametrize("url", [UPLOAD, CONFIRM])
def test_a_manager_gets_403(client, manager, url):
    client.force_login(manager)
    assert client.post(url, {"file": SimpleUploadedFile("p.csv", GOOD.encode())}).status_code == 403
    assert not Person.objects.exists()
