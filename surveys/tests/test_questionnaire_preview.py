"""The preview: both sides next to each other, in French or in English."""

import pytest
from django.urls import reverse

from surveys.questionnaires import (
    questionnaire_copy,
    questionnaire_install_builtin,
    questionnaire_question_add,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def copy():
    copy = questionnaire_copy(source=questionnaire_install_builtin(), name="Hotels 2027")
    questionnaire_question_add(
        questionnaire=copy,
        side="client",
        code="visit",
        kind="choice",
        required=False,
        text_fr="Pourquoi êtes-vous venu ?",
        text_en="Why did you come?",
        choices=[{"fr": "Travail", "en": "Work"}, {"fr": "Loisirs", "en": "Leisure"}],
    )
    return copy


def preview(client, questionnaire, lang=None):
    url = reverse("surveys:questionnaire_preview", kwargs={"pk": questionnaire.pk})
    return client.get(url, {"lang": lang} if lang else {})


def cell(html, code, side):
    """The HTML of one side's column in an item's row."""
    row = html.split(f'data-testid="preview-{code}"', 1)[1].split("preview-item", 1)[0]
    return row.split(f'data-side="{side}"', 1)[1].split("data-side=", 1)[0]


def test_a_mirrored_pair_shows_both_sides_on_the_same_row_in_english(hr_client, copy):
    response = preview(hr_client, copy, "en")
    assert response.status_code == 200
    html = response.text
    assert "My manager listens to me" in cell(html, "listening", "employee")
    assert "The staff listen to me" in cell(html, "listening", "client")
    assert "Mon responsable m’écoute" not in html


def test_the_french_preview_shows_the_french_wordings_and_hints(hr_client, copy):
    html = preview(hr_client, copy, "fr").text
    assert "Mon responsable m’écoute" in cell(html, "listening", "employee")
    assert "Le personnel vous écoute" in cell(html, "listening", "client")
    assert "My manager listens to me" not in html
    assert 'lang="fr"' in html


def test_a_one_side_question_stands_in_its_own_column(hr_client, copy):
    html = preview(hr_client, copy, "en").text
    assert "Why did you come?" in cell(html, "visit", "client")
    assert "Leisure" in cell(html, "visit", "client")
    assert "card" not in cell(html, "visit", "employee")
    assert "Why did you come?" not in cell(html, "visit", "employee")


def test_each_kind_is_shown_with_its_scale(hr_client, copy):
    html = preview(hr_client, copy, "en").text
    assert "10 = extremely likely" in cell(html, "recommend", "client")
    assert "Don’t know" in cell(html, "trust", "employee")
    assert "Free text answer" in cell(html, "comment", "employee")
    assert "optional" in cell(html, "comment", "client")


def test_the_preview_follows_the_interface_language_by_default(client, hr_user, copy):
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    assert "The staff listen to me" in preview(client, copy).text
    assert "The staff listen to me" in preview(client, copy, "klingon").text


def test_the_builtin_template_can_be_previewed(hr_client):
    builtin = questionnaire_install_builtin()
    html = preview(hr_client, builtin, "en").text
    assert "How likely are you to recommend the company as a place to work" in html
    assert "How likely are you to recommend the company to a friend or colleague?" in html
