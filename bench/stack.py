"""The stack a benchmark run stands up for itself, and takes down again.

A database of its own (dropped and recreated every run), Redis keys under names
that carry the run's id (deleted by name at the end, nothing else touched), and
gunicorn processes on free loopback ports, stopped by pid. Only the PostgreSQL and
Redis servers already running on the machine are shared.
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORK_DIR = ROOT / "var" / "bench"
# A run drops and recreates this database: two checkouts benchmarking against one
# PostgreSQL server need a name each (BENCH_DATABASE), or they destroy each other's.
DATABASE_NAME = os.environ.get("BENCH_DATABASE") or "symetrie_bench"
if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", DATABASE_NAME):  # it goes into SQL as is
    raise SystemExit(f"BENCH_DATABASE must be a lower-case identifier, not {DATABASE_NAME!r}")
# Redis database numbers of the broker and the cache. Keys are still named after
# the run and deleted one by one: these numbers may be shared with others.
BROKER_DB = 14
CACHE_DB = 15


@dataclass(frozen=True)
class ServerConfig:
    """How gunicorn runs the app: worker class, processes, threads per process."""

    worker_class: str
    workers: int
    threads: int = 1

    @property
    def label(self):
        if self.worker_class == "gthread":
            return f"gthread, {self.workers} workers × {self.threads} threads"
        return f"{self.worker_class}, {self.workers} workers"


def with_database(url, name):
    """`url` (postgres://user@host:port[/any]) pointing at database `name`."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_environment(*, postgres_url, redis_url, run_id):
    """The environment of every process of the app under benchmark (and of the runner).

    Production settings (DEBUG off) except plain HTTP on loopback and plain static
    files (STATIC_MANIFEST off: the page weight says what that changes), a queue
    nobody consumes, no rate limit on public answers, and e-mail on the console:
    nothing may leave the machine.
    """
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EMAIL_", "DJANGO_", "CELERY_", "SITE_", "CSRF_"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": with_database(postgres_url, DATABASE_NAME),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_MANIFEST": "false",
            "STATIC_ROOT": str(WORK_DIR / "static"),
            "CELERY_BROKER_URL": f"{redis_url.rstrip('/')}/{BROKER_DB}",
            "CELERY_QUEUE": f"bench-{run_id}",
            "CACHE_URL": f"{redis_url.rstrip('/')}/{CACHE_DB}",
            "BENCH_CACHE_PREFIX": f"bench-{run_id}",
            "PUBLIC_ANSWER_RATE": "1000000/s",
            "LOG_LEVEL": "WARNING",
        }
    )
    return environment


# --- the database ------------------------------------------------------------------


def database_recreate(postgres_url):
    """Drop the benchmark database if a previous run left it, and create it empty."""
    import psycopg

    maintenance = with_database(postgres_url, "postgres")
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def database_drop(postgres_url):
    import psycopg

    maintenance = with_database(postgres_url, "postgres")
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')


def postgres_version(postgres_url):
    import psycopg

    maintenance = with_database(postgres_url, "postgres")
    with psycopg.connect(maintenance, connect_timeout=5) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


# --- Redis ---------------------------------------------------------------------------


def redis_forget(redis_url, run_id):
    """Delete the keys this run wrote (its queue, its bindings, its cache); return how many."""
    import redis

    deleted = 0
    for db, pattern in ((BROKER_DB, f"*bench-{run_id}*"), (CACHE_DB, f"bench-{run_id}:*")):
        client = redis.Redis.from_url(f"{redis_url.rstrip('/')}/{db}", socket_timeout=5)
        keys = list(client.scan_iter(match=pattern, count=1000))
        if keys:
            deleted += client.delete(*keys)
    return deleted


# --- CPU accounting (Linux /proc) ---------------------------------------------------


