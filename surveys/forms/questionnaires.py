"""Forms of the questionnaire template screens (HR side)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from surveys.models import Kind, Side
from surveys.questionnaires import choices_validate

WORDING_MAX = 500
SIDE_LEGENDS = {Side.EMPLOYEE: _("Employee wording"), Side.CLIENT: _("Client wording")}


def _helper(submit_label, *layout):
    helper = FormHelper()
    if layout:
        helper.layout = Layout(*layout)
    helper.add_input(Submit("submit", submit_label))
    return helper


def _wording(label):
    return forms.CharField(label=label, max_length=WORDING_MAX, widget=forms.Textarea({"rows": 2}))


class NameForm(forms.Form):
    """The name of a template: for a copy or a rename."""

    name = forms.CharField(label=_("Name"), max_length=200)

    def __init__(self, *args, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit_label)


class ChoicesMixin:
    """Options of a single-choice question: one per line, French and English side by side."""

    def add_choice_fields(self):
        help_text = _("Only for single choice: one option per line, at least two.")
        self.fields["choices_fr"] = forms.CharField(
            label=_("Options (French)"),
            required=False,
            help_text=help_text,
            widget=forms.Textarea({"rows": 4}),
        )
        self.fields["choices_en"] = forms.CharField(
            label=_("Options (English)"),
            required=False,
            help_text=_("In the same order as the French options."),
            widget=forms.Textarea({"rows": 4}),
        )

    def clean_choices(self, cleaned_data):
        """Pair the French and English lines into [{"fr": …, "en": …}, …]."""
        kind = cleaned_data.get("kind")
        lines = {
            lang: [
                line.strip()
                for line in (cleaned_data.get(f"choices_{lang}") or "").splitlines()
                if line.strip()
            ]
            for lang in ("fr", "en")
        }
        if kind != Kind.CHOICE:
            cleaned_data["choices"] = []
            return
        if len(lines["fr"]) != len(lines["en"]):
            self.add_error(
                "choices_en",
                _("Give as many English options as French ones (%(fr)d French, %(en)d English).")
                % {"fr": len(lines["fr"]), "en": len(lines["en"])},
            )
            return
        choices = [{"fr": fr, "en": en} for fr, en in zip(lines["fr"], lines["en"], strict=True)]
        try:
            cleaned_data["choices"] = choices_validate(kind=kind, choices=choices)
        except ValidationError as error:
            self.add_error("choices_fr", error)


def choices_initial(choices):
    return {
        "choices_fr": "\n".join(option["fr"] for option in choices),
        "choices_en": "\n".join(option["en"] for option in choices),
    }


def _common_fields():
    return {
        "kind": forms.ChoiceField(label=_("Kind"), choices=Kind.choices),
        "required": forms.BooleanField(label=_("Required"), required=False, initial=True),
    }


class PairForm(ChoicesMixin, forms.Form):
    """A mirrored pair: one code, asked to both sides, each side in its own words."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=64,
        help_text=_(
            "Lowercase letters, digits, hyphens and underscores. It names the dimension "
            "compared across the two sides, and the column in imports and exports."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_common_fields())
        for side in (Side.EMPLOYEE, Side.CLIENT):
            self.fields[f"{side}_fr"] = _wording(_("French"))
            self.fields[f"{side}_en"] = _wording(_("English"))
        self.add_choice_fields()
        self.helper = _helper(
            _("Add the pair"),
            Row(Column("code"), Column("kind"), Column("required", css_class="pt-md-4")),
            Row(
                Column(Fieldset(SIDE_LEGENDS[Side.EMPLOYEE], "employee_fr", "employee_en")),
                Column(Fieldset(SIDE_LEGENDS[Side.CLIENT], "client_fr", "client_en")),
            ),
            Row(Column("choices_fr"), Column("choices_en")),
        )

    def clean(self):
        cleaned_data = super().clean()
        self.clean_choices(cleaned_data)
        return cleaned_data


class QuestionForm(ChoicesMixin, forms.Form):
    """A question asked to one side only."""

    side = forms.ChoiceField(label=_("Asked to"), choices=Side.choices)
    code = forms.SlugField(
        label=_("Code"),
        max_length=64,
        help_text=_(
            "Lowercase letters, digits, hyphens and underscores; not used elsewhere "
            "in this template."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_common_fields())
        self.fields["text_fr"] = _wording(_("Wording (French)"))
        self.fields["text_en"] = _wording(_("Wording (English)"))
        self.add_choice_fields()
        self.helper = _helper(
            _("Add the question"),
            Row(Column("side"), Column("code"), Column("kind")),
            "required",
            Row(Column("text_fr"), Column("text_en")),
            Row(Column("choices_fr"), Column("choices_en")),
        )

    def clean(self):
        cleaned_data = super().clean()
        self.clean_choices(cleaned_data)
        return cleaned_data


class ItemForm(ChoicesMixin, forms.Form):
    """Edit an item: shared kind, required flag and options, and each side's wordings."""

    def __init__(self, *args, item, **kwargs):
        kwargs.setdefault("initial", _item_initial(item))
        super().__init__(*args, **kwargs)
        self.sides = item.sides
        self.fields.update(_common_fields())
        side_columns = []
        for side in self.sides:
            self.fields[f"{side}_fr"] = _wording(_("French"))
            self.fields[f"{side}_en"] = _wording(_("English"))
            side_columns.append(Column(Fieldset(SIDE_LEGENDS[side], f"{side}_fr", f"{side}_en")))
        self.add_choice_fields()
        self.helper = _helper(
            _("Save"),
            Row(Column("kind"), Column("required", css_class="pt-md-4")),
            Row(*side_columns),
            Row(Column("choices_fr"), Column("choices_en")),
        )

    def clean(self):
        cleaned_data = super().clean()
        self.clean_choices(cleaned_data)
        return cleaned_data

    def texts(self):
        return {
            side: {lang: self.cleaned_data[f"{side}_{lang}"] for lang in ("fr", "en")}
            for side in self.sides
        }


def _item_initial(item):
    initial = {"kind": item.kind, "required": item.required, **choices_initial(item.choices)}
    for side, question in item.questions.items():
        initial[f"{side}_fr"], initial[f"{side}_en"] = question.text_fr, question.text_en
    return initial


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
