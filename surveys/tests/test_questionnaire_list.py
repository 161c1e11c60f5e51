"""The list of questionnaire templates."""

import pytest
from django.urls import reverse

from surveys.questionnaires import questionnaire_copy, questionnaire_install_builtin

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    return client


def test_the_builtin_template_comes_first_and_read_only(hr_client):
    builtin = questionnaire_install_builtin()
    copy = questionnaire_copy(source=builtin, name="A first copy")
    response = hr_client.get(reverse("surveys:questionnaires"))
    assert response.status_code == 200
    text = response.text
    assert text.index(builtin.name) < text.index("A first copy")
    assert "Built-in, read-only" in text
    assert reverse("surveys:questionnaire_edit", kwargs={"pk": copy.pk}) in text
    assert reverse("surveys:questionnaire_edit", kwargs={"pk": builtin.pk}) not in text
    assert reverse("surveys:questionnaire_copy", kwargs={"pk": builtin.pk}) in text


def test_the_list_counts_each_side_s_questions(hr_client):
    questionnaire_install_builtin()
    response = hr_client.get(reverse("surveys:questionnaires"))
    builtin = response.context["questionnaires"][0]
    assert (builtin.employee_count, builtin.client_count, builtin.campaign_count) == (14, 14, 0)


def test_the_list_takes_a_fixed_number_of_queries(hr_client, django_assert_max_num_queries):
    builtin = questionnaire_install_builtin()
    for number in range(5):
        questionnaire_copy(source=builtin, name=f"Copy {number}")
    with django_assert_max_num_queries(12):
        hr_client.get(reverse("surveys:questionnaires"))
