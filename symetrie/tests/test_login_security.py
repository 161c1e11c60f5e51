"""Lock-out after repeated login failures (django-axes on the shared cache) and session expiry."""

import time

import pytest
import redis
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from conftest import AppServer, free_port, make_user, screenshot
from surveys.tests.http_helpers import Visitor
from symetrie.login_middleware import SEEN_KEY, STARTED_KEY

PASSWORD = "correct-horse-battery"


def log_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def fail(client, username, times, **extra):
    for _ in range(times):
        response = log_in(client, username, "not-the-password", **extra)
    return response


# --- lock-out ----------------------------------------------------------------


@pytest.mark.django_db
def test_four_wrong_passwords_still_show_the_login_form(client, hr_user):
    response = fail(client, hr_user.username, 4)
    assert response.status_code == 200
    assert 'data-testid="locked-out"' not in response.text


@pytest.mark.django_db
def test_the_fifth_wrong_password_locks_out_with_a_page_saying_how_long(english, hr_user):
    response = fail(english, hr_user.username, 5)
    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.text
    assert "Too many failed attempts" in response.text
    assert "Wait 15 minutes, then try again." in response.text
    # In the site's look: the base template, its stylesheet and navigation.
    assert "css/symetrie.css" in response.text
    assert "Symétrie" in response.text


