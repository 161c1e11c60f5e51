"""The campaign lifecycle services: create and freeze, launch, open, remind, close, calendar."""

import datetime

import pytest
from django.utils import timezone, translation

from surveys import services
from surveys.models import Campaign, CampaignQuestion, Invitation, PublicLink, Side
from surveys.tests.campaign_helpers import (
    builtin_questionnaire,
    make_campaign,
    make_person,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english():
    # The refusals are matched by their English wording; the site defaults to French.
    with translation.override("en"):
        yield


def days(number):
    return datetime.timedelta(days=number)


@pytest.fixture
def people(org):
    """Two employees and a client in reception, one employee in the kitchen."""
    return {
        "lea": make_person(org["team"], "lea@example.org"),
        "tom": make_person(org["team"], "tom@example.org", language="en"),
        "client": make_person(org["team"], "client@example.org", side=Side.CLIENT),
        "kitchen": make_person(org["sibling"], "chef@example.org"),
    }


def launch(campaign, capture, **kwargs):
    with capture(execute=True):
        return services.campaign_launch(campaign=campaign, **kwargs)


# --- creating ---------------------------------------------------------------


def test_a_new_campaign_freezes_its_own_copy_of_the_template_questions(org):
    template = builtin_questionnaire()
    campaign = make_campaign([org["team"]])

    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.questions.count() == template.questions.count()
    template.questions.filter(code="trust").update(text_en="Rewritten later")
    assert not campaign.questions.filter(text_en="Rewritten later").exists()


def test_a_campaign_asking_employees_only_freezes_only_their_questions(org):
    campaign = make_campaign([org["team"]], sides=[Side.EMPLOYEE])

    assert set(campaign.questions.values_list("side", flat=True)) == {Side.EMPLOYEE}
    assert (campaign.ask_employees, campaign.ask_clients) == (True, False)


def test_editing_a_draft_freezes_the_questions_again_when_the_sides_change(org):
    campaign = make_campaign([org["team"]])
    data = {
        "teams": [org["sibling"]],
        "sides": [Side.CLIENT],
        "questionnaire": campaign.questionnaire,
    }

    services.campaign_update(campaign=campaign, name="Automne", **data)

    campaign.refresh_from_db()
    assert campaign.name == "Automne"
    assert list(campaign.teams.all()) == [org["sibling"]]
    assert set(campaign.questions.values_list("side", flat=True)) == {Side.CLIENT}


def test_a_launched_campaign_can_no_longer_be_edited(
    org, people, django_capture_on_commit_callbacks
):
    campaign = make_campaign([org["team"]])
    launch(campaign, django_capture_on_commit_callbacks)
    data = {"teams": [org["team"]], "sides": [Side.CLIENT], "questionnaire": campaign.questionnaire}

    with pytest.raises(services.CampaignError, match="Only a draft"):
        services.campaign_update(campaign=campaign, name="Autre", **data)
    assert CampaignQuestion.objects.filter(campaign=campaign, side=Side.EMPLOYEE).exists()


# --- launching ----------------------------------------------------------------


def test_launch_creates_one_invitation_per_person_of_the_teams_and_sides(
    org, people, django_capture_on_commit_callbacks
):
    make_person(org["site"], "outside@example.org")  # a team the campaign does not include
    campaign = make_campaign([org["team"], org["sibling"]], opens_in=3)

    launch(campaign, django_capture_on_commit_callbacks)

    invited = Invitation.objects.filter(campaign=campaign)
    assert sorted(invited.values_list("email", "side", "team__code", "language")) == [
        ("chef@example.org", "employee", "lyon-kitchen", "fr"),
        ("client@example.org", "client", "lyon-reception", "fr"),
        ("lea@example.org", "employee", "lyon-reception", "fr"),
        ("tom@example.org", "employee", "lyon-reception", "en"),
    ]
    assert not invited.filter(token_hash__isnull=False).exists()  # drawn only when sent


def test_launch_asks_only_the_chosen_sides(org, people, django_capture_on_commit_callbacks):
    campaign = make_campaign([org["team"]], sides=[Side.CLIENT])

    launch(campaign, django_capture_on_commit_callbacks)

    assert list(campaign.invitations.values_list("email", flat=True)) == ["client@example.org"]


def test_launching_twice_creates_nothing_twice(org, people, django_capture_on_commit_callbacks):
    campaign = make_campaign([org["team"]], opens_in=2)
    launch(campaign, django_capture_on_commit_callbacks)

    with pytest.raises(services.CampaignError, match="already been launched"):
        launch(campaign, django_capture_on_commit_callbacks)
    assert campaign.invitations.count() == 3
    assert campaign.public_links.count() == 1


def test_launch_creates_one_public_link_per_team_when_clients_are_asked(
    org, people, django_capture_on_commit_callbacks
):
    with_clients = make_campaign([org["team"], org["sibling"]], opens_in=1)
    employees_only = make_campaign([org["team"]], slug="interne", sides=[Side.EMPLOYEE])

    launch(with_clients, django_capture_on_commit_callbacks)
    launch(employees_only, django_capture_on_commit_callbacks)

    links = PublicLink.objects.filter(campaign=with_clients)
    assert sorted(links.values_list("team__code", flat=True)) == ["lyon-kitchen", "lyon-reception"]
    assert len({link.token for link in links}) == 2
    assert all(len(link.token) >= 16 for link in links)
    assert not PublicLink.objects.filter(campaign=employees_only).exists()


def test_a_campaign_launched_before_its_day_is_scheduled_and_sends_nothing(
    org, people, smtp_server, django_capture_on_commit_callbacks
):
    campaign = launch(make_campaign([org["team"]], opens_in=5), django_capture_on_commit_callbacks)

    assert campaign.status == Campaign.Status.SCHEDULED
    assert smtp_server == []


def test_a_campaign_launched_on_its_day_opens_and_sends_the_invitations(
    org, people, smtp_server, django_capture_on_commit_callbacks
):
    campaign = launch(make_campaign([org["team"]]), django_capture_on_commit_callbacks)

    assert campaign.status == Campaign.Status.OPEN
    assert sorted(m["To"] for m in smtp_server) == [
        "client@example.org",
        "lea@example.org",
        "tom@example.org",
    ]
    assert not campaign.invitations.filter(sent_count=0).exists()


def test_launch_refuses_a_campaign_whose_close_date_has_passed(
    org, people, django_capture_on_commit_callbacks
):
    campaign = make_campaign([org["team"]])

    with pytest.raises(services.CampaignError, match="close date has passed"):
        launch(campaign, django_capture_on_commit_callbacks, today=campaign.closes_on + days(1))
    assert campaign.invitations.count() == 0


def test_launch_refuses_when_nobody_can_be_invited(org, django_capture_on_commit_callbacks):
    campaign = make_campaign([org["team"]], sides=[Side.EMPLOYEE])

    with pytest.raises(services.CampaignError, match="Nobody to invite"):
        launch(campaign, django_capture_on_commit_callbacks)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


# --- opening and closing by hand ----------------------------------------------


def test_opening_by_hand_before_the_day_records_the_real_opening_day(
    org, people, smtp_server, django_capture_on_commit_callbacks
):
    campaign = launch(make_campaign([org["team"]], opens_in=4), django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_open(campaign=campaign)

    campaign.refresh_from_db()
    assert (campaign.status, campaign.opens_on) == (Campaign.Status.OPEN, TODAY)
    assert len(smtp_server) == 3


def test_closing_records_the_state_and_the_day_it_closed(
    org, people, django_capture_on_commit_callbacks
):
    campaign = launch(make_campaign([org["team"]], days=10), django_capture_on_commit_callbacks)

    services.campaign_close(campaign=campaign)

    campaign.refresh_from_db()
    assert (campaign.status, campaign.closes_on) == (Campaign.Status.CLOSED, TODAY)
    with pytest.raises(services.CampaignError, match="Only an open campaign"):
        services.campaign_close(campaign=campaign)


def test_a_draft_cannot_be_closed_or_opened(org):
    campaign = make_campaign([org["team"]])

    with pytest.raises(services.CampaignError):
        services.campaign_close(campaign=campaign)
    with pytest.raises(services.CampaignError):
        services.campaign_open(campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


# --- reminders ----------------------------------------------------------------


def test_a_reminder_goes_only_to_those_who_have_not_answered(
    org, people, smtp_server, django_capture_on_commit_callbacks
):
    campaign = launch(make_campaign([org["team"]]), django_capture_on_commit_callbacks)
    campaign.invitations.filter(email="lea@example.org").update(used=True)
    # A purged invitation keeps its counts but has no address left.
    campaign.invitations.filter(email="client@example.org").update(email="", person=None)
    smtp_server.clear()

    with django_capture_on_commit_callbacks(execute=True):
        number = services.campaign_remind(campaign=campaign)

    assert number == 1
    assert [m["To"] for m in smtp_server] == ["tom@example.org"]
    tom = campaign.invitations.get(email="tom@example.org")
    assert (tom.reminded_count, tom.sent_count) == (1, 1)
    campaign.refresh_from_db()
    assert (campaign.reminders_sent, campaign.last_reminder_on) == (1, TODAY)


def test_a_reminder_keeps_the_personal_token(
    org, people, smtp_server, django_capture_on_commit_callbacks
):
    campaign = launch(make_campaign([org["team"]]), django_capture_on_commit_callbacks)
    before = campaign.invitations.get(email="tom@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_remind(campaign=campaign)

    after = campaign.invitations.get(email="tom@example.org")
    assert before.token_hash and (after.token_hash, after.link_key) == (
        before.token_hash,
        before.link_key,
    )
    assert after.reminded_count == 1


def test_a_fourth_reminder_is_refused(org, people, smtp_server, django_capture_on_commit_callbacks):
    campaign = launch(make_campaign([org["team"]]), django_capture_on_commit_callbacks)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            services.campaign_remind(campaign=campaign)
    sent = len(smtp_server)

    with pytest.raises(services.CampaignError, match="three reminders"):
        services.campaign_remind(campaign=campaign)

    assert len(smtp_server) == sent == 3 + 3 * 3
    assert set(campaign.invitations.values_list("reminded_count", flat=True)) == {3}


def test_no_reminder_is_counted_when_everybody_has_answered(
    org, people, django_capture_on_commit_callbacks
):
    campaign = launch(make_campaign([org["team"]]), django_capture_on_commit_callbacks)
    campaign.invitations.update(used=True)

    with pytest.raises(services.CampaignError, match="Nobody to remind"):
        services.campaign_remind(campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.reminders_sent == 0


# --- the calendar ---------------------------------------------------------------


def test_the_calendar_opens_a_scheduled_campaign_on_its_day_and_sends_the_invitations(
    org, people, smtp_server, django_capture_on_commit_callbacks
):
    campaign = launch(make_campaign([org["team"]], opens_in=2), django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.campaigns_follow_calendar(today=TODAY + days(1))["opened"] == []
        done = services.campaigns_follow_calendar(today=TODAY + days(2))
        again = services.campaigns_follow_calendar(today=TODAY + days(2))

    assert done["opened"] == [campaign.slug]
    assert again["opened"] == []
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN
    assert len(smtp_server) == 3


def test_the_calendar_closes_open_campaigns_after_their_close_date(
    org, people, django_capture_on_commit_callbacks
):
    campaign = launch(make_campaign([org["team"]], days=7), django_capture_on_commit_callbacks)

    assert services.campaigns_follow_calendar(today=TODAY + days(7))["closed"] == []
    assert services.campaigns_follow_calendar(today=TODAY + days(8))["closed"] == [campaign.slug]

    campaign.refresh_from_db()
    assert (campaign.status, campaign.closes_on) == (Campaign.Status.CLOSED, TODAY + days(7))


def test_the_calendar_closes_a_scheduled_campaign_that_missed_its_dates(
    org, people, smtp_server, django_capture_on_commit_callbacks
):
    campaign = launch(
        make_campaign([org["team"]], opens_in=1, days=2), django_capture_on_commit_callbacks
    )

    with django_capture_on_commit_callbacks(execute=True):
        done = services.campaigns_follow_calendar(today=TODAY + days(10))

    assert done["closed"] == [campaign.slug]
    assert smtp_server == []


def test_the_calendar_sends_each_scheduled_reminder_once(
    org, people, smtp_server, django_capture_on_commit_callbacks
):
    campaign = make_campaign([org["team"]], reminder_days=[3, 7])
    launch(campaign, django_capture_on_commit_callbacks)
    smtp_server.clear()

    with django_capture_on_commit_callbacks(execute=True):
        for day in (1, 2, 3, 3, 4):
            services.campaigns_follow_calendar(today=TODAY + days(day))
    assert len(smtp_server) == 3  # one reminder, on day 3, to the three people

    campaign.refresh_from_db()
    assert campaign.reminders_sent == 1


def test_a_reminder_sent_by_hand_on_the_day_replaces_the_scheduled_one(
    org, people, smtp_server, django_capture_on_commit_callbacks
):
    campaign = make_campaign([org["team"]], reminder_days=[3])
    launch(campaign, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_remind(campaign=campaign, today=TODAY + days(3))
        done = services.campaigns_follow_calendar(today=TODAY + days(3))

    assert done["reminded"] == []
    campaign.refresh_from_db()
    assert campaign.reminders_sent == 1
