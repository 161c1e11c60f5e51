"""The answering hot path: hand-written SQL that must read and write what the ORM would,
and a blank page built once per process that must still be each respondent's own."""

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.test import Client

from surveys.models import Answer, Campaign, Invitation, PublicLink, Response
from surveys.responding import invitation_for, public_link_for
from surveys.rows import insert_rows
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link, public_link

pytestmark = pytest.mark.django_db
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def campaign(org):
    campaign = open_campaign(org)
    # Values of every type the lookup converts: JSON, dates, a time stamp.
    Campaign.objects.filter(pk=campaign.pk).update(reminder_days=[3, 7])
    campaign.refresh_from_db()
    return campaign


def _fields(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_a_link_lookup_loads_the_same_rows_as_the_orm(campaign, org):
    invitation, token = personal_link(campaign, org["team"])
    found = invitation_for(token)
    expected = Invitation.objects.select_related("campaign", "team").get(pk=invitation.pk)
    assert _fields(found) == _fields(expected)
    assert _fields(found.campaign) == _fields(expected.campaign)
    assert found.campaign.reminder_days == [3, 7]
    assert isinstance(found.campaign.closes_on, datetime.date)
    assert _fields(found.team) == _fields(expected.team)

    link = public_link(campaign, org["sibling"])
    found = public_link_for(link.token)
    expected = PublicLink.objects.select_related("campaign", "team").get(pk=link.pk)
    assert _fields(found) == _fields(expected)
    assert found.team.code == org["sibling"].code


def test_unknown_tokens_find_nothing(campaign, org):
    personal_link(campaign, org["team"])
    assert invitation_for("A" * 43) is None
    assert public_link_for("B" * 16) is None


def test_inserted_rows_read_back_as_written(campaign, org):
    response_id = uuid.uuid4()
    question = campaign.questions.filter(side="employee").first()
    with connection.cursor() as cursor:
        insert_rows(
            cursor,
            Response,
            ("id", "campaign_id", "team_id", "side", "submitted_on", "language", "channel"),
            [
                (
                    response_id,
                    campaign.pk,
                    org["team"].pk,
                    "employee",
                    datetime.date(2026, 3, 2),
                    "en",
                    "link",
                )
            ],
        )
        insert_rows(
            cursor,
            Answer,
            ("id", "response_id", "question_id", "value", "text"),
            [(uuid.uuid4(), response_id, question.pk, None, "Très bien, merci")],
        )
    response = Response.objects.get(pk=response_id)
    assert (response.submitted_on, response.language, response.team_id) == (
        datetime.date(2026, 3, 2),
        "en",
        org["team"].pk,
    )
    answer = response.answers.get()
    assert (answer.question_id, answer.value, answer.text) == (
        question.pk,
        None,
        "Très bien, merci",
    )


def test_each_respondent_gets_a_csrf_token_of_their_own_and_can_send(campaign, org):
    tokens = []
    for number in range(2):
        _, token = personal_link(campaign, org["team"], email=f"p{number}@example.org")
        browser = Client(enforce_csrf_checks=True)
        page = browser.get(f"/r/{token}/")
        csrf = CSRF.search(page.text).group(1)
        tokens.append(csrf)
        answers = full_answers(campaign, "employee") | {"csrfmiddlewaretoken": csrf}
        assert browser.post(f"/r/{token}/", answers).status_code == 302
    assert tokens[0] != tokens[1]
    assert Response.objects.count() == 2


def test_an_edited_name_or_closing_date_shows_at_once(client, campaign, org):
    _, token = personal_link(campaign, org["team"])
    assert campaign.name in client.get(f"/r/{token}/").text
    Campaign.objects.filter(pk=campaign.pk).update(
        name="Baromètre de printemps", closes_on=datetime.date.today() + datetime.timedelta(days=30)
    )
    page = client.get(f"/r/{token}/").text
    assert "Baromètre de printemps" in page


def test_the_page_shows_the_language_asked_each_time(client, campaign, org):
    _, token = personal_link(campaign, org["team"])
    assert "Envoyer mes réponses" in client.get(f"/r/{token}/").text
    assert "Send my answers" in client.get(f"/r/{token}/?lang=en").text
    assert "Envoyer mes réponses" in client.get(f"/r/{token}/").text
