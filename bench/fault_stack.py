"""The private stack of the `faults` benchmark (bench/faults.py), and its seeding.

A PostgreSQL cluster and a redis-server of its own on free loopback ports (nothing
shared is ever stopped), gunicorn, two Celery workers and, later, a loopback SMTP
server; every process is stopped by pid through the ExitStack `build` is given.
`seed_here` runs in a `manage.py shell` on the private database, so the runner's own
Django connection (to `symetrie_bench`) is never switched.
"""

import csv
import datetime
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from bench.stack import (
    BIN,
    ROOT,
    WORK_DIR,
    Server,
    ServerConfig,
    children,
    free_port,
    processes_cpu_seconds,
    stop_process,
)
from symetrie.tests.private_postgres import PostgresCluster, postgres_bin

CORES = len(os.sched_getaffinity(0))
GUNICORN = ServerConfig("sync", 2 * CORES + 1)
# --- private services ------------------------------------------------------------------


NO_PERSISTENCE = ("--save", "", "--appendonly", "no")


class RedisServer:
    """A private redis-server on a free port, without persistence, killed by pid."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def url(self, db):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self):
        import redis

        self.process = subprocess.Popen(  # noqa: S603 - fixed command
            [
                shutil.which("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                *NO_PERSISTENCE,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        wait(lambda: _answers(client), 10, "the private Redis to start")

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _answers(client):
    import redis

    try:
        return client.ping()
    except (redis.RedisError, OSError):
        return False


class Worker:
    """A `celery worker` (prefork, one process) on one queue, logging to var/bench/."""

    def __init__(self, environment, *, queue, name):
        self.log_path = WORK_DIR / f"{name}.log"
        self.log = open(self.log_path, "w")  # closed by stop()
        self.process = subprocess.Popen(  # noqa: S603 - fixed command, our own executable
            [
                *(str(BIN / "celery"), "-A", "symetrie", "worker", "--pool=prefork"),
                *("--concurrency=1", f"--queues={queue}", f"--hostname={name}@%h"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"),
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self):
        wait(lambda: " ready." in self.log_path.read_text(), 60, f"{self.log_path.name}")

    def pool(self):
        """Pids of the pool's processes (the ones running tasks)."""
        return children(self.process.pid)

    def exiting(self):
        """Whether the worker exited, or is exiting after an error it cannot recover from."""
        return self.process.poll() is not None or "Unrecoverable error" in self.log_path.read_text()

    def retries(self):
        return self.log_path.read_text().count("retry: Retry in")

    def stop(self):
        stop_process(self.process)
        self.log.close()


