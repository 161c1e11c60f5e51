"""The answering hot path: hand-written SQL that must read and write what the ORM would,
and a blank page built once per process that must still be each respondent's own."""

import datetime
import re
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from surveys.models import Answer, Campaign, Invitation, PublicLink, Response
from surveys.responding import (
    _INVITATION,
    _PUBLIC_LINK,
    CAMPAIGN_FIELDS,
    AlreadyAnswered,
    invitation_for,
    public_link_for,
    response_submit,
)
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


def _fields(instance, names=None):
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.fields
        if names is None or field.name in names
    }


def test_a_link_lookup_reads_what_the_pages_use_as_the_orm_would(
    campaign, org, django_assert_num_queries
):
    invitation, token = personal_link(campaign, org["team"])
    expected = Invitation.objects.select_related("campaign").get(pk=invitation.pk)
    found = invitation_for(token)
    # What the answering pages read came with the lookup (its own statement is
    # prepared outside Django's cursor, hence not counted here).
    with django_assert_num_queries(0):
        assert _fields(found, _INVITATION.fields) == _fields(expected, _INVITATION.fields)
        assert _fields(found.campaign, CAMPAIGN_FIELDS) == _fields(
            expected.campaign, CAMPAIGN_FIELDS
        )
        assert isinstance(found.campaign.closes_on, datetime.date)
        assert found.team_id == org["team"].pk
    # Anything else is read when used, and is right.
    assert _fields(found) == _fields(expected)
    assert _fields(found.campaign) == _fields(expected.campaign)
    assert found.campaign.reminder_days == [3, 7]
    assert found.team.code == org["team"].code

    link = public_link(campaign, org["sibling"])
    expected = PublicLink.objects.select_related("campaign").get(pk=link.pk)
    found = public_link_for(link.token)
    with django_assert_num_queries(0):
        assert _fields(found, _PUBLIC_LINK.fields) == _fields(expected, _PUBLIC_LINK.fields)
        assert _fields(found.campaign, CAMPAIGN_FIELDS) == _fields(
            expected.campaign, CAMPAIGN_FIELDS
        )
    assert found.token == link.token
    assert found.team.code == org["sibling"].code


def test_unknown_tokens_find_nothing(campaign, org):
    personal_link(campaign, org["team"])
    assert invitation_for("A" * 43) is None
    assert public_link_for("B" * 16) is None


def submit(campaign, org, invitation, values, language="fr"):
    """An employee's submission through the link of `invitation`."""
    response_submit(
        campaign=campaign,
        team_id=org["team"].pk,
        side="employee",
        language=language,
        channel="link",
        values=values,
        invitation=invitation,
    )


def test_a_submission_reads_back_as_the_orm_would_have_written_it(campaign, org):
    invitation, _ = personal_link(campaign, org["team"])
    nps, likert, comment = (
        campaign.questions.filter(side="employee", kind=kind).first()
        for kind in ("nps", "likert", "text")
    )
    submit(campaign, org, invitation, {nps: 9, likert: 0, comment: "Très bien, merci"}, "en")
    response = Response.objects.get(campaign=campaign)
    assert (response.team_id, response.side, response.language, response.channel) == (
        org["team"].pk,
        "employee",
        "en",
        "link",
    )
    assert response.submitted_on == timezone.localdate()
    stored = {(answer.question_id, answer.value, answer.text) for answer in response.answers.all()}
    assert stored == {(nps.pk, 9, ""), (likert.pk, 0, ""), (comment.pk, None, "Très bien, merci")}
    # Every id random, the answers' as well as the response's.
    assert all(isinstance(answer.pk, uuid.UUID) for answer in response.answers.all())
    assert len({answer.pk for answer in response.answers.all()}) == 3


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


