"""A tiny browser-less HTTP client (standard library) for tests against a real server."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One respondent's browser: keeps cookies, reads the CSRF token from the form."""

    def __init__(self, base_url, timeout=30):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )
        self.csrf = None

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def get(self, path):
        status, body, headers = self._open(urllib.request.Request(self.base_url + path))
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if found:
            self.csrf = found.group(1)
        return status, body, headers

    def post(self, path, data):
        payload = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf}).encode()
        request = urllib.request.Request(
            self.base_url + path, data=payload, headers={"Referer": self.base_url + path}
        )
        return self._open(request)
