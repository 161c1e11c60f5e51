"""The login page, the second login step, two-step verification settings and the lock-out page."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from symetrie.accounts import (
    lockout_minutes,
    second_factor_pending,
    totp_device_confirm,
    totp_device_of,
    totp_device_start,
    totp_devices_remove,
    totp_qr_svg,
    totp_secret,
)
from symetrie.forms import CodeForm, LoginForm


def locked_out(request, original_response=None, credentials=None):
    """The page shown instead of the login when a username and address are locked out.

    Axes calls it (AXES_LOCKOUT_CALLABLE); the code step calls it too.
    """
    context = {"minutes": lockout_minutes(), "limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "registration/locked_out.html", context, status=429)


def safe_next_url(request):
    """The `next` of the request when it stays on this site, else the page after a login."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def login(request):
    """The login page: the single sign-on button first when it is on, then the password
    form (which, with LOCAL_LOGIN off, only superusers may use)."""
    context = {
        "sso": settings.SSO_ENABLED,
        "local_login": settings.LOCAL_LOGIN,
        "provider_name": settings.OIDC_PROVIDER_NAME,
    }
    view = auth_views.LoginView.as_view(
        authentication_form=LoginForm, redirect_authenticated_user=True, extra_context=context
    )
    return view(request)


@never_cache
@login_required
def login_code(request):
    """Second login step: the code from the authenticator app, after the password."""
    device = totp_device_of(request.user)
    if not second_factor_pending(request) or device is None:
        return redirect(safe_next_url(request))
    credentials = {"username": request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return locked_out(request)
    form = CodeForm(
        request.POST or None, user=request.user, device=device, submit_label=_("Verify")
    )
    if request.method == "POST":
        if form.is_valid():
            otp_login(request, device)
            request.session.cycle_key()  # a new session id once fully logged in
            return redirect(safe_next_url(request))
        if form.has_error("code", "wrong"):
            # A wrong code counts like a wrong password towards the lock-out.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return locked_out(request)
    return render(
        request, "registration/login_code.html", {"form": form, "next": safe_next_url(request)}
    )


@never_cache
@login_required
def two_factor(request):
    """Two-step verification of one's own account: its state, and turning it on."""
    device = totp_device_of(request.user)
    if device is not None:
        form = _disable_form(request, device)
        return render(request, "registration/two_factor.html", {"device": device, "form": form})
    pending = totp_device_start(user=request.user)
    form = CodeForm(
        request.POST or None, user=request.user, device=pending, submit_label=_("Turn on")
    )
    if request.method == "POST" and form.is_valid():
        totp_device_confirm(device=pending)
        otp_login(request, pending)  # this session has just shown a code
        messages.success(request, _("Two-step verification is on for your account."))
        return redirect("two_factor")
    context = {
        "form": form,
        "qr_svg": totp_qr_svg(pending, title=_("QR code to scan with your authenticator app")),
        "secret": totp_secret(pending),
    }
    return render(request, "registration/two_factor.html", context)


def _disable_form(request, device, data=None):
    return CodeForm(
        data,
        user=request.user,
        device=device,
        submit_label=_("Turn off"),
        action=reverse("two_factor_disable"),
    )


@never_cache
@login_required
@require_POST
def two_factor_disable(request):
    """Turn two-step verification off, with a current code from the app."""
    device = totp_device_of(request.user)
    if device is None:
        return redirect("two_factor")
    form = _disable_form(request, device, request.POST)
    if not form.is_valid():
        return render(request, "registration/two_factor.html", {"device": device, "form": form})
    totp_devices_remove(user=request.user)
    messages.success(request, _("Two-step verification is off for your account."))
    return redirect("two_factor")
