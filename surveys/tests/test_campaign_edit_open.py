"""Editing a launched campaign: the name, the close date (extended or shortened, never
before today), the reminder schedule and the invitation text; nothing else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from surveys import services
from surveys.models import Campaign
from surveys.tests.campaign_helpers import logged_in, make_campaign, make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def campaign(org, smtp_server, django_capture_on_commit_callbacks):
    make_person(org["team"], "lea@example.org")
    make_person(org["team"], "tom@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_launch(campaign=make_campaign([org["team"]], days=10))
    smtp_server.clear()
    return campaign


def edit(client, campaign, **changes):
    data = {
        "name": campaign.name,
        "closes_on": campaign.closes_on.isoformat(),
        "invitation_text": campaign.invitation_text,
        "reminder_1": "",
        "reminder_2": "",
        "reminder_3": "",
    }
    return client.post(reverse("surveys:campaign_edit", args=[campaign.slug]), data | changes)


def test_hr_extends_the_close_date_of_an_open_campaign(client, hr_user, campaign):
    later = TODAY() + datetime.timedelta(days=30)

    response = edit(logged_in(client, hr_user), campaign, closes_on=later.isoformat())

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.status, campaign.closes_on) == (Campaign.Status.OPEN, later)


def test_hr_shortens_the_close_date_down_to_today(client, hr_user, campaign):
    response = edit(logged_in(client, hr_user), campaign, closes_on=TODAY().isoformat())

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.closes_on == TODAY()


def test_a_close_date_before_today_is_refused_and_changes_nothing(client, hr_user, campaign):
    yesterday = TODAY() - datetime.timedelta(days=1)

    response = edit(logged_in(client, hr_user), campaign, closes_on=yesterday.isoformat())

    assert response.status_code == 200
    assert "The close date cannot be before today" in response.text
    campaign.refresh_from_db()
    assert campaign.closes_on == TODAY() + datetime.timedelta(days=10)
    assert not AuditEntry.objects.filter(action="campaign_edit").exists()


def test_a_reminder_after_the_new_close_date_is_refused(client, hr_user, campaign):
    response = edit(
        logged_in(client, hr_user),
        campaign,
        closes_on=(TODAY() + datetime.timedelta(days=5)).isoformat(),
        reminder_1="8",
    )

    assert "This reminder would go out after the close date (day 5)." in response.text
    campaign.refresh_from_db()
    assert campaign.reminder_days == []


def test_hr_renames_and_sets_the_reminders(client, hr_user, campaign):
    response = edit(
        logged_in(client, hr_user), campaign, name="Printemps 2027", reminder_1="7", reminder_2="3"
    )

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.reminder_days) == ("Printemps 2027", [3, 7])


def test_the_invitation_text_shows_in_the_next_e_mails(
    client, hr_user, campaign, smtp_server, django_capture_on_commit_callbacks
):
    hr = logged_in(client, hr_user)
    edit(hr, campaign, invitation_text="Merci de prendre cinq minutes.\nLa direction")

    with django_capture_on_commit_callbacks(execute=True):
        hr.post(reverse("surveys:campaign_remind", args=[campaign.slug]), {"confirm": "yes"})

    assert len(smtp_server) == 2
    for message in smtp_server:
        text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "Merci de prendre cinq minutes.\nLa direction" in text
        assert text.index("Merci de prendre") < text.index("/r/")
        assert "Merci de prendre cinq minutes." in html


def test_thresholds_and_sides_cannot_change_once_launched(client, hr_user, campaign):
    edit(logged_in(client, hr_user), campaign, score_threshold="3", sides=["employee"])

    campaign.refresh_from_db()
    assert (campaign.score_threshold, campaign.sides) == (5, ["employee", "client"])


def test_a_closed_campaign_cannot_be_edited(client, hr_user, campaign):
    services.campaign_close(campaign=campaign)

    response = edit(logged_in(client, hr_user), campaign, name="Autre")

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Printemps"


def test_a_manager_cannot_edit_an_open_campaign(client, manager, campaign):
    client.force_login(manager)

    response = edit(client, campaign, name="Autre")

    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.name == "Printemps"
