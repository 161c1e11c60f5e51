"""The reminder button: non-respondents only, three at most."""

import pytest
from django.urls import reverse

from surveys import services
from surveys.models import Campaign
from surveys.tests.campaign_helpers import (
    logged_in,
    make_campaign,
    make_person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org, smtp_server, django_capture_on_commit_callbacks):
    make_person(org["team"], "lea@example.org")
    make_person(org["team"], "tom@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_launch(campaign=make_campaign([org["team"]]))
    campaign.invitations.filter(email="lea@example.org").update(used=True)
    smtp_server.clear()
    return campaign


def remind(client, campaign, capture):
    with capture(execute=True):
        return client.post(
            reverse("surveys:campaign_remind", args=[campaign.slug]),
            {"confirm": "yes"},
            follow=True,
        )


def test_a_reminder_goes_to_those_who_have_not_answered(
    client, hr_user, campaign, smtp_server, django_capture_on_commit_callbacks
):
    response = remind(logged_in(client, hr_user), campaign, django_capture_on_commit_callbacks)

    assert "Reminder 1 of 3 is on its way" in response.text
    assert [message["To"] for message in smtp_server] == ["tom@example.org"]
    assert Campaign.objects.get().reminders_sent == 1


def test_a_fourth_reminder_is_refused_with_a_clear_message(
    client, hr_user, campaign, smtp_server, django_capture_on_commit_callbacks
):
    hr = logged_in(client, hr_user)
    for _ in range(3):
        remind(hr, campaign, django_capture_on_commit_callbacks)

    response = remind(hr, campaign, django_capture_on_commit_callbacks)

    assert "This campaign has already sent its three reminders." in response.text
    assert len(smtp_server) == 3
    assert Campaign.objects.get().reminders_sent == 3
