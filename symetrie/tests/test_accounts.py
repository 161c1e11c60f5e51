"""Login, logout, the home page, the language switch and the error pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_renders_in_french_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Se connecter" in response.text
    assert 'lang="fr"' in response.text


def test_hr_user_logs_in_and_lands_on_the_home_page(client, hr_user):
    response = client.post(
        reverse("login"),
        {"username": hr_user.username, "password": "correct-horse-battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Bienvenue, Hélène" in response.text
    assert "équipe RH" in response.text


def test_a_wrong_password_is_refused_with_a_message(client, hr_user):
    response = client.post(reverse("login"), {"username": hr_user.username, "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.text


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_manager_sees_their_teams_on_the_home_page(client, manager):
    client.force_login(manager)
    response = client.get(reverse("home"))
    assert "Réception" in response.text
    assert "Cuisine" not in response.text


def test_logout_ends_the_session(client, hr_user):
    client.force_login(hr_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_language_switch_turns_the_pages_to_english_and_back(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert "Log in" in client.get(reverse("login")).text
    client.post(reverse("set_language"), {"language": "fr", "next": "/login/"})
    assert "Se connecter" in client.get(reverse("login")).text


def test_unknown_page_shows_the_friendly_404(client):
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text


def test_hr_group_exists_after_migrations():
    from django.contrib.auth.models import Group

    assert Group.objects.filter(name="hr").exists()


def test_the_home_page_says_where_to_look_first(client, manager):
    client.force_login(manager)
    page = client.get(reverse("home")).text
    assert 'data-testid="where-to-look"' in page
    assert "vue d’ensemble" in page
