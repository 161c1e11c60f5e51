"""Creating a team: code, name, parent, managers by e-mail (unknown ones get an account)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from surveys.models import Team

pytestmark = pytest.mark.django_db
URL = reverse("surveys:team_create")


@pytest.fixture(autouse=True)
def english_and_fast_hashing(settings):
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_form_offers_active_teams_as_parents(client, hr_user, org):
    Team.objects.filter(code="lyon-kitchen").update(archived=True)
    client.force_login(hr_user)
    response = client.get(URL)
    assert response.status_code == 200
    parents = {team.code for team in response.context["form"].fields["parent"].queryset}
    assert parents == {"lyon", "lyon-reception"}


def test_hr_creates_a_team_with_an_existing_and_a_new_manager(
    client, hr_user, org, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(hr_user)
    data = {
        "code": "lyon-bar",
        "name": "Bar",
        "parent": org["site"].pk,
        "managers": "Marc@example.org; nina@x.org",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:teams")
    team = Team.objects.get(code="lyon-bar")
    assert (team.name, team.parent) == ("Bar", org["site"])
    assert set(team.managers.values_list("username", flat=True)) == {
        "marc@example.org",
        "nina@x.org",
    }
    assert [message["To"] for message in smtp_server] == ["nina@x.org"]
    assert "Team “Bar” created." in client.get(response["Location"]).text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"code": "lyon", "name": "Again"}, "code", "A team with this code already exists."),
        ({"code": "not a slug", "name": "X"}, "code", "Enter a valid “slug”"),
        ({"code": "x", "name": ""}, "name", "This field is required."),
        ({"code": "x", "name": "X", "managers": "ok@x.org, nope"}, "managers", "nope"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_written(client, hr_user, org, data, field, message):
    client.force_login(hr_user)
    users = get_user_model().objects.count()
    response = client.post(URL, data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert Team.objects.count() == 3
    assert get_user_model().objects.count() == users


def test_an_archived_parent_is_refused(client, hr_user, org):
    Team.objects.filter(code="lyon").update(archived=True)
    client.force_login(hr_user)
    response = client.post(URL, {"code": "x", "name": "X", "parent": org["site"].pk})
    assert "parent" in response.context["form"].errors
    assert not Team.objects.filter(code="x").exists()


def test_creating_requires_login(client):
    response = client.post(URL, {"code": "x", "name": "X"})
    assert response["Location"].startswith(reverse("login"))
    assert not Team.objects.exists()


def test_a_stranger_gets_404(client, stranger):
    client.force_login(stranger)
    assert client.post(URL, {"code": "x", "name": "X"}).status_code == 404
    assert not Team.objects.exists()


def test_a_manager_gets_403(client, manager):
    client.force_login(manager)
    assert client.post(URL, {"code": "x", "name": "X"}).status_code == 403
    assert not Team.objects.filter(code="x").exists()
