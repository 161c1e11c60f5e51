"""Questionnaire templates: installing, copying, editing copies, freezing campaigns.

A template's questions are grouped into *items* by code: an item holds at most one
question per side. An item asked on both sides is a *pair* (its two questions share
kind, required flag, order, dimension and choices); a mirrored pair also carries a
dimension (equal to its code) that the barometer compares across sides. A code is
therefore never reused for an unrelated question on the other side: a question asked
to both sides is added as a pair.

The built-in template is read-only; HR copies it and edits the copy. Campaigns never
read templates after creation: `campaign_questions_freeze` gives them their own copy.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from surveys import builtin_template
from surveys.models import (
    Answer,
    Campaign,
    CampaignQuestion,
    Kind,
    Questionnaire,
    Side,
    TemplateQuestion,
)
from surveys.questionnaire_items import SIDES, questionnaire_items

BUILTIN_NAME = "Baromètre de la symétrie des attentions"
MIN_CHOICES = 2
MAX_CHOICE_LENGTH = 200
# The fields a pair's two questions always share.
SHARED_FIELDS = ("kind", "required", "order", "dimension", "choices")
COPIED_FIELDS = ("side", "code", "text_fr", "text_en", *SHARED_FIELDS)


def choices_validate(*, kind, choices):
    """Return the cleaned options of a question: a list of {"fr": …, "en": …}.

    Only the single-choice kind has options (at least two, both languages, no
    duplicate); any other kind gets an empty list. Raises ValidationError otherwise.
    """
    if kind != Kind.CHOICE:
        return []
    cleaned = []
    for option in choices or []:
        fr, en = (str(option.get(lang) or "").strip() for lang in ("fr", "en"))
        if not fr or not en:
            raise ValidationError(_("Every option needs a French and an English wording."))
        if len(fr) > MAX_CHOICE_LENGTH or len(en) > MAX_CHOICE_LENGTH:
            raise ValidationError(
                _("An option may not be longer than %(max)d characters.")
                % {"max": MAX_CHOICE_LENGTH}
            )
        cleaned.append({"fr": fr, "en": en})
    if len(cleaned) < MIN_CHOICES:
        raise ValidationError(
            _("A single-choice question needs at least %(min)d options.") % {"min": MIN_CHOICES}
        )
    for lang in ("fr", "en"):
        wordings = [option[lang].casefold() for option in cleaned]
        if len(set(wordings)) != len(wordings):
            raise ValidationError(_("Two options have the same wording."))
    return cleaned


def _check_name(name, *, exclude=None):
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the template a name.")})
    others = Questionnaire.objects.all()
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    # Compared in Python: SQLite only folds the case of ASCII letters, and there are
    # only a handful of templates.
    if name.casefold() in {other.casefold() for other in others.values_list("name", flat=True)}:
        raise ValidationError({"name": _("A template with this name already exists.")})
    return name


def _check_code(code):
    """Codes name columns in imports and exports: lowercase slugs only."""
    message = _("Use only lowercase letters, digits, hyphens and underscores.")
    try:
        validate_slug(code or "")
    except ValidationError:
        raise ValidationError({"code": message}) from None
    if code != code.lower():
        raise ValidationError({"code": message})
    return code


def _check_kind(kind):
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose a kind of question.")})


def _check_texts(texts):
    """texts: {side: {"fr": …, "en": …}}; both wordings required, trimmed."""
    cleaned = {}
    for side, wordings in texts.items():
        cleaned[side] = {}
        for lang in ("fr", "en"):
            text = (wordings.get(lang) or "").strip()
            if not text:
                raise ValidationError(_("Every question needs a French and an English wording."))
            if len(text) > 500:
                raise ValidationError(_("A wording may not be longer than 500 characters."))
            cleaned[side][lang] = text
    return cleaned


def _locked(questionnaire):
    """Re-read the template under a row lock (edits are serialised); refuse the built-in."""
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.builtin:
        raise ValidationError(
            _("The built-in template cannot be edited: copy it, then edit the copy.")
        )
    return locked


def _next_order(questionnaire):
    return (questionnaire.questions.aggregate(top=Max("order"))["top"] or 0) + 1


@transaction.atomic
def questionnaire_install_builtin():
    """Install the built-in paired template, or bring it back in line with the source.

    Returns the built-in Questionnaire. Safe to call repeatedly (tests that flush the
    database call it to get the template the data migration installs).
    """
    questionnaire = Questionnaire.objects.filter(builtin=True).first()
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(name=BUILTIN_NAME, builtin=True)
    codes = []
    for order, item in enumerate(builtin_template.ITEMS, start=1):
        codes.append(item["code"])
        for side in SIDES:
            TemplateQuestion.objects.update_or_create(
                questionnaire=questionnaire,
                side=side,
                code=item["code"],
                defaults={
                    "dimension": item["dimension"] or "",
                    "kind": item["kind"],
                    "text_fr": item[f"{side}_fr"],
                    "text_en": item[f"{side}_en"],
                    "required": item["required"],
                    "choices": [],
                    "order": order,
                },
            )
    questionnaire.questions.exclude(code__in=codes).delete()
    return questionnaire


@transaction.atomic
def questionnaire_copy(*, source, name):
    """Copy a template (the built-in one included) with all its questions; return the copy.

    The name is required and unique (case-insensitively).
    """
    copy = Questionnaire.objects.create(name=_check_name(name))
    TemplateQuestion.objects.bulk_create(
        TemplateQuestion(
            questionnaire=copy,
            **{attr: getattr(question, attr) for attr in COPIED_FIELDS},
        )
        for question in source.questions.all()
    )
    return copy


@transaction.atomic
def questionnaire_rename(*, questionnaire, name):
    """Rename an editable template; return it. Raises ValidationError on a taken name."""
    questionnaire = _locked(questionnaire)
    questionnaire.name = _check_name(name, exclude=questionnaire)
    questionnaire.save(update_fields=["name"])
    return questionnaire


@transaction.atomic
def questionnaire_delete(*, questionnaire):
    """Delete an editable template. Campaigns made from it keep their frozen questions."""
    _locked(questionnaire).delete()


@transaction.atomic
def questionnaire_pair_add(
    *,
    questionnaire,
    code,
    kind,
    required,
    employee_fr,
    employee_en,
    client_fr,
    client_en,
    choices=(),
):
    """Add a mirrored pair (dimension = code) at the end; return its two questions.

    The code must be free on both sides. Raises ValidationError on bad input.
    """
    questionnaire = _locked(questionnaire)
    _check_code(code)
    _check_kind(kind)
    texts = _check_texts(
        {
            Side.EMPLOYEE: {"fr": employee_fr, "en": employee_en},
            Side.CLIENT: {"fr": client_fr, "en": client_en},
        }
    )
    choices = choices_validate(kind=kind, choices=choices)
    if questionnaire.questions.filter(code=code).exists():
        raise ValidationError({"code": _("This code is already used in this template.")})
    order = _next_order(questionnaire)
    return TemplateQuestion.objects.bulk_create(
        TemplateQuestion(
            questionnaire=questionnaire,
            side=side,
            code=code,
            dimension=code,
            kind=kind,
            required=required,
            choices=choices,
            order=order,
            text_fr=texts[side]["fr"],
            text_en=texts[side]["en"],
        )
        for side in SIDES
    )


@transaction.atomic
def questionnaire_question_add(
    *, questionnaire, side, code, kind, required, text_fr, text_en, choices=()
):
    """Add a question asked to one side only, at the end; return it.

    Its code may not be used on either side: the same code on both sides would make
    it half of a pair. Raises ValidationError on bad input.
    """
    questionnaire = _locked(questionnaire)
    if side not in SIDES:
        raise ValidationError({"side": _("Choose the side that answers this question.")})
    _check_code(code)
    _check_kind(kind)
    texts = _check_texts({side: {"fr": text_fr, "en": text_en}})
    choices = choices_validate(kind=kind, choices=choices)
    taken = set(questionnaire.questions.filter(code=code).values_list("side", flat=True))
    if side in taken:
        raise ValidationError({"code": _("This code is already used on this side.")})
    if taken:
        raise ValidationError(
            {
                "code": _(
                    "This code is already used on the other side. A question asked to both "
                    "sides is a mirrored pair: choose another code, or add a pair."
                )
            }
        )
    return TemplateQuestion.objects.create(
        questionnaire=questionnaire,
        side=side,
        code=code,
        kind=kind,
        required=required,
        choices=choices,
        order=_next_order(questionnaire),
        text_fr=texts[side]["fr"],
        text_en=texts[side]["en"],
    )


def _item(questionnaire, code):
    questions = list(questionnaire.questions.filter(code=code))
    if not questions:
        raise ValidationError(_("This question is no longer in the template."))
    return questionnaire_items(questions)[0]


@transaction.atomic
def questionnaire_item_update(*, questionnaire, code, kind, required, texts, choices=()):
    """Edit an item: kind, required flag and options for all its sides, and each side's wordings.

    `texts` maps every side of the item to {"fr": …, "en": …}. The code, the order
    (see `questionnaire_item_move`) and the dimension do not change. Returns the
    item's questions. Raises ValidationError on bad input.
    """
    questionnaire = _locked(questionnaire)
    item = _item(questionnaire, code)
    _check_kind(kind)
    if set(texts) != set(item.sides):
        raise ValidationError(_("Give the wordings of every side of this question."))
    texts = _check_texts(texts)
    choices = choices_validate(kind=kind, choices=choices)
    for side, question in item.questions.items():
        question.kind, question.required, question.choices = kind, required, choices
        question.text_fr, question.text_en = texts[side]["fr"], texts[side]["en"]
        question.save(update_fields=["kind", "required", "choices", "text_fr", "text_en"])
    return list(item.questions.values())


@transaction.atomic
def questionnaire_item_remove(*, questionnaire, code):
    """Remove an item (both questions of a pair); return how many questions went."""
    questionnaire = _locked(questionnaire)
    removed, _detail = questionnaire.questions.filter(code=code).delete()
    if not removed:
        raise ValidationError(_("This question is no longer in the template."))
    return removed


@transaction.atomic
def questionnaire_item_move(*, questionnaire, code, direction):
    """Move an item one place "up" or "down"; return its new position (1-based).

    Orders are renumbered 1…n, the two questions of a pair keeping the same one.
    Moving the first item up or the last one down changes nothing.
    """
    questionnaire = _locked(questionnaire)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a question up or down."))
    items = questionnaire_items(questionnaire.questions.all())
    codes = [item.code for item in items]
    if code not in codes:
        raise ValidationError(_("This question is no longer in the template."))
    index = codes.index(code)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, item in enumerate(items, start=1):
        for question in item.questions.values():
            if question.order != position:
                question.order = position
                question.save(update_fields=["order"])
    return [item.code for item in items].index(code) + 1


@transaction.atomic
def campaign_questions_freeze(*, campaign, questionnaire):
    """Give a campaign its own copy of a template's questions, for the sides it asks.

    Returns the created CampaignQuestion rows. Later edits of the template never
    touch them. A campaign's earlier copy is replaced while nobody has answered;
    once answers exist, or when the template has no question for an asked side,
    raises ValidationError.
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    sides = campaign.sides
    if not sides:
        raise ValidationError(_("The campaign asks neither employees nor clients."))
    if Answer.objects.filter(question__campaign=campaign).exists():
        raise ValidationError(
            _("This campaign already has answers: its questions can no longer change.")
        )
    questions = list(questionnaire.questions.filter(side__in=sides))
    missing = {
        Side.EMPLOYEE: _("The template has no question for employees."),
        Side.CLIENT: _("The template has no question for clients."),
    }
    for side in sides:
        if not any(question.side == side for question in questions):
            raise ValidationError(missing[side])
    campaign.questions.all().delete()
    return CampaignQuestion.objects.bulk_create(
        CampaignQuestion(
            campaign=campaign,
            **{attr: getattr(question, attr) for attr in COPIED_FIELDS},
        )
        for question in questions
    )
