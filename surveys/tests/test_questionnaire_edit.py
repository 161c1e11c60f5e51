"""The edit page of a copied template: its items with their actions, and renaming."""

import pytest
from django.urls import reverse

from surveys.models import Questionnaire
from surveys.questionnaires import questionnaire_copy, questionnaire_install_builtin

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def builtin():
    return questionnaire_install_builtin()


@pytest.fixture
def copy(builtin):
    return questionnaire_copy(source=builtin, name="Hotels 2027")


def url(questionnaire):
    return reverse("surveys:questionnaire_edit", kwargs={"pk": questionnaire.pk})


def test_the_edit_page_lists_every_item_with_its_actions(hr_client, copy):
    response = hr_client.get(url(copy))
    assert response.status_code == 200
    for name in ("questionnaire_pair_add", "questionnaire_question_add"):
        assert reverse(f"surveys:{name}", kwargs={"pk": copy.pk}) in response.text
    for code in ("autonomy", "recommend", "comment"):
        for name in ("item_edit", "item_remove", "item_move"):
            path = reverse(f"surveys:questionnaire_{name}", kwargs={"pk": copy.pk, "code": code})
            assert path in response.text


def test_hr_renames_a_copy(hr_client, copy):
    response = hr_client.post(url(copy), {"name": "Hotels 2027 v2"}, follow=True)
    assert "Template renamed." in response.text
    copy.refresh_from_db()
    assert copy.name == "Hotels 2027 v2"


def test_a_taken_name_is_refused_and_nothing_is_renamed(hr_client, builtin, copy):
    response = hr_client.post(url(copy), {"name": builtin.name})
    assert response.status_code == 200
    assert "A template with this name already exists." in response.text
    copy.refresh_from_db()
    assert copy.name == "Hotels 2027"


def test_the_builtin_template_cannot_be_edited(hr_client, builtin):
    response = hr_client.get(url(builtin), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "surveys:questionnaire_detail", kwargs={"pk": builtin.pk}
    )
    assert "The built-in template cannot be edited: copy it, then edit the copy." in response.text
    hr_client.post(url(builtin), {"name": "Mine"})
    assert Questionnaire.objects.get(pk=builtin.pk).name == builtin.name
