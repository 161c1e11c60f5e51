"""Single sign-on pages: off to the provider, back from it, and logging out of both.

A refused sign-in gets a page saying why and what to do (403), and an entry in the
audit log; a provider that does not answer gets a page saying so (503) and an error in
the log for the operator. Neither is ever a 500.
"""

import logging
import time
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from mozilla_django_oidc.utils import (
    add_state_and_verifier_and_nonce_to_session,
    generate_code_challenge,
)

from symetrie.account_views import safe_next_url
from symetrie.accounts import SSO_SESSION_KEY
from symetrie.sso import (
    BACKEND,
    ProviderUnavailable,
    SSOBackend,
    SSORefused,
    end_session_url,
    provider_metadata,
    sso_login_record,
)

log = logging.getLogger(__name__)

ID_TOKEN_KEY = "symetrie_sso_id_token"  # noqa: S105 (a session key, not a secret)
NEXT_KEY = "symetrie_sso_next"
# A sign-in not back from the provider within this many seconds starts again.
STATE_MAX_AGE = 600

# What the refusal page says, by reason. "again": a fresh attempt may well work.
REFUSALS = {
    "unknown_email": (
        _("Symétrie has no account for %(email)s."),
        _("Ask HR to give you access (a manager account for your team, for example)."),
    ),
    "deactivated": (
        _("The account %(email)s is deactivated."),
        _("Ask HR if you should still have access."),
    ),
    "email_unverified": (
        _("Your identity provider has not verified the e-mail address %(email)s."),
        _("Verify it with your provider, or ask your administrator."),
    ),
    "several_accounts": (
        _("Several Symétrie accounts have the e-mail address %(email)s."),
        _("Ask HR to merge them."),
    ),
    "no_email": (
        _("Your identity provider sent no e-mail address."),
        _("Ask your administrator to check the single sign-on settings."),
    ),
}
FAILED = (
    _("The sign-in with your company account could not be completed."),
    _("Try again; if it fails again, tell your administrator."),
)


def _require_sso():
    if not settings.SSO_ENABLED:
        raise Http404


def _callback_url(request):
    return request.build_absolute_uri(reverse("sso_callback"))


def _unavailable(request, error):
    log.error("single sign-on unavailable: the provider %s: %s", settings.OIDC_ISSUER, error)
    context = {"provider": settings.OIDC_PROVIDER_NAME}
    return render(request, "registration/sso_unavailable.html", context, status=503)


def _refuse(request, reason, *, email="", detail=""):
    log.warning("single sign-on refused: %s (%s)", reason, detail or reason)
    sso_login_record(email=email, refused_reason=detail or reason)
    message, advice = REFUSALS.get(reason, FAILED)
    context = {"message": message % {"email": email}, "advice": advice}
    return render(request, "registration/sso_refused.html", context, status=403)


@never_cache
@require_GET
def sso_start(request):
    """Off to the provider's sign-in, with a fresh state, nonce and PKCE challenge."""
    _require_sso()
    try:
        metadata = provider_metadata()
    except ProviderUnavailable as error:
        return _unavailable(request, error)
    state, verifier = get_random_string(32), get_random_string(64)
    params = {
        "response_type": "code",
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "redirect_uri": _callback_url(request),
        "scope": settings.OIDC_RP_SCOPES,
        "state": state,
        "nonce": get_random_string(32),
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
    }
    add_state_and_verifier_and_nonce_to_session(request, state, params, verifier)
    request.session[NEXT_KEY] = safe_next_url(request)
    endpoint = metadata["authorization_endpoint"]
    return redirect(endpoint + ("&" if "?" in endpoint else "?") + urlencode(params))


@never_cache
@require_GET
def sso_callback(request):
    """Back from the provider: check the state, exchange the code, let the user in or not."""
    _require_sso()
    states = request.session.get("oidc_states") or {}
    flow = states.pop(request.GET.get("state", ""), None)
    request.session["oidc_states"] = states  # a state serves once, whatever comes next
    if flow is None or time.time() - flow.get("added_on", 0) > STATE_MAX_AGE:
        return _refuse(request, "state", detail="unknown or expired state")
    if request.GET.get("error"):
        return _refuse(request, "provider", detail=f"provider error {request.GET['error'][:40]}")
    if not request.GET.get("code"):
        return _refuse(request, "provider", detail="no code")
    try:
        backend = SSOBackend(metadata=provider_metadata())
        user = backend.authenticate(
            request, nonce=flow["nonce"], code_verifier=flow["code_verifier"]
        )
    except ProviderUnavailable as error:
        return _unavailable(request, error)
    except SSORefused as refusal:
        return _refuse(request, refusal.reason, email=refusal.email, detail=refusal.detail)
    except requests.HTTPError as error:
        # The provider refused the code (used twice, PKCE verifier wrong, secret wrong).
        status = error.response.status_code if error.response is not None else "?"
        return _refuse(request, "token", detail=f"the token endpoint answered {status}")
    except requests.RequestException as error:
        return _unavailable(request, error)
    if user is None:
        return _refuse(request, "token", detail="no token")
    target = request.session.pop(NEXT_KEY, None) or settings.LOGIN_REDIRECT_URL
    auth_login(request, user, backend=BACKEND)
    request.session[SSO_SESSION_KEY] = True
    request.session[ID_TOKEN_KEY] = backend.id_token
    sso_login_record(user=user)
    return redirect(target)


@never_cache
@require_POST
def logout(request):
    """End the session here, then the provider's when it was a single sign-on session and
    the provider has an end-session endpoint."""
    was_sso = bool(request.session.get(SSO_SESSION_KEY)) and settings.SSO_ENABLED
    id_token = request.session.get(ID_TOKEN_KEY)
    auth_logout(request)
    if was_sso:
        after = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
        url = end_session_url(id_token=id_token, after=after)
        if url:
            return redirect(url)
    return redirect(settings.LOGOUT_REDIRECT_URL)
