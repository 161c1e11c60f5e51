"""Deleting a copied template (campaigns made from it keep their questions)."""

import datetime

import pytest
from django.urls import reverse

from surveys.models import Campaign, Questionnaire
from surveys.questionnaires import (
    campaign_questions_freeze,
    questionnaire_copy,
    questionnaire_install_builtin,
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


def url(questionnaire):
    return reverse("surveys:questionnaire_delete", kwargs={"pk": questionnaire.pk})


def test_deleting_asks_for_confirmation_and_names_the_campaigns_kept(hr_client, copy):
    campaign = Campaign.objects.create(
        name="Spring",
        slug="spring",
        questionnaire=copy,
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 3, 31),
    )
    campaign_questions_freeze(campaign=campaign, questionnaire=copy)
    response = hr_client.get(url(copy))
    assert "1 campaign was made from it" in response.text

    response = hr_client.post(url(copy), follow=True)
    assert response.redirect_chain[-1][0] == reverse("surveys:questionnaires")
    assert "Template deleted." in response.text
    assert not Questionnaire.objects.filter(pk=copy.pk).exists()
    campaign.refresh_from_db()
    assert campaign.questionnaire is None
    assert campaign.questions.count() == 28


def test_deleting_an_unknown_template_is_not_found(hr_client, copy):
    assert (
        hr_client.post(reverse("surveys:questionnaire_delete", kwargs={"pk": 999})).status_code
        == 404
    )
    assert Questionnaire.objects.count() == 2
