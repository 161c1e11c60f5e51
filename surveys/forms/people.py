"""Forms of the people screens (the upload form is shared with the teams: ImportFileForm)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.forms.team_picker import TeamPathChoiceField
from surveys.models import Language, Side, Team


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or e-mail"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    team = TeamPathChoiceField(
        label=_("Team"),
        queryset=Team.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All teams"),
        error_messages={"invalid_choice": _("There is no team with this code.")},
    )
    subteams = forms.BooleanField(label=_("Include the teams below"), required=False)
    side = forms.ChoiceField(
        label=_("Side"), choices=[("", _("Both sides")), *Side.choices], required=False
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("All languages")), *Language.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
