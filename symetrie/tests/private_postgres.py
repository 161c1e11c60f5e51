"""A private PostgreSQL server in a temporary directory, for runs that stop and restart it.

The machine's shared PostgreSQL is never touched: this one has its own data
directory, port and socket directory, runs with fsync off (its data is thrown away
at the end) and is stopped by its own pid. Standard library and psycopg only, so
that the fault tests and the `faults` benchmark (bench/faults.py) share it.
"""

import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def postgres_bin():
    """The directory holding initdb and postgres (POSTGRES_BIN, else the newest
    /usr/lib/postgresql/*/bin, else the one on PATH), or None when there is none."""
    candidates = []
    if os.environ.get("POSTGRES_BIN"):
        candidates.append(os.environ["POSTGRES_BIN"])

    def version(path):
        found = re.search(r"/(\d+)/bin$", path)
        return int(found.group(1)) if found else 0

    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    if found := shutil.which("initdb"):
        candidates.append(str(Path(found).parent))
    for candidate in candidates:
        if all((Path(candidate) / name).is_file() for name in ("initdb", "postgres")):
            return candidate
    return None


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresCluster:
    """initdb into a temporary directory, then start and stop `postgres` on a free port.

    PostgreSQL refuses to run as root: as root, its processes run as the `postgres`
    system user (which owns the directory). `url` points at the database `name`,
    created empty by `create_database`.
    """

    def __init__(self, bin_dir, *, name="symetrie"):
        self.bin = Path(bin_dir)
        self.port = _free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="symetrie-pg-"))
        self.data = self.directory / "data"
        self.sockets = self.directory / "sockets"
        self.sockets.mkdir()
        self.name = name
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{name}"
        self.process = None
        self._log = None
        self._owner = None
        if os.geteuid() == 0:
            self._owner = pwd.getpwnam("postgres")  # KeyError: no such user (caller skips)
            for path in (self.directory, self.sockets):
                os.chown(path, self._owner.pw_uid, self._owner.pw_gid)
        subprocess.run(
            [
                self.bin / "initdb",
                "--pgdata",
                self.data,
                "--username",
                "postgres",
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--no-sync",
                "--no-instructions",
            ],
            check=True,
            capture_output=True,
            **self._as_owner(),
        )

    def _as_owner(self):
        if self._owner is None:
            return {}
        return {"user": self._owner.pw_uid, "group": self._owner.pw_gid, "extra_groups": []}

    def start(self, timeout=30):
        """Start the server and wait until it accepts connections."""
        import psycopg

        self._log = open(self.directory / "postgres.log", "a")
        self.process = subprocess.Popen(
            [
                self.bin / "postgres",
                "-D",
                self.data,
                "-p",
                str(self.port),
                "-k",
                self.sockets,
                "-c",
                "listen_addresses=127.0.0.1",
                # Throw-away data: durability costs time and buys nothing here.
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200",
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the runner, which stops it by pid
            **self._as_owner(),
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.maintenance_url, connect_timeout=2).close()
                return
            except psycopg.Error:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the private PostgreSQL did not start; see {self.directory}/postgres.log"
                    ) from None
                time.sleep(0.1)

    @property
    def maintenance_url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def create_database(self):
        import psycopg

        with psycopg.connect(self.maintenance_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')

    def stop(self, timeout=30):
        """Fast shutdown (SIGINT to the postmaster, by pid): open transactions are
        rolled back and their connections cut, as in a restart or a fail-over."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGQUIT)  # immediate shutdown: data thrown away
            self.process.wait(timeout=timeout)
        self._log.close()

    def destroy(self):
        """Stop the server and delete its directory."""
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
