"""Every campaign step goes through a confirmation page that says, in numbers, what will
happen; a POST that does not come from that page changes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import services
from surveys.models import Campaign, Invitation, Side
from surveys.tests.campaign_helpers import logged_in, make_campaign, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org):
    """Three employees and two clients in the reception, one employee in the kitchen."""
    for email in ("lea@example.org", "tom@example.org", "ines@example.org"):
        make_person(org["team"], email)
    for email in ("client1@example.org", "client2@example.org"):
        make_person(org["team"], email, side=Side.CLIENT)
    make_person(org["sibling"], "hugo@example.org")
    return org


def url(name, campaign):
    return reverse(f"surveys:campaign_{name}", args=[campaign.slug])


def state(campaign):
    campaign = Campaign.objects.get(pk=campaign.pk)
    return (
        campaign.status,
        campaign.closes_on,
        campaign.reminders_sent,
        Invitation.objects.filter(campaign=campaign).count(),
        Invitation.objects.filter(campaign=campaign).exclude(email="").count(),
    )


def side_count(response, side):
    """The number the page gives for `side` (its <li data-testid="side-…">)."""
    text = response.text
    start = text.index(f'data-testid="side-{side}"')
    return int(text[text.index("<strong>", start) + 8 : text.index("</strong>", start)])


def open_campaign(org, capture, **fields):
    with capture(execute=True):
        return services.campaign_launch(
            campaign=make_campaign([org["team"], org["sibling"]], **fields)
        )


def test_the_launch_page_counts_who_will_be_e_mailed_per_side(client, hr_user, people):
    campaign = make_campaign([people["team"], people["sibling"]])

    response = logged_in(client, hr_user).get(url("launch", campaign))

    assert response.status_code == 200
    assert (side_count(response, "employee"), side_count(response, "client")) == (4, 2)
    assert "2 teams." in response.text
    assert "Answers are accepted until" in response.text
    assert "An invitation that has left cannot be recalled." in response.text
    assert state(campaign)[0] == Campaign.Status.DRAFT


def test_a_launch_without_the_confirmation_changes_nothing(client, hr_user, people, smtp_server):
    campaign = make_campaign([people["team"]])
    before = state(campaign)

    response = logged_in(client, hr_user).post(url("launch", campaign))

    assert response.status_code == 400
    assert "Nothing was done: check what will happen, then confirm." in response.text
    assert state(campaign) == before
    assert smtp_server == []


def test_a_confirmed_launch_launches(
    client, hr_user, people, smtp_server, django_capture_on_commit_callbacks
):
    campaign = make_campaign([people["team"]])

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, hr_user).post(
            url("launch", campaign), {"confirm": "yes"}, follow=True
        )

    assert "The campaign is open: 5 invitations are on their way." in response.text
    assert len(smtp_server) == 5


def test_the_open_page_counts_the_invitations_that_leave(client, hr_user, people, smtp_server):
    campaign = services.campaign_launch(campaign=make_campaign([people["team"]], opens_in=3))
    hr = logged_in(client, hr_user)

    page = hr.get(url("open", campaign))
    refused = hr.post(url("open", campaign), {"confirm": "no"})

    assert (side_count(page, "employee"), side_count(page, "client")) == (3, 2)
    assert refused.status_code == 400
    assert state(campaign)[0] == Campaign.Status.SCHEDULED
    assert smtp_server == []


def test_the_reminder_page_counts_those_who_have_not_answered(
    client, hr_user, people, smtp_server, django_capture_on_commit_callbacks
):
    campaign = open_campaign(people, django_capture_on_commit_callbacks)
    Invitation.objects.filter(email__in=["lea@example.org", "client1@example.org"]).update(
        used=True
    )
    smtp_server.clear()
    hr = logged_in(client, hr_user)
    before = state(campaign)

    page = hr.get(url("remind", campaign))
    refused = hr.post(url("remind", campaign))

    assert (side_count(page, "employee"), side_count(page, "client")) == (3, 1)
    assert "Reminder 1 of 3" in page.text
    assert refused.status_code == 400
    assert state(campaign) == before
    assert smtp_server == []


def test_the_close_page_gives_the_answers_and_who_can_no_longer_answer(
    client, hr_user, people, django_capture_on_commit_callbacks
):
    campaign = open_campaign(people, django_capture_on_commit_callbacks, days=10)
    Invitation.objects.filter(email="lea@example.org").update(used=True)
    hr = logged_in(client, hr_user)
    before = state(campaign)

    page = hr.get(url("close", campaign))
    refused = hr.post(url("close", campaign))

    assert (side_count(page, "employee"), side_count(page, "client")) == (3, 2)
    assert "The campaign closes today" in page.text
    assert "reopened within 30 days" in page.text
    assert refused.status_code == 400
    assert state(campaign) == before


def test_the_reopen_page_asks_for_a_close_date_and_needs_the_confirmation(
    client, hr_user, people, django_capture_on_commit_callbacks
):
    campaign = open_campaign(people, django_capture_on_commit_callbacks)
    services.campaign_close(campaign=campaign)
    hr = logged_in(client, hr_user)
    before = state(campaign)
    next_week = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()

    page = hr.get(url("reopen", campaign))
    refused = hr.post(url("reopen", campaign), {"closes_on": next_week})

    assert 'name="closes_on"' in page.text
    assert side_count(page, "employee") == 4
    assert refused.status_code == 400
    assert state(campaign) == before


def test_the_erase_page_counts_the_invitations_and_needs_the_confirmation(
    client, hr_user, people, django_capture_on_commit_callbacks
):
    campaign = open_campaign(people, django_capture_on_commit_callbacks)
    services.campaign_close(campaign=campaign)
    hr = logged_in(client, hr_user)
    before = state(campaign)

    page = hr.get(url("erase_links", campaign))
    refused = hr.post(url("erase_links", campaign))
    done = hr.post(url("erase_links", campaign), {"confirm": "yes"}, follow=True)

    assert (side_count(page, "employee"), side_count(page, "client")) == (4, 2)
    assert "can no longer be reopened" in page.text
    assert refused.status_code == 400
    assert "6 invitations erased" in done.text
    assert before[4] == 6 and state(campaign)[4] == 0


def test_deleting_a_draft_needs_the_confirmation(client, hr_user, people):
    campaign = make_campaign([people["team"]])
    hr = logged_in(client, hr_user)

    refused = hr.post(url("delete", campaign))
    assert refused.status_code == 400
    assert Campaign.objects.filter(pk=campaign.pk).exists()

    done = hr.post(url("delete", campaign), {"confirm": "yes"}, follow=True)
    assert "The draft “Printemps” is deleted." in done.text
    assert not Campaign.objects.filter(pk=campaign.pk).exists()


def test_a_step_that_does_not_fit_the_status_is_refused_before_any_page(client, hr_user, people):
    campaign = make_campaign([people["team"]])

    response = logged_in(client, hr_user).get(url("close", campaign), follow=True)

    assert "Only an open campaign can be closed." in response.text
    assert state(campaign)[0] == Campaign.Status.DRAFT


def test_the_detail_page_links_to_the_confirmation_pages(client, hr_user, people):
    campaign = make_campaign([people["team"]])

    response = logged_in(client, hr_user).get(
        reverse("surveys:campaign_detail", args=[campaign.slug])
    )

    assert f'href="{url("launch", campaign)}"' in response.text
    assert f'href="{url("delete", campaign)}"' in response.text