def _stat_fields(pid):
    """/proc/<pid>/stat after the command name (which may hold spaces and parentheses):
    state, ppid, …, utime (index 11), stime, cutime, cstime (the reaped children's)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def processes_cpu_seconds(pids):
    """CPU time (user + system) used so far by the live processes among `pids`."""
    ticks = 0
    for pid in pids:
        try:
            fields = _stat_fields(pid)
        except OSError:
            continue  # exited meanwhile
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds():
    """CPU time so far of the local PostgreSQL server: the postmaster, every process it
    runs now (backends, autovacuum, WAL writer, checkpointer) and every one it has
    reaped (their time is added to the postmaster's children's time when they exit,
    so a backend or an autovacuum worker ending during a measurement is still counted).

    Only meaningful when PostgreSQL runs on this machine (0 otherwise); the machine is
    expected to be quiet apart from the benchmark, as for every other CPU figure.
    """
    from django.db import connection

    if connection.settings_dict["HOST"] not in {"127.0.0.1", "localhost", "::1"}:
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    postmaster = int(_stat_fields(backend)[1])
    ticks = sum(int(value) for value in _stat_fields(postmaster)[11:15])
    return ticks / os.sysconf("SC_CLK_TCK") + processes_cpu_seconds(children(postmaster))


def children(pid):
    """Pids of a process's live children."""
    try:
        return [
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
    except OSError:
        return []


# --- gunicorn ------------------------------------------------------------------------


class Server:
    """The app under gunicorn on a free loopback port, logging to var/bench/."""

    host = "127.0.0.1"

    def __init__(self, *, environment, config, log_name):
        self.config = config
        self.port = free_port()
        self.log_path = WORK_DIR / f"{log_name}.log"
        self.log = open(self.log_path, "w")  # closed by stop()
        command = [
            str(BIN / "gunicorn"),
            "symetrie.wsgi",
            "--bind",
            f"{self.host}:{self.port}",
            "--worker-class",
            config.worker_class,
            "--workers",
            str(config.workers),
            "--threads",
            str(config.threads),
            "--timeout",
            "30",
            "--preload",
            # As in production (README): access log through the token-redacting logger.
            "--logger-class",
            "symetrie.logging.RedactingGunicornLogger",
            "--access-logfile",
            "-",
        ]
        # A session of its own: Ctrl-C reaches the runner only, which stops it by pid.
        self.process = subprocess.Popen(  # noqa: S603 - fixed command, our own executable
            command,
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout=60):
        """Wait until every request path works (the bare page answers 200)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start; see {self.log_path}")
            try:
                connection = http.client.HTTPConnection(self.host, self.port, timeout=5)
                connection.request("GET", "/bench/bare/")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log_path}")

    def workers(self):
        """Pids of gunicorn's live workers."""
        return children(self.process.pid)

    def cpu_seconds(self):
        """CPU time used so far by gunicorn's master and its live workers."""
        return processes_cpu_seconds([self.process.pid, *self.workers()])

    def largest_worker_mb(self):
        """Resident memory of the largest live worker, in MB (0 when none is left)."""
        sizes = [0]
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
            sizes.append(int(line.split()[1]) / 1024)
        return max(sizes)

    def stop(self):
        stop_process(self.process)  # SIGTERM is graceful: workers finish their request
        self.log.close()


def stop_process(process, timeout=20):
    """End a process we started: SIGTERM, then SIGKILL after `timeout` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Context:
    """What a benchmark gets: the scale of the run, a way to start the app, and the
    fixtures benchmarks share (built by the first one that needs them)."""

    quick: bool
    run_id: str
    environment: dict
    postgres_url: str
    servers: list = field(default_factory=list)
    fixtures: dict = field(default_factory=dict)

    def fixture(self, name, build):
        """What `build()` returns, built once per run: the first benchmark asking builds
        it (say, the reference organisation), the next ones reuse it."""
        if name not in self.fixtures:
            self.fixtures[name] = build()
        return self.fixtures[name]

    @contextmanager
    def server(self, config, *, name, environment=None):
        """Run the app under gunicorn with `config` for the duration of the block;
        `environment` overrides some of the run's variables for this server only."""
        server = Server(
            environment={**self.environment, **(environment or {})}, config=config, log_name=name
        )
        self.servers.append(server)
        try:
            server.wait_ready()
            yield server
        finally:
            server.stop()
            self.servers.remove(server)

    def stop_all(self):
        """Stop every server still running (after an error or Ctrl-C)."""
        for server in list(self.servers):
            server.stop()
            self.servers.remove(server)

    started: float = field(default_factory=time.monotonic)

    def say(self, text):
        """A progress line, with the seconds since the run started."""
        print(f"  [{time.monotonic() - self.started:5.1f} s] {text}", flush=True)
