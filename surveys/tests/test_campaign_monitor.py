"""The live counts of a campaign (JSON): per team and side, counts only, never scores; and
the responses per day and side of the whole campaign, as JSON and as the page's chart."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import services
from surveys.models import Answer, Campaign, Response
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


def answer(campaign, team, side, day, channel=Response.Channel.LINK):
    return Response.objects.create(
        campaign=campaign, team=team, side=side, submitted_on=day, channel=channel
    )


def test_the_counts_per_day_and_side_cover_every_day_since_the_opening(
    client, hr_user, org, campaign
):
    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(opens_on=today - datetime.timedelta(days=2))
    answer(campaign, org["team"], "employee", today - datetime.timedelta(days=2))
    answer(campaign, org["sibling"], "employee", today - datetime.timedelta(days=2))
    answer(campaign, org["team"], "employee", today)

    data = (
        logged_in(client, hr_user)
        .get(reverse("surveys:campaign_monitor", args=[campaign.slug]))
        .json()
    )

    assert data["per_day"] == [
        {"day": (today - datetime.timedelta(days=2)).isoformat(), "employee": 2, "client": 0},
        {"day": (today - datetime.timedelta(days=1)).isoformat(), "employee": 0, "client": 0},
        # The client's answer through the public link counts too.
        {"day": today.isoformat(), "employee": 1, "client": 1},
    ]


def test_the_open_campaign_page_draws_the_per_day_chart_with_its_table(
    client, hr_user, org, campaign
):
    answer(campaign, org["team"], "employee", timezone.localdate())

    response = logged_in(client, hr_user).get(
        reverse("surveys:campaign_detail", args=[campaign.slug])
    )

    text = response.text
    assert 'data-chart="per-day-spec"' in text
    assert "vendor/plotly/plotly.min.js" in text and "js/charts.js" in text
    spec = response.context["per_day_spec"]
    employees, clients = spec["data"]
    assert (employees["y"], clients["y"]) == ([1], [1])
    assert employees["x"] == [timezone.localdate().isoformat()]
    table = text[text.index('data-testid="per-day-table"') :]
    assert '<td class="text-end">1</td>' in table[: table.index("</table>")]


def test_the_per_day_counts_never_name_a_team(client, hr_user, org, campaign):
    answer(campaign, org["team"], "employee", timezone.localdate())

    response = logged_in(client, hr_user).get(
        reverse("surveys:campaign_detail", args=[campaign.slug])
    )

    spec = json.dumps(response.context["per_day_spec"], ensure_ascii=False)
    assert "Réception" not in spec and "lyon" not in spec and "Cuisine" not in spec


def test_a_draft_has_no_per_day_chart(client, hr_user, org):
    draft = make_campaign([org["team"]], slug="brouillon")

    response = logged_in(client, hr_user).get(reverse("surveys:campaign_detail", args=[draft.slug]))

    assert "per_day_spec" not in response.context
    assert "plotly.min.js" not in response.text


def test_the_monitor_requires_hr(client, manager, campaign):
    url = reverse("surveys:campaign_monitor", args=[campaign.slug])
    assert client.get(url).status_code == 302
    client.force_login(manager)
    assert client.get(url).status_code == 403
