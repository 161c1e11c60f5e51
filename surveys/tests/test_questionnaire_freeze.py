"""A campaign's frozen copy of its template's questions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from surveys.models import Answer, Campaign, CampaignQuestion, Response
from surveys.questionnaires import (
    campaign_questions_freeze,
    questionnaire_copy,
    questionnaire_install_builtin,
    questionnaire_item_remove,
    questionnaire_item_update,
    questionnaire_pair_add,
    questionnaire_question_add,
)

pytestmark = pytest.mark.django_db

FIELDS = ("side", "code", "dimension", "kind", "text_fr", "text_en", "choices", "required", "order")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def template():
    return questionnaire_copy(source=questionnaire_install_builtin(), name="Hotels 2027")


def make_campaign(slug="2027-q1", **fields):
    return Campaign.objects.create(
        name=slug,
        slug=slug,
        opens_on=datetime.date(2027, 1, 4),
        closes_on=datetime.date(2027, 1, 29),
        **fields,
    )


def rows(queryset):
    return list(queryset.order_by("order", "side", "code").values(*FIELDS))


def test_freezing_copies_every_question_of_both_sides(template):
    campaign = make_campaign(questionnaire=template)
    frozen = campaign_questions_freeze(campaign=campaign, questionnaire=template)
    assert len(frozen) == template.questions.count()
    assert rows(campaign.questions.all()) == rows(template.questions.all())


def test_freezing_copies_only_the_sides_the_campaign_asks(template):
    campaign = make_campaign(ask_employees=False)
    campaign_questions_freeze(campaign=campaign, questionnaire=template)
    assert set(campaign.questions.values_list("side", flat=True)) == {"client"}
    assert rows(campaign.questions.all()) == rows(template.questions.filter(side="client"))


def test_editing_the_template_afterwards_leaves_the_campaign_questions_alone(template):
    campaign = make_campaign(questionnaire=template)
    campaign_questions_freeze(campaign=campaign, questionnaire=template)
    frozen = rows(campaign.questions.all())

    questionnaire_item_update(
        questionnaire=template,
        code="listening",
        kind="choice",
        required=False,
        choices=[{"fr": "Oui", "en": "Yes"}, {"fr": "Non", "en": "No"}],
        texts={side: {"fr": "Changé", "en": "Changed"} for side in ("employee", "client")},
    )
    questionnaire_item_remove(questionnaire=template, code="trust")
    questionnaire_pair_add(
        questionnaire=template,
        code="welcome",
        kind="likert",
        required=True,
        employee_fr="a",
        employee_en="b",
        client_fr="c",
        client_en="d",
    )
    template.delete()

    assert rows(CampaignQuestion.objects.filter(campaign=campaign)) == frozen


def test_freezing_again_before_any_answer_replaces_the_copy(template):
    campaign = make_campaign()
    campaign_questions_freeze(campaign=campaign, questionnaire=questionnaire_install_builtin())
    questionnaire_item_remove(questionnaire=template, code="trust")
    campaign_questions_freeze(campaign=campaign, questionnaire=template)
    assert rows(campaign.questions.all()) == rows(template.questions.all())


def test_freezing_is_refused_once_the_campaign_has_answers(template, org):
    campaign = make_campaign()
    campaign_questions_freeze(campaign=campaign, questionnaire=template)
    response = Response.objects.create(
        campaign=campaign,
        team=org["team"],
        side="employee",
        submitted_on=datetime.date(2027, 1, 5),
        channel="link",
    )
    question = campaign.questions.get(side="employee", code="trust")
    Answer.objects.create(response=response, question=question, value=4)
    before = rows(campaign.questions.all())
    with pytest.raises(ValidationError, match="already has answers"):
        campaign_questions_freeze(campaign=campaign, questionnaire=template)
    assert rows(campaign.questions.all()) == before


def test_freezing_is_refused_when_an_asked_side_has_no_question():
    template = questionnaire_copy(source=questionnaire_install_builtin(), name="Clients only")
    for code in set(template.questions.values_list("code", flat=True)):
        questionnaire_item_remove(questionnaire=template, code=code)
    questionnaire_question_add(
        questionnaire=template,
        side="client",
        code="parking",
        kind="text",
        required=False,
        text_fr="Parking ?",
        text_en="Car park?",
    )
    campaign = make_campaign()
    with pytest.raises(ValidationError, match="no question for employees"):
        campaign_questions_freeze(campaign=campaign, questionnaire=template)
    assert not campaign.questions.exists()

    campaign.ask_employees = False
    campaign.save(update_fields=["ask_employees"])
    campaign_questions_freeze(campaign=campaign, questionnaire=template)
    assert list(campaign.questions.values_list("code", flat=True)) == ["parking"]
