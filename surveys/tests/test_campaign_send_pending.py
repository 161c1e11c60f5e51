"""The "send the pending e-mails" button, for when the mail server was down."""

import pytest
from django.urls import reverse

from conftest import free_port
from surveys import services
from surveys.tests.campaign_helpers import (
    logged_in,
    make_campaign,
    make_person,
)

pytestmark = pytest.mark.django_db


def test_invitations_that_could_not_leave_are_sent_once_the_server_is_back(
    client, hr_user, org, smtp_server, settings, django_capture_on_commit_callbacks
):
    make_person(org["team"], "lea@example.org")
    working = settings.MAILERS
    settings.MAILERS = {"default": {"OPTIONS": {"host": "127.0.0.1", "port": free_port()}}}
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_launch(campaign=make_campaign([org["team"]]))
    hr = logged_in(client, hr_user)
    detail = hr.get(reverse("surveys:campaign_detail", args=[campaign.slug]))
    assert "Some invitations have not left yet" in detail.text

    settings.MAILERS = working
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(reverse("surveys:campaign_send_pending", args=[campaign.slug]))

    assert [message["To"] for message in smtp_server] == ["lea@example.org"]
    detail = hr.get(reverse("surveys:campaign_detail", args=[campaign.slug]))
    assert "1 e-mail queued again." in detail.text
    assert "Some invitations have not left yet" not in detail.text


def test_nothing_is_queued_for_a_campaign_that_is_not_open(client, hr_user, org):
    campaign = make_campaign([org["team"]])

    url = reverse("surveys:campaign_send_pending", args=[campaign.slug])
    response = logged_in(client, hr_user).post(url, follow=True)

    assert "0 e-mails queued again." in response.text
