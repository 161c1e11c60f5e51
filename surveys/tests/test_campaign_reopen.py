"""Reopening a closed campaign from its page: within 30 days, unless a later campaign has
opened or its links were erased; the links of those who have not answered work again.
(What a reopening publishes: barometer/tests/test_campaign_releases.py.)"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from surveys import services
from surveys.models import Campaign, Person
from surveys.persons import person_erase
from surveys.tests.campaign_helpers import logged_in, make_campaign, make_person, tokens_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
NEXT_WEEK = TODAY() + datetime.timedelta(days=7)


@pytest.fixture
def closed(org, smtp_server, django_capture_on_commit_callbacks):
    """Closed today; Léa and Tom were invited and have not answered."""
    make_person(org["team"], "lea@example.org")
    make_person(org["team"], "tom@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_launch(campaign=make_campaign([org["team"]]))
    services.campaign_close(campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def reopen(client, campaign, closes_on=NEXT_WEEK):
    return client.post(
        reverse("surveys:campaign_reopen", args=[campaign.slug]),
        {"confirm": "yes", "closes_on": closes_on.isoformat()},
        follow=True,
    )


def test_hr_reopens_a_campaign_and_the_unanswered_links_work_again(
    client, hr_user, closed, smtp_server
):
    token = tokens_in(smtp_server)[0]
    assert "closed" in client.get(f"/r/{token}/").text.lower()

    response = reopen(logged_in(client, hr_user), closed)

    assert "The campaign is open again until" in response.text
    closed.refresh_from_db()
    assert (closed.status, closed.closes_on) == (Campaign.Status.OPEN, NEXT_WEEK)
    assert client.get(f"/r/{token}/").status_code == 200
    assert AuditEntry.objects.filter(action="campaign_reopen", campaign=closed.slug).exists()


def test_a_new_close_date_in_the_past_is_refused(client, hr_user, closed):
    response = reopen(logged_in(client, hr_user), closed, TODAY() - datetime.timedelta(days=1))

    assert response.status_code == 400
    assert "The new close date cannot be in the past." in response.text
    assert Campaign.objects.get(pk=closed.pk).status == Campaign.Status.CLOSED


def test_a_later_campaign_that_opened_prevents_the_reopening(client, hr_user, org, closed):
    later = make_campaign([org["team"]], slug="ete", opens_in=1)
    Campaign.objects.filter(pk=later.pk).update(status=Campaign.Status.OPEN)

    response = reopen(logged_in(client, hr_user), closed)

    assert "A later campaign has opened since: this one cannot reopen." in response.text
    assert Campaign.objects.get(pk=closed.pk).status == Campaign.Status.CLOSED


def test_erased_links_prevent_the_reopening(client, hr_user, closed):
    hr = logged_in(client, hr_user)
    hr.post(reverse("surveys:campaign_erase_links", args=[closed.slug]), {"confirm": "yes"})

    response = reopen(hr, closed)

    assert "Its personal links were erased: this campaign cannot reopen." in response.text
    assert Campaign.objects.get(pk=closed.pk).status == Campaign.Status.CLOSED


def test_one_person_erased_does_not_prevent_the_reopening(client, hr_user, closed):
    person_erase(person=Person.objects.get(email="lea@example.org"))

    reopen(logged_in(client, hr_user), closed)

    assert Campaign.objects.get(pk=closed.pk).status == Campaign.Status.OPEN


def test_a_campaign_closed_30_days_ago_cannot_reopen(client, hr_user, closed):
    Campaign.objects.filter(pk=closed.pk).update(
        opens_on=TODAY() - datetime.timedelta(days=40),
        closes_on=TODAY() - datetime.timedelta(days=30),
    )

    response = reopen(logged_in(client, hr_user), closed)

    assert "closed more than 30 days ago" in response.text
    assert Campaign.objects.get(pk=closed.pk).status == Campaign.Status.CLOSED


def test_an_imported_past_campaign_cannot_reopen(client, hr_user, closed):
    Campaign.objects.filter(pk=closed.pk).update(historical=True)

    response = reopen(logged_in(client, hr_user), closed)

    assert "An imported past campaign cannot reopen." in response.text
    assert Campaign.objects.get(pk=closed.pk).status == Campaign.Status.CLOSED


def test_the_closed_campaign_page_offers_the_reopening(client, hr_user, closed):
    response = logged_in(client, hr_user).get(
        reverse("surveys:campaign_detail", args=[closed.slug])
    )

    assert reverse("surveys:campaign_reopen", args=[closed.slug]) in response.text
