"""Editing a team: rename, move under another parent (never into its own subtree), managers."""

import pytest
from django.urls import reverse

from conftest import make_team
from surveys.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_and_fast_hashing(settings):
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def url(team):
    return reverse("surveys:team_edit", args=[team.pk])


def test_the_form_is_filled_with_the_team(client, hr_user, org):
    client.force_login(hr_user)
    response = client.get(url(org["team"]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["code"].value() == "lyon-reception"
    assert form["managers"].value() == "marc@example.org"
    assert org["team"] not in form.fields["parent"].queryset


def test_hr_renames_moves_and_changes_managers(client, hr_user, org):
    paris = make_team("paris", name="Paris")
    client.force_login(hr_user)
    data = {
        "code": "ignored",
        "name": "Accueil",
        "parent": paris.pk,
        "managers": "sofia@example.org",
    }
    response = client.post(url(org["team"]), data)
    assert response.status_code == 302
    team = Team.objects.get(pk=org["team"].pk)
    assert (team.code, team.name, team.parent) == ("lyon-reception", "Accueil", paris)
    assert list(team.managers.all()) == [org["sibling_manager"]]


def test_moving_a_team_under_its_own_subtree_is_refused_with_a_clear_message(client, hr_user, org):
    client.force_login(hr_user)
    data = {"name": "Lyon", "parent": org["team"].pk, "managers": ""}
    response = client.post(url(org["site"]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["parent"] == [
        "“Réception” is below “Lyon”: moving it there would make a loop."
    ]
    assert Team.objects.get(code="lyon").parent is None
    assert list(org["site"].managers.all()) == [org["site_manager"]]


def test_moving_to_the_top_level_is_allowed(client, hr_user, org):
    client.force_login(hr_user)
    client.post(url(org["team"]), {"name": "Réception", "parent": "", "managers": ""})
    team = Team.objects.get(pk=org["team"].pk)
    assert team.parent is None
    assert not team.managers.exists()


def test_an_unknown_team_is_404(client, hr_user):
    client.force_login(hr_user)
    assert client.get(reverse("surveys:team_edit", args=[999])).status_code == 404


def test_editing_requires_login(client, org):
    response = client.post(url(org["team"]), {"name": "X"})
    assert response["Location"].startswith(reverse("login"))
    assert Team.objects.get(pk=org["team"].pk).name == "Réception"


def test_a_stranger_gets_404(client, stranger, org):
    client.force_login(stranger)
    assert client.post(url(org["team"]), {"name": "X"}).status_code == 404
    assert Team.objects.get(pk=org["team"].pk).name == "Réception"


def test_a_manager_gets_403_even_for_their_own_team(client, manager, org):
    client.force_login(manager)
    assert client.post(url(org["team"]), {"name": "X"}).status_code == 403
    assert Team.objects.get(pk=org["team"].pk).name == "Réception"
