"""The database connection kept between requests: one PostgreSQL ended is replaced
before a request uses it, and a live one is kept (symetrie/postgresql/base.py)."""

import psycopg
import pytest
from django.db import connection

from conftest import wait_for
from surveys.answering.lookup import invitation_for
from surveys.models import Team
from surveys.tests.respond_helpers import open_campaign, personal_link

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _a_fresh_connection_after():
    """These tests end backends: whatever happens, the next test gets a new connection."""
    yield
    connection.close()


def _backend_pid():
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def _request_starts():
    # What Django does when a request first uses a kept connection.
    connection.health_check_done = False
    connection.close_if_health_check_failed()


def _terminate(pid):
    given = connection.settings_dict
    with psycopg.connect(
        host=given["HOST"],
        port=given["PORT"] or 5432,
        user=given["USER"],
        password=given["PASSWORD"],
        dbname=given["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        wait_for(
            lambda: (
                not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
            ),
            what="the backend to end",
        )


def test_a_connection_postgresql_ended_is_replaced_before_the_next_request_uses_it():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    ended = _backend_pid()
    _terminate(ended)

    assert not connection.is_usable()
    _request_starts()
    Team.objects.create(code="after-the-end", name="Réception")  # no error: a new connection
    assert _backend_pid() != ended
    assert Team.objects.filter(code="after-the-end").exists()


def test_a_live_connection_is_kept_from_one_request_to_the_next():
    Team.objects.create(code="first", name="Accueil")
    kept = _backend_pid()
    _request_starts()
    assert connection.is_usable()
    assert Team.objects.count() == 1
    assert _backend_pid() == kept


def test_the_answering_lookup_survives_an_ended_connection(org):
    # The respondents' first query of a request: it must never meet the dead backend.
    invitation, token = personal_link(open_campaign(org), org["team"])
    _terminate(_backend_pid())
    connection.health_check_done = False  # a new request
    assert invitation_for(token).pk == invitation.pk
