"""Every questionnaire template screen: login first, then HR only (manager 403, others 404)."""

import pytest
from django.urls import reverse

from surveys.models import Questionnaire
from surveys.questionnaires import questionnaire_copy, questionnaire_install_builtin

pytestmark = pytest.mark.django_db

# (url name, takes an item code, method, POST data)
SCREENS = [
    ("questionnaires", False, "get", None),
    ("questionnaire_detail", False, "get", None),
    ("questionnaire_preview", False, "get", None),
    ("questionnaire_copy", False, "get", None),
    ("questionnaire_copy", False, "post", {"name": "Sneaky copy"}),
    ("questionnaire_edit", False, "get", None),
    ("questionnaire_edit", False, "post", {"name": "Sneaky rename"}),
    ("questionnaire_delete", False, "post", {}),
    ("questionnaire_pair_add", False, "get", None),
    ("questionnaire_question_add", False, "get", None),
    ("questionnaire_item_edit", True, "get", None),
    ("questionnaire_item_remove", True, "post", {}),
    ("questionnaire_item_move", True, "post", {"direction": "up"}),
]


@pytest.fixture
def copy():
    return questionnaire_copy(source=questionnaire_install_builtin(), name="Hotels 2027")


def url_for(name, with_code, questionnaire):
    if name == "questionnaires":
        return reverse("surveys:questionnaires")
    kwargs = {"pk": questionnaire.pk, **({"code": "trust"} if with_code else {})}
    return reverse(f"surveys:{name}", kwargs=kwargs)


def unchanged(copy):
    return (
        Questionnaire.objects.count() == 2
        and Questionnaire.objects.get(pk=copy.pk).name == "Hotels 2027"
        and list(copy.questions.values_list("code", flat=True).order_by("order", "side"))[:2]
        == ["autonomy", "autonomy"]
        and copy.questions.filter(code="trust").count() == 2
    )


# One test per role, looping over the screens: each test's actors cost password hashes.


def answers(client, copy):
    """{screen: status code} for every screen, asserting nothing was written on the way."""
    statuses = {}
    for name, with_code, method, data in SCREENS:
        response = getattr(client, method)(url_for(name, with_code, copy), data)
        statuses[f"{method} {name}"] = response
        assert unchanged(copy), f"{method} {name} wrote something"
    return statuses


def test_an_anonymous_visitor_is_sent_to_the_login_page_everywhere(client, copy):
    for screen, response in answers(client, copy).items():
        assert response.status_code == 302, screen
        assert response["Location"].startswith(reverse("login")), screen


def test_a_stranger_gets_not_found_everywhere(client, stranger, copy):
    client.force_login(stranger)
    for screen, response in answers(client, copy).items():
        assert response.status_code == 404, screen


def test_a_manager_is_refused_everywhere(client, manager, copy):
    client.force_login(manager)
    for screen, response in answers(client, copy).items():
        assert response.status_code == 403, screen


def test_every_screen_opens_for_hr(client, hr_user, copy):
    client.force_login(hr_user)
    for name, with_code, method, _data in SCREENS:
        if method == "get":
            response = client.get(url_for(name, with_code, copy))
            assert response.status_code == 200, name


def test_an_unknown_template_or_question_is_not_found(client, hr_user, copy):
    client.force_login(hr_user)
    assert (
        client.get(reverse("surveys:questionnaire_detail", kwargs={"pk": 999})).status_code == 404
    )
    url = reverse("surveys:questionnaire_item_edit", kwargs={"pk": copy.pk, "code": "nope"})
    assert client.get(url).status_code == 404


EDIT_SCREENS = [
    ("questionnaire_edit", False, {"name": "Mine"}),
    ("questionnaire_delete", False, {}),
    ("questionnaire_pair_add", False, {"code": "welcome", "kind": "likert"}),
    ("questionnaire_question_add", False, {"code": "parking", "kind": "text"}),
    ("questionnaire_item_edit", True, {"kind": "text"}),
    ("questionnaire_item_remove", True, {}),
    ("questionnaire_item_move", True, {"direction": "up"}),
]


@pytest.mark.parametrize(
    ("name", "with_code", "data"), EDIT_SCREENS, ids=[s[0] for s in EDIT_SCREENS]
)
def test_the_builtin_template_refuses_every_edit_with_a_clear_message(
    client, hr_user, name, with_code, data
):
    builtin = questionnaire_install_builtin()
    before = list(builtin.questions.values())
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    response = client.post(url_for(name, with_code, builtin), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "surveys:questionnaire_detail", kwargs={"pk": builtin.pk}
    )
    assert "The built-in template cannot be edited: copy it, then edit the copy." in response.text
    builtin.refresh_from_db()
    assert list(builtin.questions.values()) == before
    assert Questionnaire.objects.get().name == builtin.name
