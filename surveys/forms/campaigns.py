"""The campaign forms: creating a campaign or editing a draft, editing a launched
campaign, and duplicating one for the next round."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from surveys.forms.team_picker import TeamPickerField
from surveys.models import MIN_SCORE_THRESHOLD, Campaign, Questionnaire, Side, Team
from surveys.teams import team_descendant_ids

REMINDER_FIELDS = ("reminder_1", "reminder_2", "reminder_3")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def _free_slug(data, campaign=None):
    """The chosen short name, or one made from the name; ValidationError when taken."""
    slug = data["slug"] or slugify(data.get("name", ""))[:64]
    if not slug:
        return slug  # the name is missing or has no letters: clean() says so
    if slug == "new":  # the address of the creation page
        raise forms.ValidationError(_("This short name is reserved: choose another one."))
    taken = Campaign.objects.filter(slug=slug)
    if campaign is not None:
        taken = taken.exclude(pk=campaign.pk)
    if taken.exists():
        raise forms.ValidationError(
            _("A campaign already uses “%(slug)s”: choose another short name.") % {"slug": slug}
        )
    return slug


def _reminder_field(label):
    return forms.IntegerField(label=label, min_value=1, required=False)


class CampaignForm(forms.Form):
    """Create a campaign, or edit a draft (`campaign` given).

    `campaign_data()` gives the keyword arguments of services.campaign_create.
    """

    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=64,
        required=False,
        help_text=_("Letters, digits and hyphens. Left empty, it is made from the name."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire template"), queryset=Questionnaire.objects.all(), empty_label=None
    )
    tree = forms.ModelChoiceField(
        label=_("A team and all the teams below it"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    teams = TeamPickerField(label=_("Teams"), queryset=Team.objects.none(), required=False)
    sides = forms.MultipleChoiceField(
        label=_("Ask"),
        choices=Side.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Ask at least one side: employees, clients or both.")},
    )
    score_threshold = forms.IntegerField(
        label=_("Anonymity threshold for scores"),
        min_value=MIN_SCORE_THRESHOLD,
        max_value=100,
        help_text=_("No score is shown for a group with fewer respondents than this."),
        error_messages={
            "min_value": _(
                "The score threshold cannot be below %(limit_value)s: "
                "in smaller groups, people could be recognised."
            )
        },
    )
    comment_threshold = forms.IntegerField(
        label=_("Anonymity threshold for comments"),
        max_value=100,
        help_text=_("No comment is shown for a group with fewer respondents than this."),
    )
    live_results = forms.BooleanField(
        label=_("Live results"),
        required=False,
        help_text=_(
            "Off (advised): results appear when the campaign closes. On: figures are "
            "published while it is open, each time at least as many new answers as the "
            "score threshold have arrived in a team; the answers in between wait."
        ),
    )
    invitation_text = forms.CharField(
        label=_("Invitation text"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Optional, plain text: shown in the invitations and reminders, above the link."
        ),
    )
    reminder_1 = forms.IntegerField(
        label=_("First reminder, days after opening"), min_value=1, required=False
    )
    reminder_2 = forms.IntegerField(
        label=_("Second reminder, days after opening"), min_value=1, required=False
    )
    reminder_3 = forms.IntegerField(
        label=_("Third reminder, days after opening"), min_value=1, required=False
    )

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, initial=self._initial(campaign), **kwargs)
        self.campaign = campaign
        active = Team.objects.active().order_by("name")
        self.fields["tree"].queryset = active
        self.fields["teams"].queryset = active
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save") if campaign else _("Create the campaign")))

    @staticmethod
    def _initial(campaign):
        if campaign is None:
            today = timezone.localdate()
            return {
                "opens_on": today,
                "closes_on": today + datetime.timedelta(days=21),
                "questionnaire": Questionnaire.objects.filter(builtin=True).first(),
                "sides": [Side.EMPLOYEE, Side.CLIENT],
                "score_threshold": 5,
                "comment_threshold": 10,
            }
        initial = {
            field: getattr(campaign, field)
            for field in (
                "name",
                "slug",
                "opens_on",
                "closes_on",
                "questionnaire",
                "score_threshold",
                "comment_threshold",
                "live_results",
                "invitation_text",
            )
        }
        initial["teams"] = list(campaign.teams.all())
        initial["sides"] = campaign.sides
        initial |= dict(zip(REMINDER_FIELDS, campaign.reminder_days, strict=False))
        return initial

    def clean_slug(self):
        return _free_slug(self.cleaned_data, self.campaign)

    def clean(self):
        data = super().clean()
        if "slug" in data and not data["slug"] and "name" in data:
            self.add_error("slug", _("Choose a short name: the name has no letters to make one."))
        self._clean_dates(data)
        self._clean_teams(data)
        score, comment = data.get("score_threshold"), data.get("comment_threshold")
        if score is not None and comment is not None and comment < score:
            self.add_error(
                "comment_threshold",
                _("The comment threshold must be at least the score threshold (%(score)s).")
                % {"score": score},
            )
        self._clean_reminders(data)
        return data

    def _clean_dates(self, data):
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        changed = self.campaign is None or "opens_on" in self.changed_data
        if opens_on and changed and opens_on < timezone.localdate():
            self.add_error("opens_on", _("The opening date cannot be in the past."))
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The close date must be on or after the opening date."))

    def _clean_teams(self, data):
        if self.has_error("teams", code="searching"):
            return  # the team picker's search: nothing is saved, no other message
        chosen = set(data.get("teams") or ())
        if data.get("tree"):
            root = data["tree"]
            chosen |= set(
                Team.objects.active().filter(pk__in={root.pk, *team_descendant_ids(root)})
            )
        if chosen:
            data["teams"] = sorted(chosen, key=lambda team: team.name)
        else:
            self.add_error("teams", _("Choose a team tree or at least one team."))

    def _clean_reminders(self, data):
        days = sorted({data[field] for field in REMINDER_FIELDS if data.get(field)})
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on:
            last = (closes_on - opens_on).days
            for field in REMINDER_FIELDS:
                if data.get(field) and data[field] > last:
                    self.add_error(
                        field,
                        _("This reminder would go out after the close date (day %(last)s).")
                        % {"last": last},
                    )
        data["reminder_days"] = days

    def campaign_data(self):
        fields = (
            *("name", "slug", "opens_on", "closes_on", "questionnaire", "teams", "sides"),
            *("score_threshold", "comment_threshold", "live_results", "reminder_days"),
            "invitation_text",
        )
        return {field: self.cleaned_data[field] for field in fields}


class LaunchedCampaignForm(forms.Form):
    """Edit a scheduled or open campaign: what may still change once launched.

    `changes()` gives the keyword arguments of campaign_changes.campaign_edit_launched.
    """

    name = forms.CharField(label=_("Name"), max_length=200)
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=DateInput(),
        help_text=_("Extend or shorten it; it cannot be before today."),
    )
    invitation_text = CampaignForm.base_fields["invitation_text"]
    reminder_1 = _reminder_field(_("First reminder, days after opening"))
    reminder_2 = _reminder_field(_("Second reminder, days after opening"))
    reminder_3 = _reminder_field(_("Third reminder, days after opening"))

    def __init__(self, *args, campaign, **kwargs):
        initial = {
            name: getattr(campaign, name) for name in ("name", "closes_on", "invitation_text")
        }
        initial |= dict(zip(REMINDER_FIELDS, campaign.reminder_days, strict=False))
        super().__init__(*args, initial=initial, **kwargs)
        self.campaign = campaign
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean(self):
        data = super().clean()
        closes_on = data.get("closes_on")
        today = timezone.localdate()
        if closes_on and "closes_on" in self.changed_data and closes_on < today:
            self.add_error(
                "closes_on",
                _("The close date cannot be before today (%(today)s).")
                % {"today": date_format(today)},
            )
        elif closes_on and closes_on < self.campaign.opens_on:
            self.add_error("closes_on", _("The close date must be on or after the opening date."))
        days = sorted({data[field] for field in REMINDER_FIELDS if data.get(field)})
        if closes_on:
            last = (closes_on - self.campaign.opens_on).days
            for field in REMINDER_FIELDS:
                if data.get(field) and data[field] > last:
                    self.add_error(
                        field,
                        _("This reminder would go out after the close date (day %(last)s).")
                        % {"last": last},
                    )
        data["reminder_days"] = days
        return data

    def changes(self):
        return {
            "name": self.cleaned_data["name"],
            "closes_on": self.cleaned_data["closes_on"],
            "reminder_days": self.cleaned_data["reminder_days"],
            "invitation_text": self.cleaned_data["invitation_text"],
        }


class DuplicateForm(forms.Form):
    """The next round from a campaign: a new name, short name and dates."""

    name = forms.CharField(label=_("Name"), max_length=200)
    slug = CampaignForm.base_fields["slug"]
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())

    def __init__(self, *args, campaign, **kwargs):
        # Next quarter by default: the same length, about three months later.
        length = campaign.closes_on - campaign.opens_on
        opens_on = max(campaign.opens_on + datetime.timedelta(days=91), timezone.localdate())
        initial = {
            "name": _("%(name)s (next round)") % {"name": campaign.name},
            "opens_on": opens_on,
            "closes_on": opens_on + length,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("duplicate", _("Create the draft")))

    def clean_slug(self):
        return _free_slug(self.cleaned_data)

    def clean(self):
        data = super().clean()
        if "slug" in data and not data["slug"] and "name" in data:
            self.add_error("slug", _("Choose a short name: the name has no letters to make one."))
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and opens_on < timezone.localdate():
            self.add_error("opens_on", _("The opening date cannot be in the past."))
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The close date must be on or after the opening date."))
        return data