def test_a_submission_without_any_answer_is_stored_and_uses_its_link(campaign, org):
    invitation, _ = personal_link(campaign, org["team"])
    submit(campaign, org, invitation, dict.fromkeys(campaign.questions.filter(side="employee"), ""))
    response = Response.objects.get(campaign=campaign)
    assert response.answers.count() == 0
    invitation.refresh_from_db()
    assert invitation.used
    with pytest.raises(AlreadyAnswered):
        submit(campaign, org, invitation, {})
    assert Response.objects.filter(campaign=campaign).count() == 1


# --- a page sent back whole (on PostgreSQL, stored without a link lookup first) -------

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def _hidden_fields(browser, path):
    return dict(HIDDEN.findall(browser.get(path).text))


def test_a_page_sent_back_whole_is_stored_once_for_its_link(campaign, org):
    invitation, token = personal_link(campaign, org["sibling"], language="en")
    browser = Client(enforce_csrf_checks=True)
    path = f"/r/{token}/"
    sent_back = full_answers(campaign, "employee") | _hidden_fields(browser, path)
    assert "page" in sent_back

    assert browser.post(path, sent_back).status_code == 302
    response = Response.objects.get()
    assert (response.campaign_id, response.team_id, response.side, response.language) == (
        campaign.pk,
        org["sibling"].pk,  # the link's team, though the page never said it
        "employee",
        "en",
    )
    assert response.answers.count() == len(full_answers(campaign, "employee"))
    invitation.refresh_from_db()
    assert invitation.used

    again = browser.post(path, sent_back)
    assert again.status_code == 200
    assert "already answered" in again.text
    assert Response.objects.count() == 1


@pytest.mark.parametrize("other", ["another campaign", "the other side"])
def test_the_key_of_another_questionnaire_stores_nothing_under_it(campaign, org, other):
    """A page key this process knows, of another campaign or side, with that
    questionnaire's answers, posted through a link that is not of it."""
    if other == "another campaign":
        other_campaign, other_side = open_campaign(org, slug="automne"), "employee"
    else:
        other_campaign, other_side = campaign, "client"
    _, other_token = personal_link(other_campaign, org["team"], other_side, email="x@example.org")
    browser = Client(enforce_csrf_checks=True)
    other_key = _hidden_fields(browser, f"/r/{other_token}/")["page"]
    invitation, token = personal_link(campaign, org["team"])
    path = f"/r/{token}/"
    forged = full_answers(other_campaign, other_side) | _hidden_fields(browser, path)
    forged["page"] = other_key

    sent = browser.post(path, forged)
    # Checked against the link's own questionnaire, whose questions were not answered.
    assert sent.status_code == 400
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.used


def test_an_unknown_page_key_is_only_a_longer_way(campaign, org):
    _, token = personal_link(campaign, org["team"])
    browser = Client(enforce_csrf_checks=True)
    path = f"/r/{token}/"
    sent_back = full_answers(campaign, "employee") | _hidden_fields(browser, path)
    sent_back["page"] = "1-0.000000-employee-fr"
    assert browser.post(path, sent_back).status_code == 302
    assert Response.objects.filter(campaign=campaign, team=org["team"]).count() == 1


def test_deleting_a_campaign_leaves_no_answer_behind(campaign, org):
    """The answers' question is not checked by the database; Django still cascades."""
    invitation, _ = personal_link(campaign, org["team"])
    nps = campaign.questions.filter(side="employee", kind="nps").first()
    submit(campaign, org, invitation, {nps: 9})
    assert Answer.objects.count() == 1
    nps.delete()
    assert not Answer.objects.exists()
    campaign.delete()
    assert not Response.objects.exists()


def test_the_answering_pages_are_never_stored_by_a_cache(client, campaign, org):
    _, token = personal_link(campaign, org["team"])
    for path in (
        f"/r/{token}/",
        f"/r/{'A' * 43}/",
        f"/q/{public_link(campaign, org['team']).token}/",
    ):
        page = client.get(path)
        assert "no-store" in page["Cache-Control"]
        assert "private" in page["Cache-Control"]
        expires = datetime.datetime.strptime(page["Expires"], "%a, %d %b %Y %H:%M:%S GMT")
        assert expires < datetime.datetime.now()