class Inbox:
    """Messages the loopback SMTP server received: (time, recipients)."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((time.monotonic(), tuple(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def tree_cpu_seconds(pid):
    """CPU time so far of a process and its children (a postmaster and its backends)."""
    return processes_cpu_seconds([pid, *children(pid)]) if pid else 0.0


class CpuMeter:
    """CPU seconds the stack's processes used so far, by part, for `run_load(sample=...)`.

    A part whose processes are replaced (PostgreSQL restarted, a worker started again)
    keeps its count: `retire(part)` banks what the old processes used just before.
    """

    def __init__(self, stack):
        self.stack = stack
        self.banked = dict.fromkeys(("app", "postgres", "worker", "killer"), 0.0)

    def _now(self):
        stack = self.stack
        return {
            "app": stack.server.cpu_seconds(),
            "postgres": tree_cpu_seconds(stack.cluster.pid),
            "worker": tree_cpu_seconds(stack.worker.process.pid),
            "killer": tree_cpu_seconds(stack.killer.process.pid),
        }

    def __call__(self):
        return {part: seconds + self.banked[part] for part, seconds in self._now().items()}

    def retire(self, part, pid=None):
        """Bank what `part` used so far (only process `pid` of it, when given)."""
        self.banked[part] += processes_cpu_seconds([pid]) if pid else self._now()[part]


def wait(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


# --- seeding (run in a subprocess, on the private database) ------------------------------


def seed_here(*, invitations, history, mail, output):
    """Build the scenario's data through the app's services; write what the runner needs
    (links, form fields, campaign ids, mail addresses) as JSON to `output`.

    The answering campaign is bench/seed.py's, with live results (no HR screen sets
    them: the row is switched); a closed historical campaign comes in through
    `import_responses`, its document then deleted so that the computation the scenario
    kills is the one that publishes it (computed again, a final with nothing new to
    release writes nothing); a third campaign is launched for `mail` people, its
    invitation e-mails queued for the worker (which starts with the mail server down).
    """
    import io
    import random

    from django.core.management import call_command
    from django.utils import timezone

    from barometer.models import Snapshot
    from bench.seed import answering_campaign, campaign_launched
    from surveys.builtin_template import ITEMS
    from surveys.models import Campaign, Person, Side, Team

    campaign, jobs, questions = answering_campaign(invitations=invitations)
    Campaign.objects.filter(pk=campaign.pk).update(live_results=True)
    rng, today = random.Random(5), timezone.localdate()
    path = Path(output).with_suffix(".csv")
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["side", "team", *(item["code"] for item in ITEMS)])
        for number in range(history):
            values = [_random_value(item["kind"], rng) for item in ITEMS]
            side = "employee" if number % 2 else "client"
            writer.writerow([side, f"bench-team-{number % 8 + 1}", *values])
    closed_on = (today - datetime.timedelta(days=7)).isoformat()
    call_command(
        "import_responses",
        "bench-history",
        str(path),
        "--closed-on",
        closed_on,
        stdout=io.StringIO(),
    )
    Snapshot.objects.filter(campaign__slug="bench-history").delete()
    addresses = [f"mail-{number}@bench.example.org" for number in range(mail)]
    if mail:
        team = Team.objects.create(code="bench-mail", name="Courrier")
        Person.objects.bulk_create(
            Person(side=Side.EMPLOYEE, email=a, team=team) for a in addresses
        )
        campaign_launched(
            name="Invitations", slug="bench-mail", teams=[team], sides=[Side.EMPLOYEE]
        )
    Path(output).write_text(
        json.dumps(
            {
                "jobs": jobs,
                "questions": questions,
                "campaign": campaign.pk,
                "k": campaign.score_threshold,
                "history": Campaign.objects.get(slug="bench-history").pk,
                "mail": addresses,
            }
        )
    )


def _random_value(kind, rng):
    if kind == "nps":
        return rng.randint(0, 10)
    if kind == "likert":
        return rng.randint(0, 5)
    return rng.choice(["", "", "Accueil chaleureux.", "Plus d'écoute, s'il vous plaît."])


# --- the stack ---------------------------------------------------------------------------


@dataclass
class Stack:
    """Everything the scenario runs, and the times its faults happened (monotonic)."""

    ctx: object
    scale: object  # faults.Scale
    cluster: PostgresCluster | None = None
    redis: RedisServer | None = None
    environment: dict | None = None
    server: Server | None = None
    worker: Worker | None = None
    killer: Worker | None = None  # on a queue of its own: the computation to kill
    smtp: object = None
    smtp_port: int = 0
    inbox: Inbox = field(default_factory=Inbox)
    seeded: dict | None = None
    marks: dict = field(default_factory=dict)
    checks: dict = field(default_factory=dict)
    celery: object = None
    stop: object = None  # the ExitStack that stops everything at the end
    cpu: CpuMeter | None = None

    def worker_start(self, name):
        """Start the main worker (again, after it exited: what a supervisor does)."""
        self.worker = Worker(self.environment, queue=self.environment["CELERY_QUEUE"], name=name)
        self.stop.callback(self.worker.stop)
        return self.worker

    def manage(self, *args):
        result = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stderr[-2000:]}")
        return result.stdout

    def sql(self, query, params=()):
        with psycopg.connect(self.cluster.url, connect_timeout=5) as connection:
            return connection.execute(query, params).fetchall()

    def write(self, query, params=()):
        with psycopg.connect(self.cluster.url, connect_timeout=5) as connection:
            connection.execute(query, params)

    def send(self, name, *args, queue=None):
        """Queue a task by name, as beat or the web tier would; retried while Redis restarts."""
        return wait(
            lambda: self._send(name, args, queue or self.environment["CELERY_QUEUE"]),
            10,
            f"Redis to take {name}",
        )

    def _send(self, name, args, queue):
        try:
            # An explicit connection: in this process CELERY_BROKER_URL names the
            # shared Redis, and Celery lets that variable win over any other setting.
            with self.celery.connection_for_write(self.redis.url(0)) as connection:
                producer = self.celery.amqp.Producer(connection)
                self.celery.send_task(name, args=list(args), queue=queue, producer=producer)
            return True
        except Exception:
            return False

    def smtp_stop(self):
        if self.smtp is not None:
            self.smtp.stop()
            self.smtp = None

    def mark(self, name):
        self.marks[name] = time.monotonic()
        self.ctx.say(f"{name}")


def build(stack, stop):
    """Start everything, seed, and return the jobs (personal links) for the load."""
    ctx, scale = stack.ctx, stack.scale
    from celery import Celery

    stack.stop = stop
    stack.cpu = CpuMeter(stack)
    stack.cluster = PostgresCluster(postgres_bin(), name="symetrie_faults")
    stop.callback(stack.cluster.destroy)
    stack.cluster.start()
    stack.cluster.create_database()
    stack.redis = RedisServer()
    stack.redis.start()
    stop.callback(stack.redis.kill)
    stack.smtp_port = free_port()  # nothing listens yet: the mail server is down
    queue = f"bench-{ctx.run_id}-faults"
    stack.environment = {
        **ctx.environment,
        "DATABASE_URL": stack.cluster.url,
        "CELERY_BROKER_URL": stack.redis.url(0),
        "CACHE_URL": stack.redis.url(1),
        "CELERY_QUEUE": queue,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(stack.smtp_port),
        "EMAIL_TIMEOUT": "5",
    }
    stack.celery = Celery("bench-faults", set_as_current=False)
    stop.callback(stack.celery.close)
    stack.celery.conf.update(
        task_serializer="json",
        broker_connection_timeout=1,
        broker_transport_options={"socket_timeout": 1, "socket_connect_timeout": 1},
    )
    stack.manage("migrate", "--no-input", "-v0")
    output = WORK_DIR / "faults-seed.json"
    # It holds raw link tokens (and the CSV of past answers): gone at the end.
    stop.callback(output.unlink, missing_ok=True)
    stop.callback(output.with_suffix(".csv").unlink, missing_ok=True)
    stack.manage(
        "shell",
        "-c",
        "from bench.fault_stack import seed_here; "
        f"seed_here(invitations={scale.invitations}, history={scale.history}, "
        f"mail={scale.mail}, output={str(output)!r})",
    )
    stack.seeded = json.loads(output.read_text())
    ctx.say(
        f"private PostgreSQL and Redis up, seeded {len(stack.seeded['jobs'])} links, "
        f"{scale.history} past responses, {scale.mail} invitations to send"
    )
    stack.worker_start("worker-faults")
    stack.killer = Worker(stack.environment, queue=f"{queue}-kill", name="worker-faults-kill")
    stop.callback(stack.killer.stop)
    stack.server = Server(
        environment=stack.environment, config=GUNICORN, log_name="gunicorn-faults"
    )
    stop.callback(stack.server.stop)
    stack.server.wait_ready()
    stack.worker.wait_ready()
    stack.killer.wait_ready()
    stack.mark(
        "gunicorn and both workers ready; invitations being sent to a mail server that is down"
    )
    return stack.seeded["jobs"]
