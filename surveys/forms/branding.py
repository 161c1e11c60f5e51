"""The branding screen's form: names, sender, texts, and the logo checked by surveys.branding."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.branding import INTRO_FIELDS, TEXT_FIELDS, LogoRefused, logo_reencode
from surveys.models import Branding

INTRO_HELP = _(
    "Plain text, shown at the top of the e-mail after “Hello,”; tags and links show as "
    "typed. Empty: only the standard text."
)


class BrandingForm(forms.ModelForm):
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most 2 MB and 4000 pixels a side. SVG is not accepted."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Branding
        fields = TEXT_FIELDS
        help_texts = {
            "organisation_name": _(
                "Shown on the questionnaires, the e-mails and the posters: “Your opinion of "
                "the team … at …”."
            ),
            "sender_name": _("The name the e-mails come from. Empty: the server's default."),
            "sender_email": _(
                "The address the e-mails come from; your mail server must be allowed to send "
                "for it. Empty: the server's default."
            ),
            **dict.fromkeys(INTRO_FIELDS, INTRO_HELP),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in INTRO_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.logo_png = None
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Organisation"), "organisation_name", "logo", "remove_logo"),
            Fieldset(_("Sender of the e-mails"), "sender_name", "sender_email"),
            Fieldset(
                _("Texts of the e-mails"),
                "invitation_intro_fr",
                "invitation_intro_en",
                "reminder_intro_fr",
                "reminder_intro_en",
            ),
        )
        self.helper.add_input(Submit("preview", _("Preview"), css_class="btn-outline-primary"))
        self.helper.add_input(Submit("save", _("Save")))

    def clean_sender_name(self):
        name = self.cleaned_data["sender_name"]
        if any(character in name for character in '<>"\r\n@'):
            raise forms.ValidationError(
                _("A name only: no address, quotes, angle brackets or line breaks.")
            )
        return name

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if upload:
            try:
                self.logo_png = logo_reencode(upload)
            except LogoRefused as refusal:
                raise forms.ValidationError(str(refusal)) from None
        return upload

    def texts(self):
        return {name: self.cleaned_data[name] for name in TEXT_FIELDS}
