"""Removing a pair or a question from a copied template."""

import pytest
from django.urls import reverse

from surveys.questionnaires import questionnaire_copy, questionnaire_install_builtin

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def copy():
    return questionnaire_copy(source=questionnaire_install_builtin(), name="Hotels 2027")


def url(questionnaire, code):
    return reverse(
        "surveys:questionnaire_item_remove", kwargs={"pk": questionnaire.pk, "code": code}
    )


def test_removing_asks_for_confirmation_first(hr_client, copy):
    response = hr_client.get(url(copy, "trust"))
    assert response.status_code == 200
    assert "Both questions of this pair" in response.text
    assert copy.questions.filter(code="trust").count() == 2


def test_hr_removes_a_pair(hr_client, copy):
    response = hr_client.post(url(copy, "trust"), follow=True)
    assert "Pair removed." in response.text
    assert not copy.questions.filter(code="trust").exists()
    assert copy.questions.count() == 26


def test_an_item_that_is_not_there_is_not_found_and_nothing_is_removed(hr_client, copy):
    assert hr_client.post(url(copy, "unknown")).status_code == 404
    assert copy.questions.count() == 28
