"""Adding a question asked to one side only."""

import pytest
from django.urls import reverse

from surveys.questionnaires import questionnaire_copy, questionnaire_install_builtin

pytestmark = pytest.mark.django_db

QUESTION = {
    "side": "client",
    "code": "parking",
    "kind": "text",
    "text_fr": "Le parking vous convient-il ?",
    "text_en": "Is the car park convenient?",
}


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def copy():
    return questionnaire_copy(source=questionnaire_install_builtin(), name="Hotels 2027")


def url(questionnaire):
    return reverse("surveys:questionnaire_question_add", kwargs={"pk": questionnaire.pk})


def test_the_side_comes_preselected_from_the_link(hr_client, copy):
    response = hr_client.get(url(copy) + "?side=employee")
    assert response.status_code == 200
    assert response.context["form"]["side"].value() == "employee"


def test_hr_adds_an_optional_client_only_question(hr_client, copy):
    response = hr_client.post(url(copy), QUESTION, follow=True)
    assert "Question added." in response.text
    question = copy.questions.get(code="parking")
    assert (question.side, question.kind, question.required, question.dimension) == (
        "client",
        "text",
        False,
        "",
    )
    assert question.text_en == "Is the car park convenient?"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "comment"}, "This code is already used on this side."),
        ({"side": "nobody"}, "Select a valid choice."),
        ({"text_fr": ""}, "This field is required."),
        ({"kind": "choice", "choices_fr": "A\nB", "choices_en": "A\nA"}, "same wording"),
        ({"text_en": "x" * 501}, "Ensure this value has at most 500 characters"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_added(hr_client, copy, changes, message):
    count = copy.questions.count()
    response = hr_client.post(url(copy), {**QUESTION, **changes})
    assert response.status_code == 200
    assert message in response.text
    assert copy.questions.count() == count


def test_a_code_used_on_the_other_side_points_to_a_pair(hr_client, copy):
    hr_client.post(url(copy), QUESTION)
    response = hr_client.post(url(copy), {**QUESTION, "side": "employee"})
    assert "A question asked to both sides is a mirrored pair" in response.text
    assert copy.questions.filter(code="parking").count() == 1
