"""Signing in through the test provider with Django's test client on Symétrie's side and a
real HTTP client (requests) on the provider's: the provider is a real server, the app is
the test client's."""

from urllib.parse import urlsplit

import requests
from django.urls import reverse

from conftest import PROVIDER_PASSWORD


def provider_sign_in(authorize_url, username, password=PROVIDER_PASSWORD):
    """Sign in at the provider from its authorization URL; return where it sends the browser
    back (the app's callback URL, with the code and state)."""
    browser = requests.Session()
    answer = browser.get(authorize_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    login_url = requests.compat.urljoin(authorize_url, answer.headers["Location"])
    form = browser.get(login_url, timeout=10)
    assert form.status_code == 200
    next_url = urlsplit(login_url).query.partition("next=")[2]
    answer = browser.post(
        login_url,
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": browser.cookies["provider_csrftoken"],
            "next": requests.utils.unquote(next_url),
        },
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:500]
    answer = browser.get(
        requests.compat.urljoin(login_url, answer.headers["Location"]),
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:500]
    return answer.headers["Location"]


def callback_path(url):
    parts = urlsplit(url)
    assert parts.path == reverse("sso_callback"), url
    return f"{parts.path}?{parts.query}"


def sign_in(client, username, *, next_url=None, tamper=None):
    """Go through the whole sign-in as `username` of the provider; return the app's answer
    to the callback. `tamper` may change the callback URL on its way back."""
    start = client.get(reverse("sso_start"), {"next": next_url} if next_url else {})
    assert start.status_code == 302, start.content[:500]
    back = provider_sign_in(start["Location"], username)
    if tamper:
        back = tamper(back)
    return client.get(callback_path(back))
