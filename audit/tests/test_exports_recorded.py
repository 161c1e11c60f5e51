"""Every results API call and export is recorded once, refused attempts included."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from audit.models import AuditEntry
from barometer.services import snapshot_compute
from barometer.tests.factories import add_responses, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org):
    campaign = make_campaign(teams=[org["team"], org["sibling"]], k=3)
    add_responses(campaign, org["team"], "employee", 4, recommend=10)
    add_responses(campaign, org["sibling"], "employee", 4, recommend=3)
    snapshot_compute(campaign=campaign)
    return campaign


def entries():
    return list(
        AuditEntry.objects.order_by("id").values(
            "user", "username", "action", "outcome", "campaign", "team", "person_id", "format"
        )
    )


def entry(user, action, outcome="allowed", *, campaign="2026-q4", team="", fmt=""):
    return {
        "user": user.pk,
        "username": user.username,
        "action": action,
        "outcome": outcome,
        "campaign": campaign,
        "team": team,
        "person_id": None,
        "format": fmt,
    }


def test_a_results_api_call_is_recorded_once(client, manager, campaign):
    client.force_login(manager)
    assert client.get("/api/campaigns/2026-q4/results.json").status_code == 200
    assert entries() == [entry(manager, "results_api", fmt="json")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_overview_export_is_recorded_once(client, hr_user, campaign, fmt):
    client.force_login(hr_user)
    assert client.get(f"/dashboards/2026-q4/export.{fmt}").status_code == 200
    assert entries() == [entry(hr_user, "overview_export", fmt=fmt)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_team_export_is_recorded_once(client, manager, campaign, fmt):
    client.force_login(manager)
    response = client.get(f"/dashboards/2026-q4/teams/lyon-reception/export.{fmt}")
    assert response.status_code == 200
    assert entries() == [entry(manager, "team_export", team="lyon-reception", fmt=fmt)]


def test_a_manager_asking_for_a_sibling_team_is_recorded_as_refused(client, manager, campaign):
    client.force_login(manager)
    response = client.get("/dashboards/2026-q4/teams/lyon-kitchen/export.csv")
    assert response.status_code == 403
    assert entries() == [entry(manager, "team_export", "refused", team="lyon-kitchen", fmt="csv")]


def test_a_campaign_out_of_reach_is_recorded_as_refused(client, stranger, campaign):
    client.force_login(stranger)
    assert client.get("/api/campaigns/2026-q4/results.json").status_code == 404
    assert client.get("/dashboards/2026-q4/export.xlsx").status_code == 404
    assert entries() == [
        entry(stranger, "results_api", "refused", fmt="json"),
        entry(stranger, "overview_export", "refused", fmt="xlsx"),
    ]


def test_an_anonymous_call_gets_the_login_page_and_no_entry(client, campaign):
    response = client.get("/api/campaigns/2026-q4/results.json")
    assert response.status_code == 302
    assert AuditEntry.objects.count() == 0


def test_a_hostile_campaign_name_is_cut_to_fit(client, hr_user, campaign):
    client.force_login(hr_user)
    slug = "x" * 300
    assert client.get(f"/api/campaigns/{slug}/results.json").status_code == 404
    assert AuditEntry.objects.get().campaign == "x" * 64


def test_the_dashboards_themselves_are_not_recorded(client, hr_user, campaign):
    client.force_login(hr_user)
    assert client.get("/dashboards/2026-q4/").status_code == 200
    assert client.get("/dashboards/2026-q4/teams/lyon-reception/").status_code == 200
    assert AuditEntry.objects.count() == 0


def test_a_deleted_user_keeps_their_name_in_the_log(client, manager, campaign):
    client.force_login(manager)
    client.get("/api/campaigns/2026-q4/results.json")
    manager.delete()
    assert AuditEntry.objects.values_list("user", "username").get() == (None, "marc@example.org")


def test_the_command_line_export_is_recorded_with_the_system_user(campaign, tmp_path):
    call_command("export_barometer", "2026-q4", "--format", "json", stdout=io.StringIO())
    call_command(
        "export_barometer", "2026-q4", "--format", "xlsx", "--output", str(tmp_path / "r.xlsx")
    )
    recorded = AuditEntry.objects.order_by("id")
    assert [(e.action, e.campaign, e.format, e.user) for e in recorded] == [
        ("command_export", "2026-q4", "json", None),
        ("command_export", "2026-q4", "xlsx", None),
    ]
    assert all(e.username for e in recorded)


@pytest.fixture
def log_refuses_writes():
    """The database refuses new audit entries, as a full disk or a revoked grant would."""
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'audit log unavailable'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER audit_refuse BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_refuse()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER audit_refuse BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END"
            )
    # Dropped with the test's transaction.


def test_an_export_the_log_cannot_record_is_not_delivered(hr_user, campaign, log_refuses_writes):
    client = Client(raise_request_exception=False)
    client.force_login(hr_user)
    response = client.get("/dashboards/2026-q4/export.csv")
    assert response.status_code >= 500
    assert "Content-Disposition" not in response
