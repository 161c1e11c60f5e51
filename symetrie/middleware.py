"""A database outage answers with the site's own 503 page, never a 500.

While PostgreSQL restarts (or refuses connections, or a query is cancelled), every
view that touches it raises django.db's OperationalError or InterfaceError. The
request cannot succeed, but nothing is wrong with it: the visitor gets a plain page
saying to try again shortly, with `Retry-After`, and nothing half-written stays
behind (a submission is one transaction, rolled back with the connection). The next
request after the database is back succeeds: CONN_HEALTH_CHECKS (settings) drops a
persistent connection that died meanwhile before reusing it.

Two ways in: the middleware catches what a view raises; `server_error`, the project's
handler500, catches what other middleware raises (a logged-in user's session is read
before any view) and gives it the same page. Either way the log gets one warning line
per request, without a traceback (during an outage every request lands here), and
not Django's own "Service Unavailable" error line besides.

Also here: results URLs are never stored by a browser or a proxy (PrivateResultsMiddleware).
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views import defaults

log = logging.getLogger(__name__)

# Seconds a client (or a proxy, or a crawler) is asked to wait before trying again:
# about what a PostgreSQL restart or fail-over takes.
RETRY_AFTER = 30


DATABASE_ERRORS = (OperationalError, InterfaceError)


def unavailable_page(request):
    """The 503 page, in the language asked for (?lang=) or the request's."""
    chosen = request.GET.get("lang")
    language = chosen if chosen in dict(settings.LANGUAGES) else translation.get_language()
    with translation.override(language):
        # The page needs no database: no menu, no user, no session.
        response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


def _outage_answered(request, exception):
    """The 503 page for a database error, logged once."""
    log.warning("Database unavailable (%s): answered 503", type(exception).__name__)
    response = unavailable_page(request)
    # Django's request logging (django.utils.log.log_response) skips a response so marked.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """Answer the database errors a view lets through with the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        return _outage_answered(request, exception)


class PrivateResultsMiddleware:
    """`Cache-Control: private, no-store` on every answer of a results URL: dashboards,
    exports, PDFs and the API (the URLs of the `barometer` namespace), so that neither
    a shared computer's browser nor a proxy keeps a copy of figures or comments.
    Refusals (403, 404) on those URLs carry it too: the rule is the URL's, not the outcome's.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # By URL namespace, not by user: covers every barometer URL to come, reads no session.
        match = request.resolver_match
        if match is not None and "barometer" in match.namespaces:
            patch_cache_control(response, private=True, no_store=True)
        return response


def server_error(request):
    """handler500: the 503 page for a database error raised outside a view, else the
    usual 500 page. Django calls it while handling the exception, so it is at hand."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return _outage_answered(request, exception)
    return defaults.server_error(request)
