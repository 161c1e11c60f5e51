"""Copying a template, the built-in one included."""

import pytest
from django.urls import reverse

from surveys.models import Questionnaire
from surveys.questionnaires import questionnaire_install_builtin

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def builtin():
    return questionnaire_install_builtin()


def url(questionnaire):
    return reverse("surveys:questionnaire_copy", kwargs={"pk": questionnaire.pk})


def test_the_form_suggests_a_name(hr_client, builtin):
    response = hr_client.get(url(builtin))
    assert response.status_code == 200
    assert f'value="{builtin.name} (copy)"' in response.text


def test_hr_copies_the_builtin_template_and_lands_on_the_copy_s_edit_page(hr_client, builtin):
    response = hr_client.post(url(builtin), {"name": "Hotels 2027"}, follow=True)
    copy = Questionnaire.objects.get(name="Hotels 2027")
    assert response.redirect_chain[-1][0] == reverse(
        "surveys:questionnaire_edit", kwargs={"pk": copy.pk}
    )
    assert "Template copied" in response.text
    assert not copy.builtin
    assert copy.questions.count() == builtin.questions.count()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("BAROMÈTRE DE LA SYMÉTRIE DES ATTENTIONS", "A template with this name already exists."),
    ],
)
def test_a_missing_or_taken_name_is_refused_and_nothing_is_copied(
    hr_client, builtin, name, message
):
    response = hr_client.post(url(builtin), {"name": name})
    assert response.status_code == 200
    assert message in response.text
    assert Questionnaire.objects.count() == 1
