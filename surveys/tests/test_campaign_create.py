"""Creating a campaign: the form, its defaults, and what it refuses."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_team
from surveys.models import Campaign, Questionnaire, Team
from surveys.tests.campaign_helpers import (
    builtin_questionnaire,
    logged_in,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
URL = reverse("surveys:campaign_create")


def form_data(org, **changes):
    data = {
        "name": "Printemps 2027",
        "slug": "",
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + datetime.timedelta(days=21)).isoformat(),
        "questionnaire": builtin_questionnaire().pk,
        "tree": org["site"].pk,
        "sides": ["employee", "client"],
        "score_threshold": "5",
        "comment_threshold": "10",
        "reminder_1": "3",
        "reminder_2": "",
        "reminder_3": "10",
    }
    return {key: value for key, value in (data | changes).items() if value is not None}


def test_the_form_starts_from_the_builtin_template_both_sides_and_default_thresholds(
    client, hr_user, org
):
    hr_client = logged_in(client, hr_user)
    response = hr_client.get(URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert form["questionnaire"].value() == Questionnaire.objects.get(builtin=True).pk
    assert form["sides"].value() == ["employee", "client"]
    assert (form["score_threshold"].value(), form["comment_threshold"].value()) == (5, 10)
    assert "Anonymity threshold for scores" in response.text


def test_hr_creates_a_campaign_on_a_team_and_everything_below_it(client, hr_user, org):
    hr_client = logged_in(client, hr_user)
    old = make_team("lyon-old", parent=org["site"])
    Team.objects.filter(pk=old.pk).update(archived=True)  # archived teams are left out

    response = hr_client.post(URL, form_data(org))

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:campaign_detail", args=["printemps-2027"])
    assert campaign.slug == "printemps-2027"
    assert campaign.status == Campaign.Status.DRAFT
    assert sorted(campaign.teams.values_list("code", flat=True)) == [
        "lyon",
        "lyon-kitchen",
        "lyon-reception",
    ]
    assert (campaign.ask_employees, campaign.ask_clients) == (True, True)
    assert campaign.reminder_days == [3, 10]
    assert campaign.questions.count() == builtin_questionnaire().questions.count()


def test_hr_can_pick_teams_one_by_one_and_name_the_slug(client, hr_user, org):
    hr_client = logged_in(client, hr_user)
    data = form_data(org, tree="", teams=[org["sibling"].pk], slug="cuisine-27", sides=["client"])

    hr_client.post(URL, data)

    campaign = Campaign.objects.get()
    assert campaign.slug == "cuisine-27"
    assert list(campaign.teams.all()) == [org["sibling"]]
    assert set(campaign.questions.values_list("side", flat=True)) == {"client"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"score_threshold": "2"}, "The score threshold cannot be below 3"),
        ({"comment_threshold": "4"}, "at least the score threshold (5)"),
        ({"opens_on": (TODAY - datetime.timedelta(days=1)).isoformat()}, "cannot be in the past"),
        (
            {"closes_on": (TODAY - datetime.timedelta(days=1)).isoformat()},
            "on or after the opening",
        ),
        ({"tree": ""}, "Choose a team tree or at least one team."),
        ({"sides": None}, "Ask at least one side"),
        ({"reminder_3": "30"}, "after the close date (day 21)"),
        ({"name": "!!!"}, "Choose a short name"),
        ({"slug": "new"}, "This short name is reserved"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_written(
    client, hr_user, org, changes, message
):
    hr_client = logged_in(client, hr_user)
    response = hr_client.post(URL, form_data(org, **changes))

    assert response.status_code == 200
    assert message in response.text
    assert not Campaign.objects.exists()


def test_a_slug_already_in_use_is_refused(client, hr_user, org):
    hr_client = logged_in(client, hr_user)
    hr_client.post(URL, form_data(org))

    response = hr_client.post(URL, form_data(org))

    assert "A campaign already uses “printemps-2027”" in response.text
    assert Campaign.objects.count() == 1


def test_a_template_without_questions_for_an_asked_side_is_refused(client, hr_user, org):
    empty = Questionnaire.objects.create(name="Vide")

    response = logged_in(client, hr_user).post(URL, form_data(org, questionnaire=empty.pk))

    assert response.status_code == 200
    assert "The template has no question for" in response.text
    assert not Campaign.objects.exists()
