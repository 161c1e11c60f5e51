"""A personal link's page carries a signed page key, so that its answers are stored
without looking the link up; whatever the key says, the link's own row decides."""

import re

import pytest

from surveys.models import Invitation, Person, Response
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link

pytestmark = pytest.mark.django_db
PAGE_KEY = re.compile(r'name="page" value="([^"]+)"')


@pytest.fixture
def campaign(org):
    return open_campaign(org)


def page_key(client, token):
    [key] = PAGE_KEY.findall(client.get(f"/r/{token}/").text)
    return key


def test_each_personal_page_carries_its_own_key_and_a_public_page_none(client, campaign, org):
    _, lea = personal_link(campaign, org["team"])
    _, tom = personal_link(campaign, org["team"], email="tom@example.org")
    assert page_key(client, lea) != page_key(client, tom)
    assert page_key(client, lea) == page_key(client, lea)


@pytest.mark.postgres
def test_answers_sent_with_their_page_key_are_stored_in_one_query(
    client, campaign, org, django_assert_num_queries
):
    invitation, token = personal_link(campaign, org["team"])
    answers = full_answers(campaign, "employee") | {"page": page_key(client, token)}
    with django_assert_num_queries(1):  # the store's one statement, no lookup
        sent = client.post(f"/r/{token}/", answers)
    assert sent.status_code == 302 and sent["Location"] == "/thanks/?lang=fr"
    assert Response.objects.get().answers.count() == 14
    assert Invitation.objects.get(pk=invitation.pk).used


def test_another_links_key_stores_the_answer_for_the_link_in_the_address(client, campaign, org):
    lea, lea_token = personal_link(campaign, org["team"])
    tom, tom_token = personal_link(campaign, org["sibling"], email="tom@example.org")
    answers = full_answers(campaign, "employee") | {"page": page_key(client, tom_token)}

    sent = client.post(f"/r/{lea_token}/", answers)

    assert sent.status_code == 302
    assert Response.objects.get().team == org["team"]  # Léa's team, not Tom's
    assert Invitation.objects.get(pk=lea.pk).used
    assert not Invitation.objects.get(pk=tom.pk).used


def test_an_altered_key_is_ignored_and_the_answer_stored_through_the_link(client, campaign, org):
    invitation, token = personal_link(campaign, org["team"])
    key = page_key(client, token)
    forged = key.replace(f"{invitation.pk}.", f"{invitation.pk + 1}.", 1)
    answers = full_answers(campaign, "employee") | {"page": forged}
    assert client.post(f"/r/{token}/", answers).status_code == 302
    assert Response.objects.get().team == org["team"]


def test_a_key_kept_from_an_erased_persons_page_stores_nothing(client, campaign, org):
    invitation, token = personal_link(campaign, org["team"])
    answers = full_answers(campaign, "employee") | {"page": page_key(client, token)}
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=None, link_key=None)
    Person.objects.filter(email="lea@example.org").delete()

    sent = client.post(f"/r/{token}/", answers)

    assert sent.status_code == 404 and "Ce lien n’est pas valide" in sent.text
    assert not Response.objects.exists()


def test_a_key_sent_twice_says_already_answered_the_second_time(client, campaign, org):
    _, token = personal_link(campaign, org["team"])
    answers = full_answers(campaign, "employee") | {"page": page_key(client, token)}
    assert client.post(f"/r/{token}/", answers).status_code == 302
    again = client.post(f"/r/{token}/", answers)
    assert again.status_code == 200 and "déjà répondu" in again.text
    assert Response.objects.count() == 1


def test_incomplete_answers_with_a_key_come_back_with_their_errors_and_the_key(
    client, campaign, org
):
    _, token = personal_link(campaign, org["team"])
    answers = full_answers(campaign, "employee") | {"page": page_key(client, token)}
    recommend = campaign.questions.get(side="employee", code="recommend")
    del answers[f"q{recommend.pk}"]
    page = client.post(f"/r/{token}/", answers)
    assert page.status_code == 400
    assert PAGE_KEY.findall(page.text) == [answers["page"]]
    assert not Response.objects.exists()
