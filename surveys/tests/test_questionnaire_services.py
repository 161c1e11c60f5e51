"""Questionnaire template services: install, copy, add, edit, remove, reorder, protection."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from surveys import builtin_template
from surveys.models import Questionnaire, TemplateQuestion
from surveys.questionnaires import (
    choices_validate,
    questionnaire_copy,
    questionnaire_delete,
    questionnaire_install_builtin,
    questionnaire_item_move,
    questionnaire_item_remove,
    questionnaire_item_update,
    questionnaire_items,
    questionnaire_pair_add,
    questionnaire_question_add,
    questionnaire_rename,
)

pytestmark = pytest.mark.django_db

COLOURS = [{"fr": "Rouge", "en": "Red"}, {"fr": "Vert", "en": "Green"}]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def builtin():
    return questionnaire_install_builtin()


@pytest.fixture
def copy(builtin):
    return questionnaire_copy(source=builtin, name="Hotels 2027")


def add_pair(questionnaire, code="welcome", **overrides):
    fields = {
        "kind": "likert",
        "required": True,
        "employee_fr": "On m’accueille bien.",
        "employee_en": "I am made welcome.",
        "client_fr": "On vous accueille bien.",
        "client_en": "I am made welcome here.",
        **overrides,
    }
    return questionnaire_pair_add(questionnaire=questionnaire, code=code, **fields)


def add_single(questionnaire, code="parking", side="client", **overrides):
    fields = {
        "kind": "text",
        "required": False,
        "text_fr": "Le parking vous convient-il ?",
        "text_en": "Is the car park convenient?",
        **overrides,
    }
    return questionnaire_question_add(questionnaire=questionnaire, side=side, code=code, **fields)


def snapshot(questionnaire):
    return list(
        questionnaire.questions.order_by("order", "side", "code").values(
            "side", "code", "dimension", "kind", "text_fr", "text_en", "choices", "required"
        )
    )


def codes(questionnaire):
    return [item.code for item in questionnaire_items(questionnaire.questions.all())]


def test_the_builtin_template_is_installed_with_every_item_on_both_sides(builtin):
    assert builtin.builtin
    assert codes(builtin) == list(builtin_template.item_codes())
    items = questionnaire_items(builtin.questions.all())
    assert all(item.is_pair for item in items)
    assert [item.code for item in items if item.is_mirrored] == list(
        builtin_template.MIRRORED_CODES
    )


def test_installing_the_builtin_template_twice_changes_nothing(builtin):
    before = snapshot(builtin)
    assert questionnaire_install_builtin() == builtin
    assert snapshot(builtin) == before
    assert Questionnaire.objects.filter(builtin=True).count() == 1


def test_a_copy_has_every_question_of_its_source_and_is_editable(builtin, copy):
    assert not copy.builtin
    assert copy.name == "Hotels 2027"
    assert snapshot(copy) == snapshot(builtin)


def test_a_copy_needs_a_new_name(builtin, copy):
    for name in ("", "  ", "hotels 2027", builtin.name):
        with pytest.raises(ValidationError) as error:
            questionnaire_copy(source=builtin, name=name)
        assert "name" in error.value.message_dict
    assert Questionnaire.objects.count() == 2


def test_a_copy_of_a_copy_is_independent(copy):
    add_pair(copy)
    second = questionnaire_copy(source=copy, name="Hotels 2028")
    questionnaire_item_remove(questionnaire=second, code="welcome")
    assert "welcome" in codes(copy)
    assert "welcome" not in codes(second)


def test_a_template_is_renamed_and_keeps_a_unique_name(builtin, copy):
    questionnaire_rename(questionnaire=copy, name="Hotels 2027 bis")
    copy.refresh_from_db()
    assert copy.name == "Hotels 2027 bis"
    with pytest.raises(ValidationError, match="already exists"):
        questionnaire_rename(questionnaire=copy, name=builtin.name.upper())
    questionnaire_rename(questionnaire=copy, name="hotels 2027 BIS")  # its own name, recased
    copy.refresh_from_db()
    assert copy.name == "hotels 2027 BIS"


def test_a_mirrored_pair_is_added_at_the_end_on_both_sides(copy):
    employee, client = add_pair(copy)
    assert (employee.side, client.side) == ("employee", "client")
    assert employee.dimension == client.dimension == "welcome"
    assert employee.order == client.order == max(q.order for q in copy.questions.all())
    assert client.text_en == "I am made welcome here."
    item = questionnaire_items(copy.questions.all())[-1]
    assert item.code == "welcome"
    assert item.is_mirrored


def test_a_pair_code_must_be_free_on_both_sides(copy):
    add_single(copy, code="parking", side="client")
    before = snapshot(copy)
    for taken in ("listening", "parking"):
        with pytest.raises(ValidationError) as error:
            add_pair(copy, code=taken)
        assert error.value.message_dict["code"] == ["This code is already used in this template."]
    assert snapshot(copy) == before


@pytest.mark.parametrize("code", ["", "with space", "Upper", "accentué", "a/b"])
def test_a_code_must_be_a_lowercase_slug(copy, code):
    before = snapshot(copy)
    with pytest.raises(ValidationError) as error:
        add_pair(copy, code=code)
    assert "code" in error.value.message_dict
    assert snapshot(copy) == before


def test_every_wording_of_a_pair_is_required(copy):
    with pytest.raises(ValidationError, match="French and an English wording"):
        add_pair(copy, client_en="   ")
    assert "welcome" not in codes(copy)


def test_a_single_side_question_stands_alone(copy):
    question = add_single(copy, code="parking", side="client")
    assert question.dimension == ""
    assert not question.required
    item = questionnaire_items(copy.questions.all())[-1]
    assert (item.code, item.sides, item.is_pair) == ("parking", ["client"], False)


def test_a_single_side_code_must_be_free_on_its_side_and_on_the_other(copy):
    add_single(copy, code="parking", side="client")
    with pytest.raises(ValidationError, match="already used on this side"):
        add_single(copy, code="parking", side="client")
    with pytest.raises(ValidationError, match="other side"):
        add_single(copy, code="parking", side="employee")
    with pytest.raises(ValidationError, match="already used on this side"):
        add_single(copy, code="listening", side="employee")
    assert copy.questions.filter(code="parking").count() == 1


def test_a_single_side_question_needs_a_side(copy):
    with pytest.raises(ValidationError) as error:
        add_single(copy, side="manager")
    assert "side" in error.value.message_dict


def test_a_choice_question_stores_its_options_in_both_languages(copy):
    question = add_single(copy, kind="choice", choices=COLOURS)
    question.refresh_from_db()
    assert question.choices == COLOURS


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ([], "at least 2 options"),
        ([{"fr": "Rouge", "en": "Red"}], "at least 2 options"),
        ([{"fr": "Rouge", "en": "Red"}, {"fr": "Vert", "en": ""}], "French and an English"),
        ([{"fr": "Rouge", "en": "Red"}, {"fr": "rouge", "en": "Crimson"}], "same wording"),
        ([{"fr": "x" * 201, "en": "Red"}, {"fr": "Vert", "en": "Green"}], "200 characters"),
    ],
)
def test_a_choice_question_refuses_bad_options(copy, choices, message):
    before = snapshot(copy)
    with pytest.raises(ValidationError, match=message):
        add_single(copy, kind="choice", choices=choices)
    with pytest.raises(ValidationError, match=message):
        add_pair(copy, kind="choice", choices=choices)
    assert snapshot(copy) == before


def test_options_are_dropped_from_a_question_that_is_not_a_choice():
    assert choices_validate(kind="likert", choices=COLOURS) == []
    assert choices_validate(kind="choice", choices=[{"fr": " A ", "en": "B "}] * 1 + COLOURS) == [
        {"fr": "A", "en": "B"},
        *COLOURS,
    ]


def test_editing_a_pair_changes_both_sides_shared_fields_and_each_wording(copy):
    order = copy.questions.get(side="employee", code="listening").order
    questionnaire_item_update(
        questionnaire=copy,
        code="listening",
        kind="choice",
        required=False,
        choices=COLOURS,
        texts={
            "employee": {"fr": "On m’écoute.", "en": "I am listened to."},
            "client": {"fr": "On vous écoute.", "en": "The staff listen to me."},
        },
    )
    employee, client = (
        copy.questions.get(side=side, code="listening") for side in ("employee", "client")
    )
    for question in (employee, client):
        assert (question.kind, question.required, question.choices) == ("choice", False, COLOURS)
        assert (question.order, question.dimension) == (order, "listening")
    assert (employee.text_fr, employee.text_en) == ("On m’écoute.", "I am listened to.")
    assert (client.text_fr, client.text_en) == ("On vous écoute.", "The staff listen to me.")


def test_editing_needs_the_wordings_of_every_side_of_the_item(copy):
    before = snapshot(copy)
    with pytest.raises(ValidationError, match="every side"):
        questionnaire_item_update(
            questionnaire=copy,
            code="listening",
            kind="likert",
            required=True,
            texts={"employee": {"fr": "Écoute", "en": "Listening"}},
        )
    with pytest.raises(ValidationError, match="at least 2 options"):
        questionnaire_item_update(
            questionnaire=copy,
            code="listening",
            kind="choice",
            required=True,
            choices=COLOURS[:1],
            texts={side: {"fr": "Écoute", "en": "Listening"} for side in ("employee", "client")},
        )
    assert snapshot(copy) == before


def test_editing_a_single_side_question(copy):
    add_single(copy)
    questionnaire_item_update(
        questionnaire=copy,
        code="parking",
        kind="nps",
        required=True,
        texts={"client": {"fr": "Parking ?", "en": "Car park?"}},
    )
    question = copy.questions.get(code="parking")
    assert (question.kind, question.required, question.text_en) == ("nps", True, "Car park?")


def test_removing_a_pair_removes_both_sides(copy):
    assert questionnaire_item_remove(questionnaire=copy, code="trust") == 2
    assert not copy.questions.filter(code="trust").exists()
    add_single(copy)
    assert questionnaire_item_remove(questionnaire=copy, code="parking") == 1
    with pytest.raises(ValidationError, match="no longer in the template"):
        questionnaire_item_remove(questionnaire=copy, code="parking")


def test_moving_an_item_swaps_it_with_its_neighbour_and_keeps_pairs_together(copy):
    start = codes(copy)
    assert questionnaire_item_move(questionnaire=copy, code="support", direction="up") == 1
    assert codes(copy) == ["support", "autonomy", *start[2:]]
    assert questionnaire_item_move(questionnaire=copy, code="support", direction="down") == 2
    assert codes(copy) == start
    for item in questionnaire_items(copy.questions.all()):
        assert item.employee.order == item.client.order


def test_moving_past_either_end_changes_nothing(copy):
    start = codes(copy)
    assert questionnaire_item_move(questionnaire=copy, code=start[0], direction="up") == 1
    assert questionnaire_item_move(questionnaire=copy, code=start[-1], direction="down") == len(
        start
    )
    assert codes(copy) == start
    with pytest.raises(ValidationError):
        questionnaire_item_move(questionnaire=copy, code="autonomy", direction="sideways")


def test_a_new_item_goes_after_reordered_items(copy):
    questionnaire_item_move(questionnaire=copy, code="comment", direction="up")
    add_single(copy)
    assert codes(copy)[-1] == "parking"


def test_the_builtin_template_is_protected_from_every_edit(builtin):
    before = snapshot(builtin)
    edits = [
        lambda: questionnaire_rename(questionnaire=builtin, name="Mine"),
        lambda: add_pair(builtin),
        lambda: add_single(builtin),
        lambda: questionnaire_item_update(
            questionnaire=builtin,
            code="comment",
            kind="text",
            required=True,
            texts={side: {"fr": "x", "en": "y"} for side in ("employee", "client")},
        ),
        lambda: questionnaire_item_remove(questionnaire=builtin, code="trust"),
        lambda: questionnaire_item_move(questionnaire=builtin, code="trust", direction="up"),
        lambda: questionnaire_delete(questionnaire=builtin),
    ]
    for edit in edits:
        with pytest.raises(ValidationError, match="built-in template cannot be edited"):
            edit()
    builtin.refresh_from_db()
    assert builtin.name == questionnaire_install_builtin().name
    assert snapshot(builtin) == before


def test_deleting_a_copy_deletes_its_questions_only(builtin, copy):
    questionnaire_delete(questionnaire=copy)
    assert not Questionnaire.objects.filter(pk=copy.pk).exists()
    assert not TemplateQuestion.objects.filter(questionnaire_id=copy.pk).exists()
    assert builtin.questions.count() == 2 * len(builtin_template.ITEMS)
