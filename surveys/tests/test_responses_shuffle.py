"""The shuffle pass (surveys.shuffle): every stored answer survives it unchanged, it
moves what it should, and beat and the close of a campaign run it."""

import datetime

import pytest
from django.conf import settings

from barometer.tests.factories import add_response
from surveys import tasks
from surveys.models import Answer, Response
from surveys.services import campaign_close
from surveys.shuffle import responses_shuffle
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link, public_link
from symetrie.celery import app

pytestmark = pytest.mark.django_db


def stored():
    """Every response and every answer, all their fields but the flag, in a set."""
    responses = Response.objects.values_list(
        "id", "campaign", "team", "side", "submitted_on", "language", "channel"
    )
    answers = Answer.objects.values_list("id", "response", "question", "value", "text")
    return set(responses), set(answers)


@pytest.fixture
def two_campaigns(client, org):
    """Answers of both sides, both teams, several days, languages and channels, in two
    campaigns: some through the answering pages, some written as an import would."""
    spring = open_campaign(org)
    autumn = open_campaign(org, slug="automne")
    for number, (campaign, team, side) in enumerate(
        [(spring, org["team"], "employee"), (spring, org["sibling"], "client")] * 3
        + [(autumn, org["team"], "client")] * 2
    ):
        _, token = personal_link(
            campaign, team, side=side, language="en", email=f"p{number}@example.org"
        )
        answers = full_answers(campaign, side, likert=1 + number % 5, comment=f"n° {number}")
        assert client.post(f"/r/{token}/", answers).status_code == 302
    link = public_link(autumn, org["sibling"])
    assert client.post(f"/q/{link.token}/", full_answers(autumn, "client")).status_code == 302
    for days in (3, 9):
        response = add_response(spring, org["sibling"], "employee", recommend=days, comment="Bof")
        Response.objects.filter(pk=response.pk).update(
            submitted_on=spring.opens_on + datetime.timedelta(days=days), language="en"
        )
    return spring, autumn


def test_a_pass_keeps_every_response_and_answer_as_they_were(two_campaigns):
    before = stored()
    assert len(before[0]) == 11 and len(before[1]) == 9 * 14 + 2 * 2

    assert responses_shuffle() == 11

    assert stored() == before
    assert not Response.objects.filter(shuffled=False).exists()


def test_a_whole_pass_over_a_campaign_keeps_its_answers_too(two_campaigns):
    spring, _ = two_campaigns
    responses_shuffle()
    before = stored()

    assert responses_shuffle(campaign_id=spring.pk, whole=True) == 8

    assert stored() == before


def test_a_pass_moves_only_the_responses_not_moved_yet(client, org, two_campaigns):
    spring, _ = two_campaigns
    assert responses_shuffle() == 11
    assert responses_shuffle() == 0

    _, token = personal_link(spring, org["team"], email="late@example.org")
    client.post(f"/r/{token}/", full_answers(spring, "employee"))
    late = Response.objects.get(shuffled=False)  # the answering statement left it to the default

    assert responses_shuffle() == 1
    assert Response.objects.get(pk=late.pk).shuffled
    assert Answer.objects.filter(response=late).count() == 14


def test_a_campaign_pass_leaves_the_other_campaigns_alone(two_campaigns):
    spring, autumn = two_campaigns

    assert responses_shuffle(campaign_id=autumn.pk) == 3

    assert set(Response.objects.filter(shuffled=False).values_list("campaign", flat=True)) == {
        spring.pk
    }
    assert responses_shuffle(campaign_id=autumn.pk) == 0
    assert responses_shuffle(campaign_id=autumn.pk, whole=True) == 3


def test_closing_a_campaign_moves_its_responses_and_no_others(
    two_campaigns, django_capture_on_commit_callbacks
):
    spring, autumn = two_campaigns
    before = stored()

    with django_capture_on_commit_callbacks(execute=True):
        campaign_close(campaign=spring)

    # Eager Celery (no broker): the task queued at close ran its pass in-process.
    assert not Response.objects.filter(campaign=spring, shuffled=False).exists()
    assert Response.objects.filter(campaign=autumn, shuffled=False).count() == 3
    assert stored() == before


def test_beat_runs_the_pass_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["responses-shuffle"]
    assert entry == {"task": "surveys.tasks.responses_shuffle", "schedule": 60.0}
    assert entry["task"] == tasks.responses_shuffle.name
    assert entry["task"] in app.tasks


def test_nothing_but_answers_points_at_responses():
    """A pass deletes and inserts rows again: any other table pointing at them would
    lose its rows, or stop the pass."""
    assert [rel.related_model for rel in Response._meta.related_objects] == [Answer]
    assert Answer._meta.related_objects == ()
