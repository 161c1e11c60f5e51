"""Protecting logins: lock-out after repeated failures, a second factor, session limits,
and password logins kept for superusers when LOCAL_LOGIN is off.

Lock-out is django-axes with its cache handler, so the failure counters live in the
shared cache (Redis with CACHE_URL) and every web process sees the same ones. The
second factor is django-otp's TOTP device: a 6-digit code from an authenticator app.
"""

import logging
from base64 import b32encode

import redis
import segno
from axes.backends import AxesStandaloneBackend
from axes.handlers.cache import AxesCacheHandler
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Action, Outcome
from audit.services import entry_create

log = logging.getLogger(__name__)

# Errors of a stopped or hung Redis behind the cache.
CACHE_DOWN = (redis.RedisError, OSError)


class LockoutBackend(AxesStandaloneBackend):
    """Refuses logins for a locked-out username and address, before the password is checked.

    A call without a request (the test client's `login()`, a shell) has no address
    to count or lock, so it goes on to the next backend instead of failing: every
    login over HTTP (the login page, the admin's) passes its request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class PasswordBackend(ModelBackend):
    """Django's password check, for superusers only while LOCAL_LOGIN is off.

    Every password login goes through it, the admin's too. A refused one counts as a
    failure (towards the lock-out, like a wrong password) and, when the password was
    right, is written to the audit log: someone holds a working password that may no
    longer be used.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or settings.LOCAL_LOGIN or user.is_superuser:
            return user
        entry_create(
            action=Action.PASSWORD_LOGIN,
            username=user.get_username(),
            user=user,
            outcome=Outcome.REFUSED,
            detail="LOCAL_LOGIN is off: single sign-on only",
        )
        return None


class SharedCacheHandler(AxesCacheHandler):
    """Axes' cache handler that lets logins through while the shared cache is down.

    A stopped Redis must not lock every HR user out of the app: while it is down,
    failures are not counted (and a warning is logged), as for the public answer
    rate limit. The second factor's own throttling lives in the database and holds.
    """

    def get_failures(self, request, credentials=None):
        try:
            return super().get_failures(request, credentials)
        except CACHE_DOWN:
            log.warning("Login lock-out unavailable (cache down): attempt not checked")
            return 0

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        try:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        except CACHE_DOWN:
            log.warning("Login lock-out unavailable (cache down): failure not counted")
            return None


def client_ip(request):
    """The client's address, read where the rate limits read it (RATELIMIT_IP_META_KEY).

    Behind a proxy that appends to a list (X-Forwarded-For), the last entry is the
    one the proxy saw itself; earlier ones are whatever the client claimed.
    """
    raw = request.META.get(settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR") or ""
    return raw.split(",")[-1].strip() or None


def lockout_minutes():
    """How long a lock-out lasts, in whole minutes (each new attempt starts it again)."""
    return max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


# --- second factor (TOTP) ---------------------------------------------------


def totp_device_of(user):
    """The user's confirmed TOTP device, or None when two-step verification is off."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


# Session key set by a single sign-on login (symetrie/sso_views.py): its second step was
# the provider's, so the TOTP step of local logins does not apply to it.
SSO_SESSION_KEY = "symetrie_sso"


def second_factor_pending(request):
    """True for a logged-in user whose account has a second factor this session has not passed.

    A session opened through single sign-on has none pending. Needs django-otp's
    middleware (it gives `user.is_verified()`).
    """
    user = request.user
    if not user.is_authenticated or user.is_verified() or request.session.get(SSO_SESSION_KEY):
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_start(*, user):
    """Return the user's device being set up, creating it (with a fresh secret) if needed.

    Reloading the set-up page keeps the same secret, so a QR code already scanned
    stays valid until the device is confirmed.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device):
    """Turn two-step verification on with `device` (its code has just been checked)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()


def totp_devices_remove(*, user):
    """Turn two-step verification off: delete every TOTP device of the user. Returns how many."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted


def totp_secret(device):
    """The device's secret in base32, in groups of four, for typing into an app by hand."""
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def totp_qr_svg(device, *, title):
    """The device's otpauth:// URL as an inline SVG QR code (no style, so the CSP holds)."""
    qr = segno.make_qr(device.config_url, error="m")
    return qr.svg_inline(scale=5, border=4, light="#fff", title=title)
