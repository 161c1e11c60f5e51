"""Duplicating a campaign for the next round: same teams, sides, thresholds, texts and
template, new dates; the result is a draft and nothing is sent."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from surveys import services
from surveys.models import Campaign, Invitation, Side, Team
from surveys.tests.campaign_helpers import logged_in, make_campaign, make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def spring(org):
    make_person(org["team"], "lea@example.org")
    campaign = make_campaign(
        [org["team"], org["sibling"]],
        sides=[Side.EMPLOYEE],
        score_threshold=6,
        comment_threshold=12,
        reminder_days=[5, 12],
        live_results=True,
        invitation_text="Cinq minutes, merci.",
    )
    return services.campaign_launch(campaign=campaign)


def duplicate(client, campaign, **changes):
    opens_on = TODAY() + datetime.timedelta(days=90)
    data = {
        "name": "Été",
        "slug": "ete",
        "opens_on": opens_on.isoformat(),
        "closes_on": (opens_on + datetime.timedelta(days=20)).isoformat(),
    }
    return client.post(
        reverse("surveys:campaign_duplicate", args=[campaign.slug]), data | changes, follow=True
    )


def test_the_duplicate_is_a_draft_with_the_same_settings_and_new_dates(
    client, hr_user, org, spring
):
    response = duplicate(logged_in(client, hr_user), spring)

    assert "Draft “Été” created." in response.text
    copy = Campaign.objects.get(slug="ete")
    assert copy.status == Campaign.Status.DRAFT
    assert set(copy.teams.all()) == {org["team"], org["sibling"]}
    assert copy.sides == ["employee"]
    assert (copy.score_threshold, copy.comment_threshold) == (6, 12)
    assert (copy.reminder_days, copy.live_results) == ([5, 12], True)
    assert copy.invitation_text == "Cinq minutes, merci."
    assert copy.questionnaire == spring.questionnaire
    assert copy.questions.count() == spring.questions.count()
    assert copy.opens_on == TODAY() + datetime.timedelta(days=90)
    assert not Invitation.objects.filter(campaign=copy).exists()
    entry = AuditEntry.objects.get(action="campaign_duplicate")
    assert (entry.campaign, entry.detail) == ("ete", "from: printemps")


def test_the_form_proposes_the_next_quarter(client, hr_user, spring):
    response = logged_in(client, hr_user).get(
        reverse("surveys:campaign_duplicate", args=[spring.slug])
    )

    form = response.context["form"]
    assert form["opens_on"].value() == spring.opens_on + datetime.timedelta(days=91)
    assert form["closes_on"].value() - form["opens_on"].value() == datetime.timedelta(days=20)


def test_an_archived_team_is_left_out(client, hr_user, org, spring):
    Team.objects.filter(pk=org["sibling"].pk).update(archived=True)

    duplicate(logged_in(client, hr_user), spring)

    assert list(Campaign.objects.get(slug="ete").teams.all()) == [org["team"]]


def test_a_reminder_beyond_the_shorter_dates_is_dropped(client, hr_user, spring):
    opens_on = TODAY() + datetime.timedelta(days=1)

    duplicate(
        logged_in(client, hr_user),
        spring,
        opens_on=opens_on.isoformat(),
        closes_on=(opens_on + datetime.timedelta(days=7)).isoformat(),
    )

    assert Campaign.objects.get(slug="ete").reminder_days == [5]


def test_dates_in_the_past_or_a_taken_slug_are_refused(client, hr_user, spring):
    hr = logged_in(client, hr_user)

    past = duplicate(hr, spring, opens_on=(TODAY() - datetime.timedelta(days=1)).isoformat())
    taken = duplicate(hr, spring, slug="printemps")

    assert "The opening date cannot be in the past." in past.text
    assert "A campaign already uses “printemps”" in taken.text
    assert Campaign.objects.count() == 1
    assert not AuditEntry.objects.filter(action="campaign_duplicate").exists()
