"""A template's read-only page: its items, and the campaigns made from it."""

import datetime

import pytest
from django.urls import reverse

from surveys.models import Campaign
from surveys.questionnaires import questionnaire_copy, questionnaire_install_builtin

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    return client


def test_the_builtin_template_shows_its_pairs_and_no_edit_button(hr_client):
    builtin = questionnaire_install_builtin()
    response = hr_client.get(reverse("surveys:questionnaire_detail", kwargs={"pk": builtin.pk}))
    assert response.status_code == 200
    assert "The built-in template cannot be edited" in response.text
    assert "I can take initiatives in my work." in response.text
    assert "The staff take initiatives to solve my problem." in response.text
    assert response.text.count("Mirrored pair") == 11
    assert reverse("surveys:questionnaire_edit", kwargs={"pk": builtin.pk}) not in response.text


def test_a_copy_lists_the_campaigns_made_from_it(hr_client):
    copy = questionnaire_copy(source=questionnaire_install_builtin(), name="Hotels 2027")
    Campaign.objects.create(
        name="Spring 2027",
        slug="spring-2027",
        questionnaire=copy,
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 3, 31),
    )
    response = hr_client.get(reverse("surveys:questionnaire_detail", kwargs={"pk": copy.pk}))
    assert "Spring 2027" in response.text
    assert "keeps its own copy of the questions" in response.text
    assert reverse("surveys:questionnaire_edit", kwargs={"pk": copy.pk}) in response.text
