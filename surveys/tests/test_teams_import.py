"""The teams import screen: upload → preview (writes nothing) → confirm (all rows or none)."""

import io

import pandas as pd
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.models import Team

pytestmark = pytest.mark.django_db
UPLOAD = reverse("surveys:teams_import")
CONFIRM = reverse("surveys:teams_import_confirm")
GOOD = "code;name;parent;managers\nlyon-desk;Desk;lyon;nina@x.org\nlyon;Lyon;;\n"


@pytest.fixture(autouse=True)
def english_and_fast_hashing(settings):
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def upload(client, text, name="teams.csv"):
    data = text if isinstance(text, bytes) else text.encode("utf-8-sig")
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)})


def test_the_upload_page_explains_the_columns(client, hr_user):
    client.force_login(hr_user)
    response = client.get(UPLOAD)
    assert response.status_code == 200
    assert "<code>managers</code>" in response.text


def test_the_preview_shows_every_row_and_writes_nothing(client, hr_user, smtp_server):
    client.force_login(hr_user)
    response = upload(client, GOOD)
    assert response.status_code == 200
    report = response.context["report"]
    assert [(row.number, row.action) for row in report.rows] == [(2, "create"), (3, "create")]
    assert "new account for nina@x.org" in response.text
    assert response.context["token"]
    assert "Import 2 rows" in response.text
    assert not Team.objects.exists()
    assert not get_user_model().objects.filter(username="nina@x.org").exists()
    assert smtp_server == []


def test_confirming_applies_every_row_and_sums_up(
    client, hr_user, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(hr_user)
    token = upload(client, GOOD).context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONFIRM, {"token": token}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("surveys:teams")
    assert "Import done: 2 created, 0 updated, 0 unchanged." in response.text
    assert "1 manager account created" in response.text
    assert Team.objects.get(code="lyon-desk").parent.code == "lyon"
    assert [message["To"] for message in smtp_server] == ["nina@x.org"]


def test_an_xlsx_upload_is_previewed(client, hr_user):
    buffer = io.BytesIO()
    pd.DataFrame({"code": ["lyon"], "name": ["Lyon"]}).to_excel(buffer, index=False)
    client.force_login(hr_user)
    response = upload(client, buffer.getvalue(), "teams.xlsx")
    assert [row.action for row in response.context["report"].rows] == ["create"]


def test_a_file_with_problems_lists_them_by_row_and_cannot_be_confirmed(client, hr_user):
    client.force_login(hr_user)
    token = upload(client, GOOD).context["token"]
    response = upload(client, "code,name,parent\nlyon,Lyon,\nkid,Kid,nowhere\n")
    assert response.context["token"] is None
    assert (
        "Row 3: The parent “nowhere” is neither in the file nor an existing team." in response.text
    )
    assert "Import 2 rows" not in response.text
    # The earlier good preview was forgotten too: the bad upload replaced it.
    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "This preview is no longer available" in response.text
    assert not Team.objects.exists()


def test_a_malformed_file_gets_a_clear_message_and_no_preview(client, hr_user):
    client.force_login(hr_user)
    response = upload(client, "code,title\nlyon,Lyon\n")
    assert response.status_code == 200
    assert "Missing column(s): name." in response.context["form"].errors["file"][0]
    assert "report" not in response.context
    assert not Team.objects.exists()


def test_a_forged_confirmation_imports_nothing(client, hr_user):
    client.force_login(hr_user)
    upload(client, GOOD)
    response = client.post(CONFIRM, {"token": "forged"}, follow=True)
    assert "This preview is no longer available: upload the file again." in response.text
    client.post(CONFIRM, {"token": "", "rows": "lyon,Lyon"})
    assert not Team.objects.exists()


def test_a_preview_is_used_once(client, hr_user):
    client.force_login(hr_user)
    token = upload(client, GOOD).context["token"]
    client.post(CONFIRM, {"token": token})
    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "This preview is no longer available" in response.text
    assert Team.objects.count() == 2


def test_a_change_in_the_database_since_the_preview_is_caught_at_confirmation(client, hr_user, org):
    client.force_login(hr_user)
    token = upload(client, "code,name,parent\nlyon-bar,Bar,lyon\n").context["token"]
    Team.objects.filter(code="lyon").update(archived=True)
    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 200
    assert "The parent team “lyon” is archived." in response.text
    assert not Team.objects.filter(code="lyon-bar").exists()


def test_importing_requires_login(client):
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("t.csv", GOOD.encode())})
    assert response["Location"].startswith(reverse("login"))
    assert client.post(CONFIRM, {"token": "x"})["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [UPLOAD, CONFIRM])
def test_a_stranger_gets_404(client, stranger, url):
    client.force_login(stranger)
    assert client.post(url, {"file": SimpleUploadedFile("t.csv", GOOD.encode())}).status_code == 404
    assert not Team.objects.exists()


@pytest.mark.parametrize("url", [UPLOAD, CONFIRM])
def test_a_manager_gets_403(client, manager, url):
    client.force_login(manager)
    assert client.post(url, {"file": SimpleUploadedFile("t.csv", GOOD.encode())}).status_code == 403
    assert not Team.objects.filter(code="lyon-desk").exists()


def test_confirming_needs_a_post(client, hr_user):
    client.force_login(hr_user)
    assert client.get(CONFIRM).status_code == 405
