"""Forms of the people screens (the upload form is shared with the teams: ImportFileForm)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import Side, Team


class PeopleFilterForm(forms.Form):
    team = forms.ModelChoiceField(
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
