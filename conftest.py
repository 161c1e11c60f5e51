"""Test-wide fixtures: the cast of actors, and the real services some tests need.

The environment the settings read is set in pytest.ini (pytest-env). Tests that need
PostgreSQL, Redis or Chromium skip with the reason where it is missing, and fail
instead when CI=true: CI must run them all.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

# Process helpers shared with the benchmarks (standard library only).
from bench.stack import free_port, stop_process

ROOT = Path(__file__).resolve().parent
CI = os.environ.get("CI") == "true"
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"


def need(available, reason):
    """Skip the test when a service is missing; with CI=true, fail instead."""
    if available:
        return
    if CI:
        pytest.fail(f"{reason} — required when CI=true", pytrace=False)
    pytest.skip(reason)


# --- the cast ---------------------------------------------------------------


def make_user(username, *, password="correct-horse-battery", hr=False, **fields):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username=username, email=username, password=password, **fields
    )
    if hr:
        # get_or_create: transactional tests flush what the data migration made.
        user.groups.add(Group.objects.get_or_create(name="hr")[0])
    return user


def make_team(code, *, parent=None, managers=(), name=None):
    from surveys.models import Team

    team = Team.objects.create(code=code, name=name or code.title(), parent=parent)
    team.managers.add(*managers)
    return team


@pytest.fixture
def english(client):
    """The test client, asking for the pages in English (French is the default)."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def hr_user(db):
    """Hélène, in the HR team."""
    return make_user("helene@example.org", hr=True, first_name="Hélène")


@pytest.fixture
def org(db):
    """A small tree: a site with two sibling teams, each with a manager."""
    manager = make_user("marc@example.org", first_name="Marc")
    sibling_manager = make_user("sofia@example.org", first_name="Sofia")
    site_manager = make_user("paul@example.org", first_name="Paul")
    site = make_team("lyon", managers=[site_manager], name="Lyon")
    reception = make_team("lyon-reception", parent=site, managers=[manager], name="Réception")
    kitchen = make_team("lyon-kitchen", parent=site, managers=[sibling_manager], name="Cuisine")
    return {
        "site": site,
        "team": reception,
        "sibling": kitchen,
        "manager": manager,
        "sibling_manager": sibling_manager,
        "site_manager": site_manager,
    }


@pytest.fixture
def manager(org):
    """Marc, manager of the reception team."""
    return org["manager"]


@pytest.fixture
def stranger(db):
    """Sam, who has an account but no role at all."""
    return make_user("sam@example.org", first_name="Sam")


# --- real services ----------------------------------------------------------


def redis_answers(url):
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping())
    except (redis.RedisError, OSError):
        return False


@pytest.fixture
def redis_url():
    need(redis_answers(REDIS_TEST_URL), f"Redis does not answer at {REDIS_TEST_URL}")
    return REDIS_TEST_URL


@pytest.fixture
def silent_socket():
    """A TCP port that accepts connections and never answers (a hung Redis)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server.getsockname()[1]
    server.close()


def database_url_for_subprocess():
    """A DATABASE_URL pointing a child process at the test database in use."""
    from django.db import connection

    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user, host, port = settings_dict["USER"], settings_dict["HOST"], settings_dict["PORT"]
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


class CeleryWorker:
    """A real `celery worker` process on its own queue, with a client to send it tasks."""

    def __init__(self, broker_url, **extra_env):
        from celery import Celery

        self.broker_url = broker_url
        self.queue = f"test-{uuid.uuid4().hex[:10]}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url_for_subprocess(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_QUEUE": self.queue,
            "DEBUG": "false",
            **extra_env,
        }
        # Not the current app: tasks queued in-process still go to the project's.
        self.client = Celery("test-client", broker=broker_url, set_as_current=False)
        self.client.conf.update(task_serializer="json", task_default_queue=self.queue)
        (ROOT / "var").mkdir(exist_ok=True)
        self.log = open(ROOT / "var" / f"{self.queue}.log", "w")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "symetrie",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--include=symetrie.tests.celery_probe",
                f"--queues={self.queue}",
                f"--hostname={self.queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def send(self, name, *args):
        return self.client.send_task(name, args=args, queue=self.queue)

    def stop(self):
        stop_process(self.process)
        self.log.close()


@pytest.fixture
def celery_worker_process(redis_url, transactional_db):
    """Start a real Celery worker against the shared Redis; yield a function sending it tasks."""
    import redis

    worker = CeleryWorker(redis_url)
    yield worker.send
    worker.stop()
    # Drop what the test left on its private queue.
    redis.Redis.from_url(redis_url).delete(worker.queue)


class RedisProcess:
    """A private redis-server on a free port, for tests that stop and restart it."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: redis_answers(self.url), timeout=10, what="the private Redis")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()  # by its own pid: never the machine's shared Redis
            self.process.wait()


@pytest.fixture
def private_redis():
    need(shutil.which("redis-server"), "redis-server is not installed")
    server = RedisProcess()
    server.start()
    yield server
    server.stop()


