import math
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp import verify_token


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        if settings.LOCAL_LOGIN:
            self.helper.add_input(Submit("submit", _("Log in"), css_class="w-100"))
            return
        # Only superusers may: say so to anyone refused, without telling who is one.
        self.error_messages = {
            **self.error_messages,
            "invalid_login": _(
                "Password login is for administrators only here: sign in with your "
                "company account. Administrators: check the user name and password."
            ),
        }
        self.helper.add_input(
            Submit("submit", _("Log in with a password"), css_class="btn-secondary w-100")
        )


class CodeForm(forms.Form):
    """A 6-digit code from the user's authenticator app, checked against `device`.

    A code that does not match is refused with the error code "wrong" (the login step
    counts those towards the lock-out); while the device's throttling holds after
    wrong codes, every code is refused ("throttled") without being tried.
    """

    code = forms.CharField(
        label=_("6-digit code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, user, device, submit_label, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.device = user, device
        self.helper = FormHelper()
        if action:
            self.helper.form_action = action
        self.helper.add_input(Submit("submit", submit_label))

    def clean_code(self):
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError(_("Type the 6 digits your app shows."), code="format")
        allowed, details = self.device.verify_is_allowed()
        if not allowed:
            until = (details or {}).get("locked_until") or timezone.now()
            seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
            raise forms.ValidationError(
                ngettext(
                    "Too many wrong codes in a row: wait %(seconds)d second, then try again.",
                    "Too many wrong codes in a row: wait %(seconds)d seconds, then try again.",
                    seconds,
                )
                % {"seconds": seconds},
                code="throttled",
            )
        if verify_token(self.user, self.device.persistent_id, code) is None:
            raise forms.ValidationError(
                _("This code is not right. Type the code your app shows now for Symétrie."),
                code="wrong",
            )
        return code
