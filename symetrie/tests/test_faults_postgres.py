"""PostgreSQL restarted while respondents answer: a clean 503 page, nothing half-stored,
and the service resumes by itself.

The app's database lives in a private PostgreSQL (initdb into a temporary directory,
its own port: the machine's shared server is never stopped). The app runs under
gunicorn on it, with a private Redis as broker and cache. Respondents keep answering
from several threads while the test stops PostgreSQL (fast shutdown, by its pid) and
starts it again; gunicorn is never restarted.
"""

import json
import os
import pwd
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import psycopg
import pytest

from conftest import ROOT, AppServer, need, wait_for
from surveys.tests.http_helpers import Visitor
from symetrie.tests.private_postgres import PostgresCluster, postgres_bin

# PostgreSQL-only (its server binaries), and Redis for the app's broker and cache.
pytestmark = [pytest.mark.postgres, pytest.mark.redis]

THREADS = 4
LINKS = 150

SEED = """
import datetime, json
from barometer.tests.factories import make_campaign
from surveys.models import Team
from surveys.tests.respond_helpers import full_answers, personal_link
team = Team.objects.create(code="lyon-reception", name="Réception")
campaign = make_campaign(
    "barometre", teams=[team], closes_on=datetime.date.today() + datetime.timedelta(days=14)
)
tokens = [personal_link(campaign, team, email=f"p{n}@example.org")[1] for n in range(LINKS)]
print(json.dumps({"tokens": tokens, "answers": full_answers(campaign, "employee")}))
"""


def _postgres_user_ok():
    if os.geteuid() != 0:
        return True
    try:
        pwd.getpwnam("postgres")
        return True
    except KeyError:
        return False


@pytest.fixture
def private_postgres():
    bin_dir = postgres_bin()
    need(bin_dir, "the PostgreSQL server binaries (initdb, postgres) are not installed")
    need(_postgres_user_ok(), "running as root without a `postgres` user to run PostgreSQL as")
    cluster = PostgresCluster(bin_dir)
    try:
        cluster.start()
        cluster.create_database()
        yield cluster
    finally:
        cluster.destroy()


def manage(cluster, *args):
    """Run a management command against the private database; return its stdout."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": cluster.url},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@dataclass
class Outcome:
    started: float
    ended: float
    step: str  # "page" or "submit"
    status: int
    retry_after: str | None
    our_page: bool  # the site's own 503 page


class Respondents:
    """Threads answering one personal link after another, every request recorded."""

    def __init__(self, url, tokens, answers):
        self.url, self.tokens, self.answers = url, list(tokens), answers
        self.outcomes = []
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.threads = [threading.Thread(target=self._answer) for _ in range(THREADS)]

    def _request(self, step, send, *args):
        started = time.monotonic()
        status, body, headers = send(*args)
        outcome = Outcome(
            started,
            time.monotonic(),
            step,
            status,
            headers.get("Retry-After"),
            'id="unavailable"' in body,
        )
        with self.lock:
            self.outcomes.append(outcome)
        return status

    def _answer(self):
        while not self.done.is_set():
            with self.lock:
                if not self.tokens:
                    return
                token = self.tokens.pop()
            visitor, path = Visitor(self.url, timeout=30), f"/r/{token}/"
            if self._request("page", visitor.get, path) == 200:
                self._request("submit", visitor.post, path, self.answers)
            time.sleep(0.02)

    def submitted(self, since=0.0):
        with self.lock:
            return sum(
                1
                for o in self.outcomes
                if o.step == "submit" and o.status == 302 and o.started >= since
            )

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        for thread in self.threads:
            thread.join(timeout=60)


def stored(cluster, answers_per_response):
    """Responses, used links, and responses missing some of their answers."""
    with psycopg.connect(cluster.url) as connection:
        responses = connection.execute("SELECT count(*) FROM surveys_response").fetchone()[0]
        used = connection.execute("SELECT count(*) FROM surveys_invitation WHERE used").fetchone()[
            0
        ]
        incomplete = connection.execute(
            "SELECT count(*) FROM surveys_response r WHERE"
            " (SELECT count(*) FROM surveys_answer a WHERE a.response_id = r.id) <> %s",
            [answers_per_response],
        ).fetchone()[0]
    return responses, used, incomplete


def test_a_postgresql_restart_answers_503_stores_nothing_partial_and_resumes_by_itself(
    private_postgres, private_redis
):
    manage(private_postgres, "migrate", "--no-input", "-v0")
    seeded = json.loads(
        manage(private_postgres, "shell", "-c", SEED.replace("LINKS", str(LINKS))).splitlines()[-1]
    )
    tokens, answers = seeded["tokens"], seeded["answers"]
    server = AppServer(
        DATABASE_URL=private_postgres.url,
        CELERY_BROKER_URL=private_redis.url,
        CACHE_URL=private_redis.url.replace("/0", "/1"),
    )
    try:
        with Respondents(server.url, tokens[1:], answers) as respondents:
            wait_for(lambda: respondents.submitted() >= 10, what="the first answers")

            stopped_at = time.monotonic()
            private_postgres.stop()
            wait_for(
                lambda: sum(o.status == 503 for o in respondents.outcomes) >= 5,
                what="requests to meet the stopped database",
            )
            health = Visitor(server.url).get("/healthz")
            english = Visitor(server.url).get(f"/r/{tokens[0]}/?lang=en")

            private_postgres.start()
            restarted_at = time.monotonic()
            wait_for(
                lambda: respondents.submitted(since=restarted_at) >= 10,
                what="answers after the restart",
            )
    finally:
        server.stop()

    outcomes = respondents.outcomes
    assert {o.status for o in outcomes} <= {200, 302, 503}, "no 500, no other error"
    unavailable = [o for o in outcomes if o.status == 503]
    assert unavailable, "some requests met the stopped database"
    assert all(o.our_page and o.retry_after == "30" for o in unavailable)
    assert all(stopped_at <= o.ended and o.started <= restarted_at for o in unavailable)
    # Resumed by itself: every request sent after the restart succeeded, first time.
    assert all(o.status in (200, 302) for o in outcomes if o.started >= restarted_at)

    assert health[0] == 503
    assert json.loads(health[1])["database"] == "unavailable"
    status, body, headers = english
    assert (status, headers.get("Retry-After")) == (503, "30")
    assert '<html lang="en">' in body
    assert "The service is briefly unavailable" in body

    # Nothing half-stored: each response has all its answers and one used link; each
    # thank-you page is a stored response. A submission cut by the restart may or may
    # not have committed before its connection was cut, so at most that many more.
    responses, used, incomplete = stored(private_postgres, len(answers))
    thanked = sum(1 for o in outcomes if o.step == "submit" and o.status == 302)
    cut = sum(1 for o in unavailable if o.step == "submit")
    assert incomplete == 0
    assert used == responses
    assert thanked <= responses <= thanked + cut

    # Shown, not asserted: the durations depend on the machine.
    print(
        f"{len(unavailable)} requests answered 503 ({cut} submissions) during a "
        f"{restarted_at - stopped_at:.1f} s outage; {thanked} thanked, {responses} stored"
    )
    log = server.log_text()
    assert "Internal Server Error" not in log
    assert "Traceback" not in log
    assert not any(token in log for token in tokens)
