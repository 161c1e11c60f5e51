"""Finding what a link opens: one query, reading what the answering pages use."""

import datetime

import pytest

from surveys.answering.lookup import (
    CAMPAIGN_FIELDS,
    INVITATION_FIELDS,
    PUBLIC_LINK_FIELDS,
    invitation_for,
    public_link_for,
)
from surveys.models import Campaign, Invitation, PublicLink
from surveys.tests.respond_helpers import open_campaign, personal_link, public_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org):
    campaign = open_campaign(org)
    # Values of every type read: JSON, dates, a time stamp.
    Campaign.objects.filter(pk=campaign.pk).update(reminder_days=[3, 7])
    campaign.refresh_from_db()
    return campaign


def _fields(instance, names=None):
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.fields
        if names is None or field.name in names
    }


def test_a_personal_link_is_found_with_its_campaign_in_one_query(
    campaign, org, django_assert_num_queries
):
    invitation, token = personal_link(campaign, org["team"])
    expected = Invitation.objects.select_related("campaign").get(pk=invitation.pk)
    with django_assert_num_queries(1):
        found = invitation_for(token)
        assert _fields(found, INVITATION_FIELDS) == _fields(expected, INVITATION_FIELDS)
        assert _fields(found.campaign, CAMPAIGN_FIELDS) == _fields(
            expected.campaign, CAMPAIGN_FIELDS
        )
        assert isinstance(found.campaign.closes_on, datetime.date)
    # Anything else is read when used, and is right.
    assert _fields(found) == _fields(expected)
    assert _fields(found.campaign) == _fields(expected.campaign)
    assert found.campaign.reminder_days == [3, 7]
    assert found.team.code == org["team"].code


def test_a_public_link_is_found_with_its_campaign_in_one_query(
    campaign, org, django_assert_num_queries
):
    link = public_link(campaign, org["sibling"])
    expected = PublicLink.objects.select_related("campaign").get(pk=link.pk)
    with django_assert_num_queries(1):
        found = public_link_for(link.token)
        assert _fields(found, PUBLIC_LINK_FIELDS) == _fields(expected, PUBLIC_LINK_FIELDS)
        assert _fields(found.campaign, CAMPAIGN_FIELDS) == _fields(
            expected.campaign, CAMPAIGN_FIELDS
        )
    assert found.token == link.token
    assert found.team.code == org["sibling"].code


def test_unknown_tokens_find_nothing(campaign, org):
    personal_link(campaign, org["team"])
    assert invitation_for("A" * 43) is None
    assert public_link_for("B" * 16) is None


@pytest.mark.parametrize("token", ["", "short", "A" * 129, "a/../b" * 4, "é" * 43])
def test_malformed_tokens_find_nothing_without_a_query(token, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert invitation_for(token) is None
        assert public_link_for(token) is None
