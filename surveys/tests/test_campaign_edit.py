"""Editing a campaign while it is a draft; once launched, see test_campaign_edit_open."""

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


def edit_url(campaign):
    return reverse("surveys:campaign_edit", args=[campaign.slug])


def posted(client, campaign, **changes):
    """Post the edit form as it comes, with `changes`."""
    form = client.get(edit_url(campaign)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data |= {"opens_on": campaign.opens_on.isoformat(), "closes_on": campaign.closes_on.isoformat()}
    data = {key: "" if value is None else value for key, value in data.items()}
    return client.post(edit_url(campaign), data | changes)


def test_hr_edits_a_draft_and_its_questions_follow_the_sides(client, hr_user, org):
    hr_client = logged_in(client, hr_user)
    campaign = make_campaign([org["team"]])

    response = posted(hr_client, campaign, name="Printemps revu", sides=["employee"])

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Printemps revu"
    assert set(campaign.questions.values_list("side", flat=True)) == {"employee"}


def test_bad_input_keeps_the_draft_as_it_was(client, hr_user, org):
    hr_client = logged_in(client, hr_user)
    campaign = make_campaign([org["team"]])

    response = posted(hr_client, campaign, name="Autre", score_threshold="2")

    assert "The score threshold cannot be below 3" in response.text
    campaign.refresh_from_db()
    assert (campaign.name, campaign.score_threshold) == ("Printemps", 5)


def test_a_launched_campaign_offers_only_what_may_still_change(client, hr_user, org):
    hr_client = logged_in(client, hr_user)
    make_person(org["team"], "lea@example.org")
    campaign = services.campaign_launch(campaign=make_campaign([org["team"]], opens_in=2))

    response = hr_client.get(edit_url(campaign))

    assert set(response.context["form"].fields) == {
        "name",
        "closes_on",
        "invitation_text",
        "reminder_1",
        "reminder_2",
        "reminder_3",
    }
    assert Campaign.objects.get().status == Campaign.Status.SCHEDULED


def test_a_closed_campaign_cannot_be_edited(client, hr_user, org):
    hr_client = logged_in(client, hr_user)
    make_person(org["team"], "lea@example.org")
    campaign = services.campaign_launch(campaign=make_campaign([org["team"]]))
    services.campaign_close(campaign=campaign)

    response = hr_client.get(edit_url(campaign), follow=True)

    assert "A closed campaign cannot be edited." in response.text
    assert Campaign.objects.get().name == "Printemps"
