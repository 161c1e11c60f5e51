"""Editing an item of a copied template: a pair's shared fields and each side's wordings."""

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
    return questionnaire_copy(source=questionnaire_install_builtin(), name="Hotels 2027")


def url(questionnaire, code):
    return reverse("surveys:questionnaire_item_edit", kwargs={"pk": questionnaire.pk, "code": code})


def pair_data(**changes):
    return {
        "kind": "likert",
        "required": "on",
        "employee_fr": "On m’écoute.",
        "employee_en": "I am listened to.",
        "client_fr": "On vous écoute.",
        "client_en": "The staff listen to me.",
        **changes,
    }


def test_the_form_is_filled_with_both_sides_current_wordings(hr_client, copy):
    response = hr_client.get(url(copy, "listening"))
    assert response.status_code == 200
    form = response.context["form"]
    assert (
        form["employee_en"].value() == "My manager listens to me and takes my remarks into account."
    )
    assert form["client_en"].value() == "The staff listen to me and take my remarks into account."
    assert form["kind"].value() == "likert"
    assert "apply to both" in response.text


def test_hr_edits_a_pair_and_both_sides_follow(hr_client, copy):
    order = copy.questions.get(side="client", code="listening").order
    data = pair_data(kind="choice", required="", choices_fr="Oui\nNon", choices_en="Yes\nNo")
    response = hr_client.post(url(copy, "listening"), data, follow=True)
    assert "Question saved." in response.text
    employee, client = (
        copy.questions.get(side=s, code="listening") for s in ("employee", "client")
    )
    for question in (employee, client):
        assert (question.kind, question.required, question.order) == ("choice", False, order)
        assert question.choices == [{"fr": "Oui", "en": "Yes"}, {"fr": "Non", "en": "No"}]
        assert question.dimension == "listening"
    assert employee.text_en == "I am listened to."
    assert client.text_fr == "On vous écoute."


def test_a_single_side_question_shows_only_its_side(hr_client, copy):
    questionnaire_question_add(
        questionnaire=copy,
        side="employee",
        code="canteen",
        kind="likert",
        required=True,
        text_fr="La cantine est bonne.",
        text_en="The canteen is good.",
    )
    response = hr_client.get(url(copy, "canteen"))
    assert "employee_fr" in response.context["form"].fields
    assert "client_fr" not in response.context["form"].fields
    hr_client.post(
        url(copy, "canteen"),
        {"kind": "nps", "employee_fr": "Cantine ?", "employee_en": "Canteen?"},
    )
    question = copy.questions.get(code="canteen")
    assert (question.kind, question.required, question.text_en) == ("nps", False, "Canteen?")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"client_en": ""}, "This field is required."),
        ({"kind": "stars"}, "Select a valid choice."),
        ({"kind": "choice", "choices_fr": "", "choices_en": ""}, "at least 2 options"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_changed(hr_client, copy, changes, message):
    before = list(copy.questions.filter(code="listening").values())
    response = hr_client.post(url(copy, "listening"), pair_data(**changes))
    assert response.status_code == 200
    assert message in response.text
    assert list(copy.questions.filter(code="listening").values()) == before
