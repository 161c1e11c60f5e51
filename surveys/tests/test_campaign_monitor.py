"""The live counts of a campaign (JSON): per team and side, counts only, never scores."""

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import services
from surveys.models import Answer, Response
from surveys.tests.campaign_helpers import (
    logged_in,
    make_campaign,
    make_person,
)

pytestmark = pytest.mark.django_db

ROW_KEYS = {
    "team",
    "team_name",
    "side",
    "side_label",
    "invited",
    "sent",
    "answered",
    "public_answers",
    "response_rate",
}


@pytest.fixture
def campaign(org, smtp_server, django_capture_on_commit_callbacks):
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        make_person(org["team"], email)
    make_person(org["sibling"], "d@example.org")
    make_person(org["team"], "client@example.org", side="client")
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_launch(campaign=make_campaign([org["team"], org["sibling"]]))
    campaign.invitations.filter(email__in=["a@example.org", "b@example.org"]).update(used=True)
    # One client answered through the public link, with a score that must not show.
    response = Response.objects.create(
        campaign=campaign,
        team=org["team"],
        side="client",
        submitted_on=timezone.localdate(),
        channel=Response.Channel.PUBLIC,
    )
    Answer.objects.create(
        response=response, question=campaign.questions.get(side="client", code="recommend"), value=9
    )
    return campaign


def test_the_counts_come_per_team_and_side_with_the_response_rate(client, hr_user, campaign):
    response = logged_in(client, hr_user).get(
        reverse("surveys:campaign_monitor", args=[campaign.slug])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    data = response.json()
    assert data["status"] == "open"
    rows = {(row["team"], row["side"]): row for row in data["rows"]}
    assert set(rows) == {
        ("lyon-reception", "employee"),
        ("lyon-reception", "client"),
        ("lyon-kitchen", "employee"),
        ("lyon-kitchen", "client"),
    }
    reception = rows["lyon-reception", "employee"]
    assert (reception["invited"], reception["sent"], reception["answered"]) == (3, 3, 2)
    assert reception["response_rate"] == pytest.approx(2 / 3)
    assert rows["lyon-reception", "client"]["public_answers"] == 1
    assert rows["lyon-kitchen", "client"]["response_rate"] is None  # nobody invited
    assert data["totals"]["invited"] == 5
    assert data["totals"]["answered"] == 2


def test_the_counts_carry_no_score(client, hr_user, campaign):
    data = (
        logged_in(client, hr_user)
        .get(reverse("surveys:campaign_monitor", args=[campaign.slug]))
        .json()
    )

    assert all(set(row) == ROW_KEYS for row in data["rows"])
    assert set(data["totals"]) == ROW_KEYS - {"team", "team_name", "side", "side_label"}


def test_an_unknown_campaign_has_no_counts(client, hr_user):
    url = reverse("surveys:campaign_monitor", args=["nope"])
    assert logged_in(client, hr_user).get(url).status_code == 404
