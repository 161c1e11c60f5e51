"""The launch button: invitations out (or scheduled), and refusals said plainly."""

import datetime

import pytest
from django.urls import reverse

from surveys.models import Campaign, Invitation
from surveys.tests.campaign_helpers import (
    logged_in,
    make_campaign,
    make_person,
)

pytestmark = pytest.mark.django_db


def launch(client, campaign, capture):
    with capture(execute=True):
        return client.post(
            reverse("surveys:campaign_launch", args=[campaign.slug]),
            {"confirm": "yes"},
            follow=True,
        )


def test_launching_on_the_opening_day_sends_the_invitations(
    client, hr_user, org, smtp_server, django_capture_on_commit_callbacks
):
    make_person(org["team"], "lea@example.org")
    make_person(org["team"], "tom@example.org")
    campaign = make_campaign([org["team"]])

    response = launch(logged_in(client, hr_user), campaign, django_capture_on_commit_callbacks)

    assert "The campaign is open: 2 invitations are on their way." in response.text
    assert Campaign.objects.get().status == Campaign.Status.OPEN
    assert len(smtp_server) == 2


def test_launching_before_the_opening_day_schedules_the_campaign(
    client, hr_user, org, smtp_server, django_capture_on_commit_callbacks
):
    make_person(org["team"], "lea@example.org")
    campaign = make_campaign([org["team"]], opens_in=3)

    response = launch(logged_in(client, hr_user), campaign, django_capture_on_commit_callbacks)

    assert "The campaign is scheduled: it opens on" in response.text
    assert Campaign.objects.get().status == Campaign.Status.SCHEDULED
    assert smtp_server == []


def test_launching_twice_says_so_and_invites_nobody_twice(
    client, hr_user, org, smtp_server, django_capture_on_commit_callbacks
):
    make_person(org["team"], "lea@example.org")
    campaign = make_campaign([org["team"]])
    hr = logged_in(client, hr_user)
    launch(hr, campaign, django_capture_on_commit_callbacks)

    response = launch(hr, campaign, django_capture_on_commit_callbacks)

    assert "This campaign has already been launched." in response.text
    assert Invitation.objects.count() == 1
    assert len(smtp_server) == 1


def test_a_campaign_past_its_close_date_is_not_launched(
    client, hr_user, org, django_capture_on_commit_callbacks
):
    make_person(org["team"], "lea@example.org")
    campaign = make_campaign([org["team"]])
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(opens_on=yesterday, closes_on=yesterday)

    response = launch(logged_in(client, hr_user), campaign, django_capture_on_commit_callbacks)

    assert "The close date has passed: change the dates, then launch." in response.text
    assert not Invitation.objects.exists()
    assert Campaign.objects.get().status == Campaign.Status.DRAFT
