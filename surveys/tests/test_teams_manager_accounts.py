"""A new manager's account: the e-mail (French by default) brings a link that works once."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from surveys.teams import managers_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "https://barometre.example.org/"


@pytest.fixture
def welcome(db, smtp_server, django_capture_on_commit_callbacks):
    """Create Nina's account as an import would, and return the e-mail she receives."""
    with django_capture_on_commit_callbacks(execute=True):
        managers_ensure(emails=["nina@x.org"])
    assert len(smtp_server) == 1
    return smtp_server[0]


def link_in(message):
    return re.search(r"https://\S+", message.get_content()).group()


def test_the_email_goes_to_the_new_manager_in_french_by_default(welcome):
    assert welcome.envelope_recipients == ["nina@x.org"]
    assert welcome["Content-Language"] == "fr"
    assert link_in(welcome).startswith("https://barometre.example.org/password/set/")
    assert "nina@x.org" in welcome.get_content()


def test_the_link_lets_the_manager_choose_a_password_then_log_in(client, welcome):
    response = client.get(urlsplit(link_in(welcome)).path, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"]
    new_password = "Vert-Sapin-Matin-42"
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response["Location"] == reverse("password_set_complete")
    assert get_user_model().objects.get(username="nina@x.org").has_usable_password()
    response = client.post(
        reverse("login"), {"username": "nina@x.org", "password": new_password}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"].username == "nina@x.org"


def test_the_link_works_only_once(client, welcome):
    path = urlsplit(link_in(welcome)).path
    response = client.get(path, follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Vert-Sapin-Matin-42", "new_password2": "Vert-Sapin-Matin-42"},
    )
    client.logout()
    assert not client.get(path, follow=True).context["validlink"]


def test_a_forged_link_is_refused(client, welcome):
    path = re.sub(r"/[^/]+/$", "/forged-token/", urlsplit(link_in(welcome)).path)
    assert not client.get(path, follow=True).context["validlink"]


def test_an_existing_user_gets_no_email(smtp_server, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        users = managers_ensure(emails=["MARC@example.org"])
    assert users == [manager]
    assert smtp_server == []


def test_nothing_is_sent_when_the_transaction_rolls_back(smtp_server):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        managers_ensure(emails=["nina@x.org"])
        raise RuntimeError("the import failed later")
    assert smtp_server == []
    assert not get_user_model().objects.filter(username="nina@x.org").exists()