def wait_for(condition, *, timeout=30.0, interval=0.2, what="condition"):
    """Poll `condition` until it returns a truthy value; fail with `what` on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def _browser():
    path = chromium_path()
    need(path, "Chromium is not installed (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser, live_server):
    """A fresh browser context on a laptop-sized window; screenshots land in test-artifacts/."""
    context = _browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    context.set_default_timeout(15000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


class _Inbox:
    """Messages received by the test SMTP server, parsed as e-mail objects."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes
        from email.policy import default

        message = message_from_bytes(envelope.content, policy=default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; the app delivers to it. Yields the inbox list."""
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    yield inbox.messages
    controller.stop()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs about a second per user; tests do not test its strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- a real OpenID provider -------------------------------------------------------

PROVIDER_PASSWORD = "provider-password-0123"
PROVIDER_USERS = {
    # username at the provider: the claims it sends about them
    "helene": {"email": "helene@example.org", "email_verified": True, "groups": ["symetrie-hr"]},
    "marc": {"email": "Marc@Example.org", "email_verified": True, "groups": []},
    "stranger": {"email": "nadia@elsewhere.example", "email_verified": True, "groups": []},
    # Paul's address, which the provider has not verified: whoever this is, not Paul.
    "unverified": {"email": "paul@example.org", "email_verified": False, "groups": []},
}
PROVIDER_CLIENT = {"id": "symetrie-tests", "secret": "provider-client-secret-0123456789"}
PROVIDER_HR_GROUP = "symetrie-hr"


class OpenIDProvider:
    """The test provider (symetrie/tests/oidc_provider) in its own process on a free port,
    with an RS256 key generated for the run. Its users are PROVIDER_USERS."""

    def __init__(self, directory):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        self.directory = directory
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}/o"
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (directory / "key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        self.reset()
        self.log = open(directory / "provider.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "symetrie.tests.oidc_provider", str(self.port)],
            cwd=ROOT,
            env={
                **os.environ,
                "PROVIDER_STATE_DIR": str(directory),
                "PROVIDER_ISSUER": self.issuer,
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self._answers, timeout=60, what="the test OpenID provider to start")
        if self.process.poll() is not None:
            pytest.fail(
                f"the test OpenID provider stopped: {(directory / 'provider.log').read_text()}"
            )

    def _answers(self):
        import requests

        try:
            url = self.issuer + "/.well-known/openid-configuration"
            return requests.get(url, timeout=1).status_code == 200
        except requests.RequestException:
            return self.process.poll() is not None

    def state(self):
        from symetrie.tests.oidc_provider import state

        return state.read(self.directory)

    def change(self, **changes):
        from symetrie.tests.oidc_provider import state

        state.write({**self.state(), **changes}, self.directory)

    def set_groups(self, username, groups):
        users = self.state()["users"]
        users[username]["groups"] = list(groups)
        self.change(users=users)

    def reset(self, redirect_bases=()):
        """Back to the users of PROVIDER_USERS and honest tokens; `redirect_bases` are the
        addresses of the app the provider may send a browser back to."""
        from symetrie.tests.oidc_provider import state

        users = {
            name: {**claims, "password": PROVIDER_PASSWORD, "name": name.title()}
            for name, claims in PROVIDER_USERS.items()
        }
        bases = ["http://testserver", *redirect_bases]
        client = {
            **PROVIDER_CLIENT,
            "redirect_uris": [f"{base}/login/sso/callback/" for base in bases],
            "post_logout_redirect_uris": [f"{base}/login/" for base in bases],
        }
        state.write({"client": client, "users": users, "spoil": None}, self.directory)

    def stop(self):
        stop_process(self.process)
        self.log.close()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    provider = OpenIDProvider(tmp_path_factory.mktemp("oidc-provider"))
    yield provider
    provider.stop()


@pytest.fixture
def sso(request, settings, oidc_provider):
    """Single sign-on on, against the test provider (HR: its `symetrie-hr` group).

    Browser tests (those with `live_server`) may be sent back to the live server too.
    """
    from symetrie.sso import provider_metadata_forget

    bases = (
        [request.getfixturevalue("live_server").url]
        if "live_server" in request.fixturenames
        else []
    )
    oidc_provider.reset(redirect_bases=bases)
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.SSO_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = PROVIDER_CLIENT["id"]
    settings.OIDC_RP_CLIENT_SECRET = PROVIDER_CLIENT["secret"]
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_HR_CLAIM, settings.OIDC_HR_VALUE = "groups", PROVIDER_HR_GROUP
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [
            *settings.SECURE_CSP["form-action"],
            f"http://127.0.0.1:{oidc_provider.port}",
        ],
    }
    provider_metadata_forget()
    yield oidc_provider
    provider_metadata_forget()


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` run in the PostgreSQL pass of `make test`, not the SQLite
    one; tests marked `once` (long, and without a database) in the SQLite pass only."""
    from django.conf import settings

    skipped = "once" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "postgres"
    kept = [item for item in items if item.get_closest_marker(skipped) is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


class AppServer:
    """The web app under gunicorn in its own process, on the test database.

    `env` adds or overrides environment variables (a broker that is down, say).
    """

    def __init__(self, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (ROOT / "var").mkdir(exist_ok=True)
        self.log = open(ROOT / "var" / f"gunicorn-{self.port}.log", "w")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "symetrie.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--logger-class",
                "symetrie.logging.RedactingGunicornLogger",
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url_for_subprocess(), **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self._answers, timeout=30, what="gunicorn to start")

    def _answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return self.process.poll() is not None  # died: stop waiting, the test will tell

    def stop(self):
        stop_process(self.process)
        self.log.close()

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        return (ROOT / "var" / f"gunicorn-{self.port}.log").read_text()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with an empty cache (login failure counters, rate limits,
    pending refreshes) and forgets what this process saw pending: a rolled-back test
    can hand a campaign id out again."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    from barometer.refresh import pending_memo_clear

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()  # never a shared Redis: that would flush others' keys
    pending_memo_clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language (French).

    A request through the test client leaves its language active in the thread, so
    without this a test's language would depend on the test that ran before it.
    """
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()
