"""Forms of the team screens, and the upload and confirm forms both imports use."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import Team
from surveys.tabular import MAX_FILE_BYTES, ImportFileError, read_table
from surveys.teams import invalid_emails, parent_problem, split_emails


class TeamForm(forms.Form):
    """Create a team, or edit one (`team` given): its code then stays as it is."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=64,
        help_text=_(
            "Letters, digits, hyphens and underscores; the imports use it. It cannot change."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = forms.ModelChoiceField(
        label=_("Parent team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("— none: a top-level team —"),
    )
    managers = forms.CharField(
        label=_("Managers"),
        required=False,
        help_text=_(
            "E-mail addresses separated by spaces, commas or semicolons. An address without "
            "an account gets one, and an e-mail with a link to choose a password."
        ),
    )

    def __init__(self, *args, team=None, **kwargs):
        if team is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": team.code,
                    "name": team.name,
                    "parent": team.parent,
                    "managers": " ".join(
                        user.email or user.username for user in team.managers.all()
                    ),
                },
            )
        super().__init__(*args, **kwargs)
        self.team = team
        parents = Team.objects.active()
        if team is not None:
            self.fields["code"].disabled = True
            parents = (parents | Team.objects.filter(pk=team.parent_id)).exclude(pk=team.pk)
        self.fields["parent"].queryset = parents.distinct().order_by("name")
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_code(self):
        code = self.cleaned_data["code"]
        if self.team is None and Team.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A team with this code already exists."))
        return code

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        if self.team is not None and parent is not None and parent.pk == self.team.parent_id:
            return parent  # unchanged, even if it was archived since
        problem = parent_problem(team=self.team, parent=parent)
        if problem:
            raise forms.ValidationError(problem)
        return parent

    def clean_managers(self):
        emails = split_emails(self.cleaned_data["managers"])
        bad = invalid_emails(emails)
        if bad:
            raise forms.ValidationError(
                _("Not valid e-mail addresses: %(emails)s") % {"emails": ", ".join(bad)}
            )
        return emails


class ImportFileForm(forms.Form):
    """Upload a CSV or XLSX file; a valid form holds the parsed Table in cleaned_data['table']."""

    file = forms.FileField(
        label=_("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        self.helper = FormHelper()
        self.helper.add_input(Submit("preview", _("Check the file")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB: split it.") % {"size": MAX_FILE_BYTES >> 20}
            )
        try:
            self.cleaned_data["table"] = read_table(
                upload.read(), columns=self.columns, filename=upload.name
            )
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload
