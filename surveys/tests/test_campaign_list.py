"""The list of campaigns: status, dates, teams, sides and counts."""

import pytest
from django.urls import reverse

from surveys import services
from surveys.tests.campaign_helpers import (
    logged_in,
    make_campaign,
    make_person,
)

pytestmark = pytest.mark.django_db


def test_hr_sees_every_campaign_with_its_status_and_counts(client, hr_user, org):
    make_person(org["team"], "lea@example.org")
    make_person(org["team"], "tom@example.org")
    make_campaign([org["team"]], slug="brouillon")
    scheduled = make_campaign([org["team"], org["sibling"]], slug="automne", opens_in=5)
    services.campaign_launch(campaign=scheduled)
    scheduled.invitations.filter(email="lea@example.org").update(used=True)

    response = logged_in(client, hr_user).get(reverse("surveys:campaigns"))

    assert response.status_code == 200
    rows = {campaign.slug: campaign for campaign in response.context["campaigns"]}
    assert (rows["automne"].invited, rows["automne"].answered) == (2, 1)
    assert (rows["brouillon"].invited, rows["brouillon"].answered) == (0, 0)
    assert "Scheduled" in response.text and "Draft" in response.text
    assert "Employees and clients" in response.text
    assert reverse("surveys:campaign_detail", args=["automne"]) in response.text


def test_an_empty_list_says_how_to_start(client, hr_user):
    response = logged_in(client, hr_user).get(reverse("surveys:campaigns"))

    assert "No campaign yet" in response.text
