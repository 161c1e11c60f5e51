"""Answering through a personal link: /r/<token>/."""

import re

import pytest

from surveys.models import Answer, Campaign, Invitation, Response
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org):
    return open_campaign(org)


def test_the_link_opens_the_questionnaire_of_its_side_in_the_persons_language(
    client, campaign, org
):
    _, token = personal_link(campaign, org["team"], side="client", language="en")
    page = client.get(f"/r/{token}/")
    assert page.status_code == 200
    assert 'lang="en"' in page.text
    assert "The staff take initiatives to solve my problem." in page.text
    assert "I can take initiatives in my work." not in page.text
    assert page.text.count("<fieldset") == 14


def test_the_language_switch_shows_the_french_wording(client, campaign, org):
    _, token = personal_link(campaign, org["team"], language="en")
    page = client.get(f"/r/{token}/?lang=fr")
    assert 'lang="fr"' in page.text
    assert "Je peux prendre des initiatives" in page.text


def test_a_complete_answer_is_stored_and_the_link_is_used(client, campaign, org):
    invitation, token = personal_link(campaign, org["team"])
    response = client.post(f"/r/{token}/", full_answers(campaign, "employee"))
    assert response.status_code == 302
    assert response["Location"] == "/thanks/?lang=fr"
    stored = Response.objects.get()
    assert (stored.campaign, stored.team, stored.side, stored.channel) == (
        campaign,
        org["team"],
        "employee",
        "link",
    )
    assert Answer.objects.filter(response=stored).count() == 14
    invitation.refresh_from_db()
    assert invitation.used
    thanks = client.get(response["Location"])
    assert "Merci" in thanks.text


def test_a_used_link_says_already_answered_and_stores_nothing_more(client, campaign, org):
    _, token = personal_link(campaign, org["team"])
    client.post(f"/r/{token}/", full_answers(campaign, "employee"))
    again = client.post(f"/r/{token}/", full_answers(campaign, "employee"))
    assert again.status_code == 200
    assert "déjà répondu" in again.text
    assert Response.objects.count() == 1


def test_a_missing_required_answer_is_shown_and_the_others_are_kept(client, campaign, org):
    _, token = personal_link(campaign, org["team"])
    data = full_answers(campaign, "employee", likert=5)
    recommend = campaign.questions.get(side="employee", code="recommend")
    del data[f"q{recommend.pk}"]
    page = client.post(f"/r/{token}/", data)
    assert page.status_code == 400
    assert f'class="question has-error" id="fieldset-q{recommend.pk}"' in page.text
    trust = campaign.questions.get(side="employee", code="trust")
    assert re.search(rf'name="q{trust.pk}" value="5" id="[^"]+" checked>', page.text)
    assert page.text.count(" checked>") == 12  # the 12 other rated answers are kept
    assert Response.objects.count() == 0
    assert not Invitation.objects.get().used


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("recommend", "11"),
        ("recommend", "-1"),
        ("trust", "6"),
        ("trust", "quatre"),
        ("comment", "x" * 2001),
    ],
)
def test_out_of_range_values_are_refused_and_nothing_is_stored(client, campaign, org, code, value):
    _, token = personal_link(campaign, org["team"])
    data = full_answers(campaign, "employee")
    question = campaign.questions.get(side="employee", code=code)
    data[f"q{question.pk}"] = value
    assert client.post(f"/r/{token}/", data).status_code == 400
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    "token", ["unknown-token-0123456789abcdefghijklmnop", "x", "dots.are.not.tokens", "é" * 20]
)
def test_unknown_or_malformed_links_show_the_same_plain_page(client, campaign, token):
    page = client.get(f"/r/{token}/")
    assert page.status_code == 404
    assert "Ce lien n’est pas valide" in page.text


def test_a_closed_campaign_shows_the_closed_page(client, campaign, org):
    _, token = personal_link(campaign, org["team"])
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    page = client.post(f"/r/{token}/", full_answers(campaign, "employee"))
    assert page.status_code == 410
    assert "clôturé" in page.text
    assert Response.objects.count() == 0


def test_a_campaign_not_open_yet_says_when_it_opens(client, campaign, org):
    _, token = personal_link(campaign, org["team"])
    Campaign.objects.filter(pk=campaign.pk).update(status="scheduled")
    page = client.get(f"/r/{token}/")
    assert "pas encore ouvert" in page.text


def test_the_form_post_requires_the_csrf_token(campaign, org):
    from django.test import Client

    _, token = personal_link(campaign, org["team"])
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/r/{token}/", full_answers(campaign, "employee")).status_code == 403
    assert Response.objects.count() == 0
