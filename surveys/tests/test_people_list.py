"""The people list: per team (optionally with the teams below), per side, with counts, paginated."""

import pytest
from django.urls import reverse

from surveys.models import Person

pytestmark = pytest.mark.django_db
URL = reverse("surveys:people")


@pytest.fixture(autouse=True)
def english_and_fast_hashing(settings):
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(org):
    for index in range(3):
        Person.objects.create(side="employee", email=f"e{index}@x.org", team=org["team"])
    Person.objects.create(side="client", email="c0@x.org", team=org["team"])
    Person.objects.create(side="client", email="c1@x.org", team=org["sibling"])


def emails(response):
    return [person.email for person in response.context["page"].object_list]


def test_hr_sees_everyone_with_counts_per_side(client, hr_user, people):
    client.force_login(hr_user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["counts"] == {"employees": 3, "clients": 2}
    assert "3 employees · 2 clients" in response.text
    assert len(emails(response)) == 5


def test_filtering_by_team_and_side(client, hr_user, people):
    client.force_login(hr_user)
    response = client.get(URL, {"team": "lyon-reception", "side": "client"})
    assert emails(response) == ["c0@x.org"]
    # The counts describe the team, both sides.
    assert response.context["counts"] == {"employees": 3, "clients": 1}


def test_a_site_alone_or_with_the_teams_below(client, hr_user, people):
    client.force_login(hr_user)
    assert emails(client.get(URL, {"team": "lyon"})) == []
    response = client.get(URL, {"team": "lyon", "subteams": "on", "side": "client"})
    assert sorted(emails(response)) == ["c0@x.org", "c1@x.org"]


def test_the_list_is_paginated_and_keeps_the_filter(client, hr_user, org):
    Person.objects.bulk_create(
        Person(side="employee", email=f"p{index:03}@x.org", team=org["team"]) for index in range(60)
    )
    client.force_login(hr_user)
    response = client.get(URL, {"team": "lyon-reception"})
    assert len(emails(response)) == 50
    assert "?team=lyon-reception&amp;page=2" in response.text
    response = client.get(URL, {"team": "lyon-reception", "page": 2})
    assert len(emails(response)) == 10


def test_an_unknown_team_in_the_filter_is_explained(client, hr_user, people):
    client.force_login(hr_user)
    response = client.get(URL, {"team": "nowhere", "side": "boss"})
    assert response.status_code == 200
    assert "There is no team with this code." in response.text
    assert emails(response) == []


def test_the_list_requires_login(client):
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_a_stranger_gets_404(client, stranger):
    client.force_login(stranger)
    assert client.get(URL).status_code == 404


def test_a_manager_gets_403(client, manager):
    client.force_login(manager)
    assert client.get(URL).status_code == 403


def test_searching_by_a_piece_of_name_or_e_mail(client, hr_user, org):
    Person.objects.create(side="employee", email="lea.martin@x.org", name="Léa", team=org["team"])
    Person.objects.create(
        side="client", email="bob@y.org", name="Robert Martin", team=org["sibling"]
    )
    Person.objects.create(side="employee", email="zoe@x.org", team=org["team"])
    client.force_login(hr_user)
    assert sorted(emails(client.get(URL, {"q": "martin"}))) == ["bob@y.org", "lea.martin@x.org"]
    assert emails(client.get(URL, {"q": "MARTIN x.org"})) == ["lea.martin@x.org"]
    assert emails(client.get(URL, {"q": "nobody"})) == []


def test_filtering_by_language(client, hr_user, org):
    Person.objects.create(side="employee", email="tom@x.org", language="en", team=org["team"])
    Person.objects.create(side="employee", email="lea@x.org", language="fr", team=org["team"])
    client.force_login(hr_user)
    assert emails(client.get(URL, {"language": "en"})) == ["tom@x.org"]
    response = client.get(URL, {"language": "xx"})
    assert "Select a valid choice" in response.text
    assert emails(response) == []


def test_the_search_and_the_filters_are_kept_across_pages(client, hr_user, org):
    Person.objects.bulk_create(
        Person(side="employee", email=f"p{index:03}@x.org", language="en", team=org["team"])
        for index in range(120)
    )
    client.force_login(hr_user)
    query = {"q": "@x.org", "team": "lyon", "subteams": "on", "language": "en"}
    response = client.get(URL, query | {"page": 2})
    assert len(emails(response)) == 50
    assert "Page 2 of 3" in response.text
    assert "?q=%40x.org&amp;team=lyon&amp;subteams=on&amp;language=en&amp;page=3" in response.text
    assert "?q=%40x.org&amp;team=lyon&amp;subteams=on&amp;language=en&amp;page=1" in response.text


def test_teams_are_offered_by_their_full_path(client, hr_user, org):
    client.force_login(hr_user)
    text = client.get(URL).text
    assert '<option value="lyon-reception">Lyon › Réception</option>' in text
