"""The page a database error gets: the site's own 503, in the visitor's language.

The real outage (PostgreSQL stopped under gunicorn) is test_faults_postgres.py; here
the respondent view meets the errors a stopped database raises, on any database.
"""

import logging

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError

from surveys.answering import views as answering_views

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[OperationalError, InterfaceError])
def database_down(request, monkeypatch):
    def unavailable(token):
        raise request.param("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(answering_views, "invitation_for", unavailable)
    return request.param


def test_a_database_error_answers_the_sites_503_page_with_retry_after(client, database_down):
    response = client.get("/r/" + "a" * 43 + "/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert response.templates[0].name == "503.html"
    assert b'id="unavailable"' in response.content
    assert b'<html lang="fr">' in response.content


def test_the_503_page_speaks_the_language_asked_for(client, database_down):
    response = client.post("/r/" + "a" * 43 + "/?lang=en", {"q1": "4"})

    assert response.status_code == 503
    assert b'<html lang="en">' in response.content
    assert b"The service is briefly unavailable" in response.content


def test_a_logged_in_user_gets_the_503_page_when_the_session_cannot_be_read(
    client, hr_user, monkeypatch
):
    client.force_login(hr_user)

    def unavailable(self):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    # Middleware reads the session before any view runs: the error arises outside one.
    monkeypatch.setattr(SessionStore, "load", unavailable)
    client.raise_request_exception = False
    response = client.get("/hr/teams/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b'id="unavailable"' in response.content


def _logged(caplog):
    return [
        (r.name, r.levelname, r.getMessage())
        for r in caplog.records
        if r.levelno >= logging.WARNING
    ]


def test_an_outage_met_by_a_view_is_logged_once(client, database_down, caplog):
    response = client.get("/r/" + "a" * 43 + "/")

    assert response.status_code == 503
    name = database_down.__name__
    assert _logged(caplog) == [
        ("symetrie.middleware", "WARNING", f"Database unavailable ({name}): answered 503")
    ]


def test_an_outage_met_outside_a_view_is_logged_once(client, hr_user, monkeypatch, caplog):
    client.force_login(hr_user)

    def unavailable(self):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(SessionStore, "load", unavailable)
    client.raise_request_exception = False
    response = client.get("/hr/teams/")

    assert response.status_code == 503
    assert _logged(caplog) == [
        ("symetrie.middleware", "WARNING", "Database unavailable (OperationalError): answered 503")
    ]


def test_other_errors_are_not_disguised_as_an_outage(client, monkeypatch):
    def broken(token):
        raise ValueError("a bug")

    monkeypatch.setattr(answering_views, "invitation_for", broken)
    client.raise_request_exception = False

    assert client.get("/r/" + "a" * 43 + "/").status_code == 500
