"""The privacy page every questionnaire links to, and the retention purge."""

import datetime

import pytest

from surveys.answering.traces import invitations_purge
from surveys.models import Campaign, Invitation, Response
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link

pytestmark = pytest.mark.django_db


def test_every_questionnaire_links_to_the_privacy_page(client, org):
    campaign = open_campaign(org)
    _, token = personal_link(campaign, org["team"], language="en")
    page = client.get(f"/r/{token}/").text
    assert 'href="/privacy/?lang=en"' in page


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("fr", ["Ce qui est conservé", "au moins 5 personnes", "90 jours après la clôture"]),
        ("en", ["What is kept", "at least 5 people", "90 days after the close"]),
    ],
)
def test_the_privacy_page_says_what_is_kept_and_the_thresholds(client, settings, language, phrases):
    settings.RETENTION_DAYS = 90
    page = client.get(f"/privacy/?lang={language}")
    assert page.status_code == 200
    for phrase in phrases:
        assert phrase in page.text


def test_invitations_are_erased_after_the_retention_period_and_answers_stay(client, org, settings):
    settings.RETENTION_DAYS = 90
    campaign = open_campaign(org)
    _, token = personal_link(campaign, org["team"])
    personal_link(campaign, org["team"], email="tom@example.org")
    client.post(f"/r/{token}/", full_answers(campaign, "employee"))
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    closed_on = campaign.closes_on

    assert invitations_purge(today=closed_on + datetime.timedelta(days=90)) == 0
    assert invitations_purge(today=closed_on + datetime.timedelta(days=91)) == 2

    assert list(Invitation.objects.values_list("email", "person", "token_hash", "used")) in (
        [("", None, None, True), ("", None, None, False)],
        [("", None, None, False), ("", None, None, True)],
    )
    assert Response.objects.count() == 1
    assert invitations_purge(today=closed_on + datetime.timedelta(days=92)) == 0