@pytest.mark.django_db
def test_the_right_password_is_refused_while_locked_out(client, hr_user):
    fail(client, hr_user.username, 5)
    response = log_in(client, hr_user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_the_lock_out_page_is_in_french_by_default(client, hr_user):
    response = fail(client, hr_user.username, 5)
    assert response.status_code == 429
    assert 'lang="fr"' in response.text


@pytest.mark.django_db
def test_the_limit_and_the_wait_come_from_the_settings(english, hr_user, settings):
    from datetime import timedelta

    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    response = fail(english, hr_user.username, 2)
    assert response.status_code == 429
    assert "Wait 30 minutes" in response.text
    assert "after 2 failed attempts" in response.text


@pytest.mark.django_db
def test_a_lock_out_holds_one_username_from_one_address_only(client, hr_user, stranger):
    fail(client, hr_user.username, 5)
    # The same person from another address (home, phone) still gets in...
    assert log_in(client, hr_user.username, PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302
    client.logout()
    # ...and a colleague behind the same office address too.
    assert log_in(client, stranger.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_the_configured_header_gives_the_address(client, hr_user, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    fail(client, hr_user.username, 5, HTTP_X_REAL_IP="203.0.113.9")
    assert (
        log_in(client, hr_user.username, PASSWORD, HTTP_X_REAL_IP="203.0.113.9").status_code == 429
    )
    response = log_in(client, hr_user.username, PASSWORD, HTTP_X_REAL_IP="198.51.100.4")
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_lock_out_ends_after_the_cool_off(client, hr_user, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    fail(client, hr_user.username, 5)
    assert log_in(client, hr_user.username, PASSWORD).status_code == 429
    time.sleep(1.5)
    assert log_in(client, hr_user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_an_administrator_can_lift_a_lock_out(client, hr_user):
    fail(client, hr_user.username, 5)
    call_command("axes_reset_ip_username", "127.0.0.1", hr_user.username)
    assert log_in(client, hr_user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_admin_login_is_locked_out_too(client):
    admin = make_user("root@example.org", is_staff=True, is_superuser=True)
    for _ in range(5):
        response = client.post(
            reverse("admin:login"), {"username": admin.username, "password": "wrong"}
        )
    assert response.status_code == 429


@pytest.mark.django_db
def test_the_test_client_login_still_works_with_the_lockout_backend(client, hr_user):
    assert client.login(username=hr_user.username, password=PASSWORD)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_failures_are_logged_without_the_username(client, hr_user, caplog):
    with caplog.at_level("WARNING", logger="axes"):
        fail(client, hr_user.username, 5)
    assert "AXES" in caplog.text
    assert hr_user.username not in caplog.text


@pytest.fixture
def cache_down(settings):
    """The shared cache pointed at a Redis port where nothing listens."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/1",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    AxesProxyHandler.get_implementation(force=True)  # axes keeps its cache from start-up
    yield
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    AxesProxyHandler.get_implementation(force=True)


@pytest.mark.django_db
def test_logins_still_work_while_the_shared_cache_is_down(client, hr_user, cache_down):
    response = log_in(client, hr_user.username, "not-the-password")
    assert response.status_code == 200  # the plain "wrong password" form, not an error page
    assert log_in(client, hr_user.username, PASSWORD).status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_counters_are_shared_by_every_web_process_through_redis(private_redis):
    """Five failures spread over two gunicorn workers lock out: the count lives in Redis."""
    user = make_user("helene@example.org", hr=True)
    server = AppServer(CACHE_URL=private_redis.url)
    try:
        visitor = Visitor(server.url)
        assert visitor.get("/login/")[0] == 200
        statuses = [
            visitor.post("/login/", {"username": user.username, "password": "nope"})[0]
            for _ in range(5)
        ]
        status, body, _ = visitor.post("/login/", {"username": user.username, "password": PASSWORD})
    finally:
        server.stop()
    assert statuses == [200, 200, 200, 200, 429]
    assert status == 429
    assert 'data-testid="locked-out"' in body
    assert redis.Redis.from_url(private_redis.url).keys("*axes*")
    assert user.username not in server.log_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_the_lock_out_page_shows_in_the_site_s_look(page, hr_user):
    page.goto(page.base_url + "/login/")
    for _ in range(5):
        page.get_by_label("Nom d’utilisateur").fill(hr_user.username)
        page.get_by_label("Mot de passe").fill("not-the-password")
        page.locator("#submit-id-submit").click()
        page.wait_for_load_state()
    page.get_by_test_id("locked-out").wait_for()
    assert page.locator("link[href$='css/symetrie.css']").count() == 1
    screenshot(page, "login-locked-out")


# --- session expiry ----------------------------------------------------------


def age_session(client, **seconds_ago):
    """Move the session's login and last-seen times into the past (what time would do)."""
    session = client.session
    now = time.time()
    for key, name in ((STARTED_KEY, "started"), (SEEN_KEY, "seen")):
        if name in seconds_ago:
            session[key] = now - seconds_ago[name]
    session.save()


@pytest.mark.django_db
def test_an_active_session_goes_on(client, hr_user):
    client.force_login(hr_user)
    assert client.get(reverse("surveys:campaigns")).status_code == 200
    age_session(client, started=3 * 3600, seen=20 * 60)
    assert client.get(reverse("surveys:campaigns")).status_code == 200


@pytest.mark.django_db
def test_an_idle_session_sends_hr_back_to_the_login_page(english, hr_user):
    english.force_login(hr_user)
    assert english.get(reverse("surveys:campaigns")).status_code == 200
    age_session(english, seen=3600 + 60)
    response = english.get(reverse("surveys:campaigns"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('surveys:campaigns')}"
    assert "_auth_user_id" not in english.session
    page = english.get(response["Location"])
    assert "Your session has expired. Please log in again." in page.text


@pytest.mark.django_db
def test_a_session_ends_after_its_age_however_active(client, hr_user):
    client.force_login(hr_user)
    client.get(reverse("home"))
    age_session(client, started=8 * 3600 + 60, seen=30)
    response = client.get(reverse("surveys:campaigns"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_idle_limit_comes_from_the_settings_and_zero_turns_it_off(client, hr_user, settings):
    settings.SESSION_IDLE_TIMEOUT = 0
    client.force_login(hr_user)
    client.get(reverse("home"))
    age_session(client, seen=7 * 3600)
    assert client.get(reverse("surveys:campaigns")).status_code == 200


@pytest.mark.django_db
def test_last_seen_is_written_at_most_once_a_minute(client, hr_user):
    client.force_login(hr_user)
    client.get(reverse("home"))
    first = client.session[SEEN_KEY]
    client.get(reverse("home"))
    assert client.session[SEEN_KEY] == first
    age_session(client, seen=61)
    aged = client.session[SEEN_KEY]
    client.get(reverse("home"))
    assert client.session[SEEN_KEY] >= aged + 60


@pytest.mark.django_db
def test_logging_in_through_the_form_starts_the_clock(client, hr_user):
    before = int(time.time())
    log_in(client, hr_user.username, PASSWORD)
    assert client.session[STARTED_KEY] >= before
    assert client.session[SEEN_KEY] >= before


@pytest.mark.django_db
def test_the_age_of_a_session_counts_from_the_login_form(client, hr_user):
    # A first visit carries no session cookie: the login itself must start the clock.
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    before = time.time()
    response = log_in(client, hr_user.username, PASSWORD)
    assert response.status_code == 302
    assert before - 1 <= client.session[STARTED_KEY] <= time.time()
    assert before - 1 <= client.session[SEEN_KEY] <= time.time()
