"""The questionnaire page: each respondent's own CSRF token, what HR edits shown at
once, the language asked each time, and never kept by a cache."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import formats, translation

from surveys.models import Campaign, Response, Team
from surveys.tests.respond_helpers import full_answers, open_campaign, personal_link, public_link

pytestmark = pytest.mark.django_db
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def campaign(org):
    return open_campaign(org)


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


def test_a_renamed_team_or_closing_date_shows_at_once_and_never_the_campaign_name(
    client, campaign, org
):
    _, token = personal_link(campaign, org["team"])
    page = client.get(f"/r/{token}/").text
    assert "Réception" in page
    assert campaign.name not in page  # HR's internal label
    closes_on = datetime.date.today() + datetime.timedelta(days=30)
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=closes_on)
    Team.objects.filter(pk=org["team"].pk).update(name="Accueil & conciergerie")
    page = client.get(f"/r/{token}/?lang=en").text
    assert "Your team: Accueil &amp; conciergerie" in page
    with translation.override("en"):
        assert formats.date_format(closes_on, "DATE_FORMAT") in page


def test_the_page_shows_the_language_asked_each_time(client, campaign, org):
    _, token = personal_link(campaign, org["team"])
    assert "Envoyer mes réponses" in client.get(f"/r/{token}/").text
    assert "Send my answers" in client.get(f"/r/{token}/?lang=en").text
    assert "Envoyer mes réponses" in client.get(f"/r/{token}/").text


def test_a_page_sent_back_with_an_error_keeps_the_other_answers(client, campaign, org):
    _, token = personal_link(campaign, org["team"])
    client.get(f"/r/{token}/")  # the blank page first, as a respondent sees it
    answers = full_answers(campaign, "employee", comment="Une remarque")
    nps = campaign.questions.get(side="employee", code="recommend")
    del answers[f"q{nps.pk}"]
    page = client.post(f"/r/{token}/", answers)
    assert page.status_code == 400
    assert "Une remarque" in page.text
    assert 'class="question has-error"' in page.text
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


def test_the_error_summary_links_to_each_question_to_fix_and_says_what_is_missing(
    client, campaign, org
):
    _, token = personal_link(campaign, org["team"], language="en")
    questions = list(campaign.questions.filter(side="employee").order_by("order"))
    recommend = next(q for q in questions if q.code == "recommend")
    trust = next(q for q in questions if q.code == "trust")
    answers = full_answers(campaign, "employee")
    del answers[f"q{recommend.pk}"], answers[f"q{trust.pk}"]
    page = client.post(f"/r/{token}/", answers)
    assert page.status_code == 400
    summary = page.text.split('id="form-errors"')[1].split("</div>")[0]
    assert "2 answers need your attention" in summary
    link = re.compile(r'<a class="alert-link" href="#([^"]+)">Question (\d+): ([^<]+)</a>')
    links = link.findall(summary)
    assert links == [
        (f"id_q{q.pk}_0", str(questions.index(q) + 1), q.text_en)
        for q in sorted((recommend, trust), key=questions.index)
    ]
    assert "Choose a number from 0 to 10." in summary
    assert "Choose how much you agree, or “Don’t know”." in summary
    # Each link leads to a field of the page (the first choice of the question's scale).
    for target, _, _ in links:
        assert f'id="{target}"' in page.text
    assert not Response.objects.exists()


def test_the_error_summary_is_in_the_respondents_language(client, campaign, org):
    _, token = personal_link(campaign, org["team"], language="fr")
    answers = full_answers(campaign, "employee")
    recommend = campaign.questions.get(side="employee", code="recommend")
    del answers[f"q{recommend.pk}"]
    page = client.post(f"/r/{token}/", answers)
    assert "Une réponse demande votre attention" in page.text
    assert "Choisissez un nombre de 0 à 10." in page.text
    assert f'href="#id_q{recommend.pk}_0">Question ' in page.text


def test_a_required_text_question_left_empty_links_to_its_text_box(client, campaign, org):
    comment = campaign.questions.get(side="employee", code="comment")
    comment.required = True
    comment.save(update_fields=["required"])
    _, token = personal_link(campaign, org["team"], language="en")
    answers = full_answers(campaign, "employee")
    del answers[f"q{comment.pk}"]
    page = client.post(f"/r/{token}/", answers)
    assert f'href="#id_q{comment.pk}">Question ' in page.text
    assert f'id="id_q{comment.pk}"' in page.text
    assert "Write an answer." in page.text


def test_respondent_pages_have_a_skip_link_to_the_questions(client, campaign, org):
    _, token = personal_link(campaign, org["team"])
    link = public_link(campaign, org["team"])
    for path in (f"/r/{token}/", f"/q/{link.token}/", "/thanks/", "/privacy/"):
        page = client.get(path).text
        assert '<a class="visually-hidden-focusable" href="#main">Aller au contenu</a>' in page
        assert '<main id="main"' in page
