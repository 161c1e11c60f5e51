"""The team tree screen: indented tree, people counts, archived teams hidden by default."""

import pytest
from django.urls import reverse

from conftest import make_team
from surveys.models import Person, Team

pytestmark = pytest.mark.django_db
URL = reverse("surveys:teams")


@pytest.fixture(autouse=True)
def english_and_fast_hashing(settings):
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def rows(response):
    """(code, depth) of the tree's rows, in order."""
    import re

    return [
        (code, int(depth))
        for code, depth in re.findall(r'data-code="([^"]+)" data-depth="(\d+)"', response.text)
    ]


def test_hr_sees_the_tree_in_order_with_depths_managers_and_counts(client, hr_user, org):
    make_team("annecy", name="Annecy")
    Person.objects.create(side="employee", email="a@x.org", team=org["team"])
    Person.objects.create(side="client", email="b@x.org", team=org["team"])
    Person.objects.create(side="client", email="c@x.org", team=org["team"])
    client.force_login(hr_user)
    response = client.get(URL)
    assert response.status_code == 200
    # Siblings by name: Annecy before Lyon; Cuisine before Réception.
    assert rows(response) == [
        ("annecy", 0),
        ("lyon", 0),
        ("lyon-kitchen", 1),
        ("lyon-reception", 1),
    ]
    assert "marc@example.org" in response.text
    assert (
        f'{reverse("surveys:people")}?team=lyon-reception&amp;side=client">2</a>' in response.text
    )


def test_archived_teams_are_hidden_unless_asked_for(client, hr_user, org):
    Team.objects.filter(code="lyon-kitchen").update(archived=True)
    client.force_login(hr_user)
    response = client.get(URL)
    assert [code for code, _depth in rows(response)] == ["lyon", "lyon-reception"]
    assert "Show the archived team" in response.text
    response = client.get(URL, {"archived": "1"})
    assert [code for code, _depth in rows(response)] == ["lyon", "lyon-kitchen", "lyon-reception"]
    assert "archived</span>" in response.text
    assert reverse("surveys:team_unarchive", args=[org["sibling"].pk]) in response.text


def test_an_empty_tree_invites_to_create_or_import(client, hr_user):
    client.force_login(hr_user)
    assert "No team yet" in client.get(URL).text


def test_the_list_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_stranger_gets_404(client, stranger):
    client.force_login(stranger)
    assert client.get(URL).status_code == 404


def test_a_manager_gets_403(client, manager):
    client.force_login(manager)
    assert client.get(URL).status_code == 403
