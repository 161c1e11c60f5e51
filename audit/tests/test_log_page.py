"""The audit log at /hr/audit/: HR only, newest first, filtered, paginated, downloadable."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import entry_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("audit:log")
CSV_URL = reverse("audit:log_csv")


def at(day, hour=12):
    return timezone.make_aware(datetime.datetime(2026, 11, day, hour))


@pytest.fixture
def log(hr_user, manager):
    """Three entries over three days, one of them refused."""
    entries = [
        entry_create(action="results_api", username=manager.username, user=manager, format="json"),
        entry_create(
            action="team_export",
            username=manager.username,
            user=manager,
            outcome="refused",
            campaign="2026-q4",
            team="lyon-kitchen",
            format="csv",
        ),
        entry_create(action="person_erase", username=hr_user.username, user=hr_user, person_id=7),
    ]
    for day, entry in zip((20, 21, 22), entries, strict=True):
        AuditEntry.objects.filter(pk=entry.pk).update(at=at(day))
    return entries


def listed(response):
    return [(entry.action, entry.username) for entry in response.context["page"].object_list]


def test_hr_reads_the_log_newest_first(client, hr_user, log):
    client.force_login(hr_user)
    response = client.get(URL)
    assert response.status_code == 200
    assert listed(response) == [
        ("person_erase", "helene@example.org"),
        ("team_export", "marc@example.org"),
        ("results_api", "marc@example.org"),
    ]
    assert "Person erased" in response.text
    assert "person no. 7" in response.text
    assert "Refused" in response.text


def test_reading_the_log_is_not_an_export(client, hr_user, log):
    client.force_login(hr_user)
    client.get(URL)
    assert AuditEntry.objects.count() == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"user": "MARC"}, ["team_export", "results_api"]),
        ({"action": "results_api"}, ["results_api"]),
        ({"outcome": "refused"}, ["team_export"]),
        ({"since": "2026-11-21"}, ["person_erase", "team_export"]),
        ({"since": "2026-11-21", "until": "2026-11-21"}, ["team_export"]),
        ({"user": "nobody"}, []),
    ],
)
def test_the_log_filters_by_user_action_outcome_and_dates(client, hr_user, log, query, expected):
    client.force_login(hr_user)
    assert [action for action, _ in listed(client.get(URL, query))] == expected


def test_a_bad_filter_is_explained_and_lists_nothing(client, hr_user, log):
    client.force_login(hr_user)
    response = client.get(URL, {"since": "2026-11-22", "until": "2026-11-20", "action": "boom"})
    assert response.status_code == 200
    assert "The start date comes after the end date." in response.text
    assert "Select a valid choice." in response.text
    assert listed(response) == []


def test_the_log_is_paginated_and_keeps_the_filter(client, hr_user):
    AuditEntry.objects.bulk_create(
        AuditEntry(action="results_api", outcome="allowed", username=f"u{index}@x.org")
        for index in range(60)
    )
    client.force_login(hr_user)
    response = client.get(URL, {"action": "results_api"})
    assert len(listed(response)) == 50
    assert "?action=results_api&amp;page=2" in response.text
    assert len(listed(client.get(URL, {"action": "results_api", "page": 2}))) == 10


def test_the_log_is_linked_from_the_hr_navigation(client, hr_user):
    client.force_login(hr_user)
    assert f'href="{URL}"' in client.get(reverse("surveys:people")).text


def test_the_csv_download_holds_the_filtered_log_and_is_recorded(client, hr_user, log):
    client.force_login(hr_user)
    response = client.get(CSV_URL, {"user": "marc"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "at,username,action,outcome,campaign,team,person_id,format,detail"
    assert lines[1] == (
        "2026-11-21T12:00:00+01:00,marc@example.org,team_export,refused,2026-q4,lyon-kitchen,,csv,"
    )
    assert len(lines) == 3
    recorded = AuditEntry.objects.order_by("-id").first()
    assert (recorded.action, recorded.user, recorded.format) == ("audit_export", hr_user, "csv")


def test_a_bad_filter_downloads_nothing(client, hr_user, log):
    client.force_login(hr_user)
    response = client.get(CSV_URL, {"since": "yesterday"})
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert AuditEntry.objects.order_by("-id").first().outcome == "refused"


def test_a_manager_gets_403_and_the_attempt_to_download_is_recorded(client, manager, log):
    client.force_login(manager)
    assert client.get(URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403
    refused = AuditEntry.objects.filter(action="audit_export").get()
    assert (refused.user, refused.outcome) == (manager, "refused")


def test_a_stranger_gets_404(client, stranger):
    client.force_login(stranger)
    assert client.get(URL).status_code == 404
    assert client.get(CSV_URL).status_code == 404


def test_the_log_requires_login(client):
    for url in (URL, CSV_URL):
        assert client.get(url)["Location"].startswith(reverse("login"))
    assert AuditEntry.objects.count() == 0


def test_the_admin_shows_the_log_read_only(client, log):
    from conftest import make_user

    admin = make_user("root@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/audit/auditentry/").status_code == 200
    change = client.get(f"/admin/audit/auditentry/{log[0].pk}/change/")
    assert change.status_code == 200
    assert 'name="username"' not in change.text
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.post(f"/admin/audit/auditentry/{log[0].pk}/delete/").status_code == 403
    assert AuditEntry.objects.count() == 3
