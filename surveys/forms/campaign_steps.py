"""The forms of the confirmation pages: a step runs only with its `confirm` field."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from surveys.forms.campaigns import DateInput
from surveys.models import Person, Side, Team
from surveys.teams import invalid_emails, split_emails

CONFIRMED = "yes"


class ConfirmForm(forms.Form):
    """Valid only when posted from the confirmation page (its hidden `confirm` field).

    `service_args()` gives the extra keyword arguments of the step's service.
    """

    confirm = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Nothing was done: check what will happen, then confirm.")},
    )

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, initial={"confirm": CONFIRMED}, **kwargs)
        self.campaign = campaign

    def clean_confirm(self):
        if self.cleaned_data["confirm"] != CONFIRMED:
            raise forms.ValidationError(self.fields["confirm"].error_messages["required"])
        return CONFIRMED

    def service_args(self):
        return {}


class ReopenForm(ConfirmForm):
    closes_on = forms.DateField(label=_("New close date"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].initial = timezone.localdate() + datetime.timedelta(days=7)

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise forms.ValidationError(_("The new close date cannot be in the past."))
        return closes_on

    def service_args(self):
        return {"closes_on": self.cleaned_data["closes_on"]}


class ExtendForm(forms.Form):
    """Teams and people to add to a launched campaign; `confirm` once the numbers are seen."""

    teams = forms.ModelMultipleChoiceField(
        label=_("Add these teams"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Their people on the asked sides are invited."),
    )
    emails = forms.CharField(
        label=_("Invite these people"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "E-mail addresses of imported people, separated by spaces, commas or "
            "semicolons; they must be in the campaign’s teams."
        ),
    )
    newcomers = forms.BooleanField(
        label=_("Invite the people of the campaign’s teams who have no invitation yet"),
        required=False,
        help_text=_("For instance, people imported since the launch."),
    )
    confirm = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["teams"].queryset = (
            Team.objects.active().exclude(campaigns=campaign).order_by("name")
        )

    def clean_emails(self):
        emails = split_emails(self.cleaned_data["emails"])
        bad = invalid_emails(emails)
        if bad:
            raise forms.ValidationError(
                _("Not an e-mail address: %(emails)s") % {"emails": ", ".join(bad)}
            )
        people = list(
            Person.objects.filter(email__in=emails, side__in=self.campaign.sides).select_related(
                "team"
            )
        )
        unknown = sorted(set(emails) - {person.email.lower() for person in people})
        if unknown:
            raise forms.ValidationError(
                _("Nobody with this address on an asked side: %(emails)s. Import them first.")
                % {"emails": ", ".join(unknown)}
            )
        return people

    def clean(self):
        data = super().clean()
        if not (data.get("teams") or data.get("emails") or data.get("newcomers")):
            if not self.errors:
                raise forms.ValidationError(_("Choose teams, people or the newcomers to add."))
        return data

    @property
    def confirmed(self):
        return self.cleaned_data.get("confirm") == CONFIRMED

    def extension(self):
        return {
            "teams": list(self.cleaned_data["teams"]),
            "people": self.cleaned_data["emails"],
            "newcomers": self.cleaned_data["newcomers"],
        }


class TestEmailForm(forms.Form):
    side = forms.ChoiceField(label=_("As received by"), choices=Side.choices)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["side"].choices = [
            (side, label) for side, label in Side.choices if side in campaign.sides
        ]
