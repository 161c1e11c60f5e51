"""The answering form, built from a campaign's frozen questions of one side."""

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import Kind

COMMENT_MAX_LENGTH = 2000

LIKERT_CHOICES = [
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
    (0, _("Don’t know")),
]
NPS_CHOICES = [(value, str(value)) for value in range(11)]
# What a required question left blank is missing, said for its kind (the error summary
# and the question itself show it).
MISSING = {
    Kind.NPS: _("Choose a number from 0 to 10."),
    Kind.LIKERT: _("Choose how much you agree, or “Don’t know”."),
    Kind.CHOICE: _("Choose one of the answers."),
    Kind.TEXT: _("Write an answer."),
}


def _scale(question, language):
    """The choices of a question answered by picking one value, or None for text."""
    if question.kind == Kind.NPS:
        return NPS_CHOICES
    if question.kind == Kind.LIKERT:
        return LIKERT_CHOICES
    if question.kind == Kind.CHOICE:
        return [
            (index, option.get(language) or option.get("fr") or "")
            for index, option in enumerate(question.choices or [])
        ]
    return None


def _field(question, language):
    label = question.text(language)
    required = question.required
    messages = {"required": MISSING[question.kind]}
    if (choices := _scale(question, language)) is not None:
        return forms.TypedChoiceField(
            label=label,
            choices=choices,
            coerce=int,
            required=required,
            widget=forms.RadioSelect,
            error_messages=messages,
        )
    return forms.CharField(
        label=label,
        required=required,
        error_messages=messages,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
    )


class AnswerForm(forms.Form):
    """One field per question, named `q<id>`; unknown fields in a post are ignored.

    Made for a list of questions by `answer_form_class`.
    """

    questions = ()

    def values(self):
        """The cleaned answers as {CampaignQuestion: value}; unanswered ones are None."""
        return {field.question: self.cleaned_data.get(name) for name, field in self.fields.items()}


class _SharedFields(dict):
    """The fields of a questionnaire form, shared by every form made from its class.

    A Django form deep-copies its class's fields so that one form may change its own;
    the answering form never changes them, and copying fourteen fields with their
    choices and widgets cost more than the rest of the page (kept with the form
    classes: 0.11 → 0.24 × bare in grouped A/B runs, bench/README.md).
    """

    def __deepcopy__(self, memo):
        return dict(self)


def answer_form_class(questions, language):
    """The form class of these questions in this language (each field knows its question)."""
    attributes = {"questions": tuple(questions)}
    for question in questions:
        field = _field(question, language)
        field.question = question
        attributes[f"q{question.pk}"] = field
    form_class = type("QuestionnaireForm", (AnswerForm,), attributes)
    form_class.base_fields = _SharedFields(form_class.base_fields)
    return form_class
