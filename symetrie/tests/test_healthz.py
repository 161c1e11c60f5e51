"""/healthz tells whether the database and the broker answer."""

import pytest

from conftest import free_port


def test_healthz_answers_200_on_the_embedded_stack(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "broker_kind": "in-process"}


@pytest.mark.redis
def test_healthz_answers_200_with_a_live_redis(client, db, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_healthz_answers_503_when_the_broker_is_down(client, db, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unavailable", "broker_kind": "redis"}


def test_healthz_answers_503_when_the_broker_hangs(client, db, settings, silent_socket):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_socket}/0"
    settings.BROKER_TIMEOUT = 0.5
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
