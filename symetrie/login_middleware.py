"""Session limits and the second login step, applied to every page."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext as _

from symetrie.accounts import second_factor_pending

# Session keys: when the login started, and when the user was last seen (Unix seconds).
STARTED_KEY = "symetrie_login_started"
SEEN_KEY = "symetrie_last_seen"
# "Last seen" is written at most this often: one session write a minute per active
# user instead of one per request (what SESSION_SAVE_EVERY_REQUEST would cost).
SEEN_RESOLUTION = 60


def _has_session_cookie(request):
    """Whether the request may belong to a login: one lives in a session, and a request
    without the session cookie (every respondent's) has none to load."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


class SessionExpiryMiddleware:
    """Ends a login SESSION_COOKIE_AGE seconds after it started, or after SESSION_IDLE_TIMEOUT
    seconds without a request (0 turns the idle limit off).

    Django's own expiry moves forward each time the session is saved, so the absolute
    limit is kept here, from the time of the login.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        had_session = _has_session_cookie(request)
        if had_session and request.user.is_authenticated and self._expired(request.session):
            logout(request)
            messages.info(request, _("Your session has expired. Please log in again."))
        response = self.get_response(request)
        # A login during this request writes the session.
        if (had_session or request.session.modified) and request.user.is_authenticated:
            self._stamp(request.session)
        return response

    @staticmethod
    def _expired(session):
        now = time.time()
        started = session.get(STARTED_KEY, now)
        seen = session.get(SEEN_KEY, now)
        idle = settings.SESSION_IDLE_TIMEOUT
        return now - started > settings.SESSION_COOKIE_AGE or (idle and now - seen > idle)

    @staticmethod
    def _stamp(session):
        now = int(time.time())
        session.setdefault(STARTED_KEY, now)
        if now - session.get(SEEN_KEY, 0) >= SEEN_RESOLUTION:
            session[SEEN_KEY] = now


# Pages a user between the password and the code may still open (or sign in through
# single sign-on instead, which replaces that login).
SECOND_STEP_OPEN = {"login_code", "logout", "set_language", "healthz", "sso_start", "sso_callback"}


class SecondFactorMiddleware:
    """Sends a logged-in user whose account has a second factor to the code step until
    this session has passed it, whatever page they ask for (HR pages, dashboards, the
    admin): the password alone opens nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _has_session_cookie(request) or request.resolver_match.url_name in SECOND_STEP_OPEN:
            return None
        if second_factor_pending(request):
            return redirect_to_login(request.get_full_path(), login_url=reverse("login_code"))
        return None
