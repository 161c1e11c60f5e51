"""Single sign-on through OpenID Connect: the provider's endpoints, its tokens, who may come in.

mozilla-django-oidc exchanges the code for the tokens (with the PKCE verifier), checks
the id token's signature against the keys the provider publishes, and asks for the
user info. This module adds what that library leaves to its users: the endpoints found
from the issuer's discovery document, the id token's issuer, audience and expiry
checks (the library checks none of them), and Symétrie's rules for letting someone in
(`sso_user_admit`). The views are in symetrie/sso_views.py.
"""

import logging
import threading
import time
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import Q
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from audit.models import Action, Outcome
from audit.services import entry_create
from symetrie.roles import HR_GROUP

log = logging.getLogger(__name__)

BACKEND = "symetrie.sso.SSOBackend"
REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")
# The discovery document is asked for again after this many seconds.
METADATA_MAX_AGE = 3600
# Seconds of clock difference with the provider accepted on a token's dates.
LEEWAY = 60


class ProviderUnavailable(Exception):
    """The provider does not answer, or not as an OpenID provider for OIDC_ISSUER should."""


class SSORefused(Exception):
    """A sign-in refused: `reason` is a code (see sso_views.REFUSALS), `email` the claimed
    address when the provider's answer could be trusted that far."""

    def __init__(self, reason, *, email="", detail=""):
        super().__init__(detail or reason)
        self.reason, self.email, self.detail = reason, email, detail or reason


# --- the provider -------------------------------------------------------------

_metadata = {}
_metadata_lock = threading.Lock()


def provider_metadata():
    """The issuer's discovery document (kept METADATA_MAX_AGE seconds per process).

    Raises ProviderUnavailable, with a message for the operator, when the issuer does
    not answer, answers something else than a discovery document, names another issuer
    (OpenID Connect Discovery §4.3) or lacks an endpoint the login needs.
    """
    issuer = settings.OIDC_ISSUER
    with _metadata_lock:
        cached = _metadata.get(issuer)
        if cached and time.monotonic() - cached[0] < METADATA_MAX_AGE:
            return cached[1]
    url = issuer + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
    except requests.RequestException as error:
        raise ProviderUnavailable(f"{url} did not answer: {error}") from error
    except ValueError as error:
        raise ProviderUnavailable(f"{url} did not answer JSON") from error
    if not isinstance(metadata, dict) or metadata.get("issuer", "").rstrip("/") != issuer:
        named = metadata.get("issuer") if isinstance(metadata, dict) else None
        raise ProviderUnavailable(f"{url} names the issuer {named!r}, not OIDC_ISSUER {issuer!r}")
    missing = [name for name in REQUIRED_ENDPOINTS if not metadata.get(name)]
    if missing:
        raise ProviderUnavailable(f"{url} has no {', '.join(missing)}")
    with _metadata_lock:
        _metadata[issuer] = (time.monotonic(), metadata)
    return metadata


def provider_metadata_forget():
    """Forget the discovery documents read so far (the next login reads it again)."""
    with _metadata_lock:
        _metadata.clear()


def end_session_url(*, id_token, after):
    """Where to send a browser whose single sign-on session ended here, so that the
    provider's ends too; None when the provider has no end-session endpoint (Google)
    or does not answer (the local logout stands either way)."""
    try:
        endpoint = provider_metadata().get("end_session_endpoint")
    except ProviderUnavailable as error:
        log.warning("single sign-on: the provider's session was not ended: %s", error)
        return None
    if not endpoint:
        return None
    params = {"client_id": settings.OIDC_RP_CLIENT_ID, "post_logout_redirect_uri": after}
    if id_token:
        params["id_token_hint"] = id_token
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode(params)


# --- the backend ------------------------------------------------------------------


class SSOBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the endpoints from discovery and the checks it lacks.

    Django builds a backend for every request of a signed-in session (to load the user),
    so building one asks the provider nothing: only the callback passes the discovery
    document, and only then does `authenticate` do anything (a password login passes
    here too, and gets None).
    """

    def __init__(self, metadata=None):
        self.UserModel = get_user_model()
        self.metadata = metadata or {}
        self.OIDC_OP_TOKEN_ENDPOINT = self.metadata.get("token_endpoint")
        self.OIDC_OP_USER_ENDPOINT = self.metadata.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = self.metadata.get("jwks_uri")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.id_token = None

    def authenticate(self, request, nonce=None, code_verifier=None, **kwargs):
        """The user the callback's code opens, or None when this is not a callback.

        Raises SSORefused (a token or an identity that does not pass), ProviderUnavailable,
        and requests' errors (the token endpoint refused the code, or did not answer).
        """
        if not self.metadata or nonce is None or request is None:
            return None
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def get_user(self, user_id):
        # Django's check (the library's skips it): a deactivated account's session ends.
        return ModelBackend.get_user(self, user_id)

    def store_tokens(self, access_token, id_token):
        # Kept for the view, which stores the id token in the new session (logout hint).
        self.id_token = id_token

    def retrieve_matching_jwk(self, token):
        try:
            return super().retrieve_matching_jwk(token)
        except (KeyError, jwt.PyJWTError, SuspiciousOperation) as error:
            raise SSORefused("token_invalid", detail=f"no key fits: {error}") from None

    def _verify_jws(self, payload, key):
        """The token's claims once its signature, issuer, audience and dates hold."""
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
        except jwt.PyJWTError as error:
            raise SSORefused("token_invalid", detail=f"not a token: {error}") from None
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SSORefused("token_invalid", detail=f"signed with {algorithm}")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.metadata["issuer"],
                leeway=LEEWAY,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidSignatureError:
            raise SSORefused("token_signature", detail="the signature does not match") from None
        except jwt.ExpiredSignatureError:
            raise SSORefused("token_expired", detail="the token has expired") from None
        except jwt.InvalidAudienceError:
            raise SSORefused("token_audience", detail="the token is for another client") from None
        except jwt.InvalidIssuerError:
            raise SSORefused("token_invalid", detail="the token names another issuer") from None
        except jwt.PyJWTError as error:
            raise SSORefused("token_invalid", detail=str(error)) from None
        # Several audiences: the authorized party must be us (OpenID Connect Core §3.1.3.7).
        if isinstance(claims["aud"], list) and len(claims["aud"]) > 1:
            if claims.get("azp") != self.OIDC_RP_CLIENT_ID:
                raise SSORefused("token_audience", detail="the token's azp is another client")
        return claims

    def verify_token(self, token, **kwargs):
        try:
            return super().verify_token(token, **kwargs)
        except SuspiciousOperation as error:  # the nonce does not match
            raise SSORefused("token_invalid", detail=str(error)) from None

    def get_or_create_user(self, access_token, id_token, payload):
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            # The user info must be about the token's subject (OpenID Connect Core §5.3.2).
            if str(userinfo.get("sub")) != str(payload["sub"]):
                raise SSORefused("token_invalid", detail="the user info is about someone else")
            claims.update(userinfo)
        return sso_user_admit(claims=claims)


# --- who may come in ----------------------------------------------------------------


def _claim_holds(claims, name, value):
    held = claims.get(name)
    if isinstance(held, list | tuple):
        return value in (str(item) for item in held)
    if isinstance(held, str):
        return held == value or value in held.split()
    return held is not None and str(held) == value


def _verified(claims):
    name = settings.OIDC_EMAIL_VERIFIED_CLAIM
    if not name:
        return True
    held = claims.get(name)
    return held is True or (isinstance(held, str) and held.lower() == "true")


@transaction.atomic
def sso_user_admit(*, claims):
    """The active account that the provider's (checked) claims open; raises SSORefused.

    A verified e-mail address matching one account's e-mail or user name (any case) opens
    it; an unknown address gets an account without any role when its domain is in
    OIDC_NEW_ACCOUNT_DOMAINS, and is refused otherwise. A deactivated account stays
    closed. With OIDC_HR_CLAIM set, the HR role then follows the claim (`user_hr_follow`).
    """
    email = claims.get(settings.OIDC_EMAIL_CLAIM)
    if not isinstance(email, str) or "@" not in email:
        raise SSORefused("no_email", detail=f"no {settings.OIDC_EMAIL_CLAIM} claim")
    email = email.strip().lower()
    if not _verified(claims):
        raise SSORefused("email_unverified", email=email, detail="the e-mail is not verified")
    users = list(
        get_user_model()
        .objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .order_by("pk")[:2]
    )
    if len(users) > 1:
        raise SSORefused("several_accounts", email=email, detail="several accounts match")
    if users:
        user = users[0]
        if not user.is_active:
            raise SSORefused("deactivated", email=email, detail="the account is deactivated")
    elif email.rpartition("@")[2] in settings.OIDC_NEW_ACCOUNT_DOMAINS:
        user = get_user_model().objects.create_user(username=email, email=email, password=None)
        entry_create(action=Action.SSO_ACCOUNT, username=email, user=user, detail="no role")
    else:
        raise SSORefused("unknown_email", email=email, detail="no account has this e-mail")
    if settings.OIDC_HR_CLAIM:
        member = _claim_holds(claims, settings.OIDC_HR_CLAIM, settings.OIDC_HR_VALUE)
        user_hr_follow(user=user, member=member)
    return user


def user_hr_follow(*, user, member):
    """Put `user` in the `hr` group or take them out of it, as the provider's claim says;
    each change is written to the audit log. Returns True when something changed.

    A superuser stays HR whatever the group (symetrie.roles.is_hr).
    """
    group, _ = Group.objects.get_or_create(name=HR_GROUP)
    if user.groups.filter(pk=group.pk).exists() == member:
        return False
    if member:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    entry_create(
        action=Action.HR_GRANTED if member else Action.HR_WITHDRAWN,
        username=user.get_username(),
        user=user,
        detail=f"{settings.OIDC_HR_CLAIM} claim at single sign-on",
    )
    change = "granted" if member else "withdrawn"
    log.info("single sign-on: HR role %s for user %s", change, user.pk)
    return True


def sso_login_record(*, user=None, email="", refused_reason=""):
    """Write a single sign-on login (or its refusal, with why) to the audit log."""
    outcome = Outcome.REFUSED if refused_reason else Outcome.ALLOWED
    username = user.get_username() if user is not None else email
    return entry_create(
        action=Action.SSO_LOGIN,
        username=username,
        user=user,
        outcome=outcome,
        detail=refused_reason,
    )
