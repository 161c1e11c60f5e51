"""The README's backup and restore, run as written: pg_dump, pg_restore into a new
database, migrate, and everything is there."""

import os
import shutil
import subprocess
import sys
import uuid

import psycopg
import pytest

from barometer.services import snapshot_compute
from barometer.tests.factories import add_responses, invite, make_campaign
from conftest import database_url_for_subprocess, need
from surveys.models import Answer, Invitation, Response

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TABLES = ("surveys_response", "surveys_answer", "surveys_invitation", "barometer_snapshot")


def _counts(url):
    with psycopg.connect(url) as database:
        return {
            table: database.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in TABLES
        }


def test_a_dump_restored_into_an_empty_database_holds_everything(org, tmp_path):
    need(shutil.which("pg_dump") and shutil.which("pg_restore"), "pg_dump/pg_restore missing")
    campaign = make_campaign(teams=[org["team"], org["sibling"]])
    add_responses(campaign, org["team"], "employee", 6, recommend=9, listening=4)
    add_responses(campaign, org["team"], "client", 5, recommend=7, listening=3)
    invite(campaign, org["team"], "employee", 8)
    snapshot_compute(campaign=campaign)
    source = database_url_for_subprocess()
    before = _counts(source)
    assert before["surveys_answer"] == Answer.objects.count() > 0

    dump = tmp_path / "symetrie.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source], check=True)
    name = f"symetrie_restore_{uuid.uuid4().hex[:8]}"
    admin = source.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as database:
        database.execute(f'CREATE DATABASE "{name}"')
    restored = source.rsplit("/", 1)[0] + f"/{name}"
    try:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={restored}", str(dump)], check=True)
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input"],
            env={**os.environ, "DATABASE_URL": restored},
            capture_output=True,
            text=True,
            check=False,
        )
        assert migrate.returncode == 0, migrate.stderr
        assert "No migrations to apply" in migrate.stdout
        assert _counts(restored) == before
        with psycopg.connect(restored) as database:
            used = database.execute(
                "SELECT count(*) FROM surveys_invitation WHERE used"
            ).fetchone()[0]
        assert used == Invitation.objects.filter(used=True).count()
        assert before["surveys_response"] == Response.objects.count() == 11
    finally:
        with psycopg.connect(admin, autocommit=True) as database:
            database.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
