"""Archiving a team (with everything below it) and restoring it."""

import pytest
from django.urls import reverse

from surveys.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_and_fast_hashing(settings):
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def archived():
    return set(Team.objects.filter(archived=True).values_list("code", flat=True))


def test_the_confirmation_page_says_what_goes_with_the_team(client, hr_user, org):
    client.force_login(hr_user)
    response = client.get(reverse("surveys:team_archive", args=[org["site"].pk]))
    assert response.status_code == 200
    assert "The 2 teams below it are archived too." in response.text
    assert archived() == set()


def test_archiving_takes_the_subtree_along(client, hr_user, org):
    client.force_login(hr_user)
    url = reverse("surveys:team_archive", args=[org["site"].pk])
    response = client.post(url, {"confirm": "yes"}, follow=True)
    assert "3 teams archived." in response.text
    assert archived() == {"lyon", "lyon-reception", "lyon-kitchen"}


def test_an_archive_post_without_the_confirmation_changes_nothing(client, hr_user, org):
    client.force_login(hr_user)
    response = client.post(reverse("surveys:team_archive", args=[org["site"].pk]))
    assert response.status_code == 400
    assert "The 2 teams below it are archived too." in response.text
    assert archived() == set()


def test_restoring_brings_the_subtree_back(client, hr_user, org):
    Team.objects.update(archived=True)
    client.force_login(hr_user)
    response = client.post(reverse("surveys:team_unarchive", args=[org["site"].pk]), follow=True)
    assert "3 teams restored." in response.text
    assert archived() == set()


def test_a_team_under_an_archived_parent_cannot_be_restored_alone(client, hr_user, org):
    Team.objects.update(archived=True)
    client.force_login(hr_user)
    response = client.post(reverse("surveys:team_unarchive", args=[org["team"].pk]), follow=True)
    assert "Restore the parent team “Lyon” first." in response.text
    assert archived() == {"lyon", "lyon-reception", "lyon-kitchen"}


def test_restoring_needs_a_post(client, hr_user, org):
    Team.objects.update(archived=True)
    client.force_login(hr_user)
    assert client.get(reverse("surveys:team_unarchive", args=[org["site"].pk])).status_code == 405
    assert len(archived()) == 3


@pytest.mark.parametrize("name", ["team_archive", "team_unarchive"])
def test_archiving_and_restoring_require_login(client, org, name):
    response = client.post(reverse(f"surveys:{name}", args=[org["site"].pk]))
    assert response["Location"].startswith(reverse("login"))
    assert archived() == set()


@pytest.mark.parametrize("name", ["team_archive", "team_unarchive"])
def test_a_stranger_gets_404(client, stranger, org, name):
    client.force_login(stranger)
    assert client.post(reverse(f"surveys:{name}", args=[org["site"].pk])).status_code == 404
    assert archived() == set()


@pytest.mark.parametrize("name", ["team_archive", "team_unarchive"])
def test_a_manager_gets_403(client, manager, org, name):
    client.force_login(manager)
    assert client.post(reverse(f"surveys:{name}", args=[org["site"].pk])).status_code == 403
    assert archived() == set()
