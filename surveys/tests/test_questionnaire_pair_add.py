"""Adding a mirrored pair to a copied template."""

import pytest
from django.urls import reverse

from surveys.questionnaires import questionnaire_copy, questionnaire_install_builtin

pytestmark = pytest.mark.django_db

PAIR = {
    "code": "welcome",
    "kind": "likert",
    "required": "on",
    "employee_fr": "On m’accueille bien.",
    "employee_en": "I am made welcome.",
    "client_fr": "On vous accueille bien.",
    "client_en": "I am made welcome here.",
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
    return reverse("surveys:questionnaire_pair_add", kwargs={"pk": questionnaire.pk})


def test_the_form_asks_for_both_sides_wordings_in_both_languages(hr_client, copy):
    response = hr_client.get(url(copy))
    assert response.status_code == 200
    for field in ("code", "kind", "employee_fr", "employee_en", "client_fr", "client_en"):
        assert f'name="{field}"' in response.text
    assert "Employee wording" in response.text
    assert "Client wording" in response.text


def test_hr_adds_a_mirrored_pair(hr_client, copy):
    response = hr_client.post(url(copy), PAIR, follow=True)
    assert response.redirect_chain[-1][0].endswith("#item-welcome")
    assert "Mirrored pair added." in response.text
    employee = copy.questions.get(side="employee", code="welcome")
    client = copy.questions.get(side="client", code="welcome")
    assert employee.dimension == client.dimension == "welcome"
    assert (employee.text_en, client.text_fr) == ("I am made welcome.", "On vous accueille bien.")


def test_hr_adds_a_choice_pair_with_options_in_both_languages(hr_client, copy):
    data = {**PAIR, "kind": "choice", "choices_fr": "Oui\n\nNon\n", "choices_en": "Yes\nNo"}
    hr_client.post(url(copy), data)
    for question in copy.questions.filter(code="welcome"):
        assert question.choices == [{"fr": "Oui", "en": "Yes"}, {"fr": "Non", "en": "No"}]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "listening"}, "This code is already used in this template."),
        ({"code": "bad code"}, "Enter a valid “slug”"),
        ({"client_en": ""}, "This field is required."),
        ({"kind": "choice", "choices_fr": "Oui", "choices_en": "Yes"}, "at least 2 options"),
        (
            {"kind": "choice", "choices_fr": "Oui\nNon", "choices_en": "Yes"},
            "Give as many English options as French ones (2 French, 1 English).",
        ),
    ],
)
def test_bad_input_is_explained_and_nothing_is_added(hr_client, copy, changes, message):
    count = copy.questions.count()
    response = hr_client.post(url(copy), {**PAIR, **changes})
    assert response.status_code == 200
    assert message in response.text
    assert copy.questions.count() == count
