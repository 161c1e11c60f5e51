"""Audit entries are kept AUDIT_RETENTION_DAYS (default 400), then a nightly job deletes them."""

import datetime

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.utils import timezone

from audit import tasks
from audit.models import AuditEntry
from audit.services import entries_purge, entry_create
from symetrie.celery import app

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime(2026, 12, 3, 3, 43))


def entry_aged(days, *, username="rh@example.org"):
    entry = entry_create(action="results_api", username=username)
    AuditEntry.objects.filter(pk=entry.pk).update(at=NOW - datetime.timedelta(days=days))
    return entry


def test_entries_older_than_the_retention_are_deleted_and_younger_ones_kept(settings):
    settings.AUDIT_RETENTION_DAYS = 400
    old = entry_aged(401)
    last_day = entry_aged(399)
    today = entry_aged(0)

    assert entries_purge(now=NOW) == 1

    assert set(AuditEntry.objects.values_list("pk", flat=True)) == {last_day.pk, today.pk}
    assert not AuditEntry.objects.filter(pk=old.pk).exists()


def test_a_shorter_retention_deletes_more(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    entry_aged(31)
    entry_aged(29)

    assert entries_purge(now=NOW) == 1
    assert AuditEntry.objects.count() == 1


def test_the_nightly_task_purges_the_log(settings):
    settings.AUDIT_RETENTION_DAYS = 400
    entry_aged(500)
    entry_aged(1)

    tasks.entries_purge.delay()

    assert AuditEntry.objects.count() == 1


def test_beat_runs_the_purge_every_night():
    (entry,) = [
        e for e in django_settings.CELERY_BEAT_SCHEDULE.values() if e["task"].startswith("audit.")
    ]
    assert entry["task"] == tasks.entries_purge.name
    assert entry["task"] in app.tasks
    assert isinstance(entry["schedule"], crontab)
    assert entry["schedule"].hour == {3}
    assert len(entry["schedule"].minute) == 1
