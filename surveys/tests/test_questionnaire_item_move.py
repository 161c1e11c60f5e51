"""Reordering the items of a copied template with up and down buttons."""

import pytest
from django.urls import reverse

from surveys.questionnaires import (
    questionnaire_copy,
    questionnaire_install_builtin,
    questionnaire_items,
)

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
    return reverse("surveys:questionnaire_item_move", kwargs={"pk": questionnaire.pk, "code": code})


def codes(questionnaire):
    return [item.code for item in questionnaire_items(questionnaire.questions.all())]


def test_hr_moves_an_item_up_then_down(hr_client, copy):
    start = codes(copy)
    response = hr_client.post(url(copy, "support"), {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"].endswith("#item-support")
    assert codes(copy)[:2] == ["support", "autonomy"]
    hr_client.post(url(copy, "support"), {"direction": "down"})
    assert codes(copy) == start


def test_a_bad_direction_is_refused_and_nothing_moves(hr_client, copy):
    start = codes(copy)
    response = hr_client.post(url(copy, "support"), {"direction": "left"}, follow=True)
    assert "Move a question up or down." in response.text
    assert codes(copy) == start


def test_moving_needs_a_post(hr_client, copy):
    assert hr_client.get(url(copy, "support")).status_code == 405
