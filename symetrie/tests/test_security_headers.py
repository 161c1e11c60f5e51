"""A strict Content-Security-Policy and the usual security headers on every page; with
production settings (HTTPS), HSTS and cookies that are Secure, HttpOnly and SameSite."""

import http.client
import re
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from conftest import AppServer, make_user
from surveys.tests.respond_helpers import full_answers, open_campaign, public_link

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def assert_security_headers(response):
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    assert_security_headers(client.get("/login/"))


def test_no_template_contains_an_inline_script():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text(encoding="utf-8")):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{template.name}: {tag}")
    assert offenders == []


def test_no_template_loads_anything_from_another_site():
    pattern = re.compile(r"""(src|href)=["']https?://""")
    offenders = [
        template.name
        for template in TEMPLATES.rglob("*.html")
        if pattern.search(template.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# Every kind of answer: a respondent page, a JSON body, a redirect, error pages.
ANONYMOUS_PAGES = [
    "/privacy/",
    "/thanks/",
    "/r/Zx8d9Kq2mN4pL7vR1sT6uW3yA5bC0eF9gH2jK4mN6pQ/",  # "link not valid", a 404
    "/healthz",
    "/hr/teams/",  # the redirect to the login page
    "/no-such-page/",
]
HR_PAGES = [
    "/",
    "/hr/teams/",
    "/hr/audit/",
    "/account/two-step/",
    "/dashboards/",
    "/api/campaigns/none/results.json",  # a 404 in JSON's place
    "/hr/nothing-here/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_every_kind_of_answer_carries_the_security_headers(client, path):
    assert_security_headers(client.get(path))


@pytest.mark.django_db
@pytest.mark.parametrize("path", HR_PAGES)
def test_pages_behind_the_login_carry_them_too(client, hr_user, path):
    client.force_login(hr_user)
    assert_security_headers(client.get(path))


@pytest.mark.django_db
def test_without_https_settings_there_is_no_hsts_and_no_secure_flag(client, hr_user):
    # The test settings are plain HTTP (pytest.ini: HTTPS=false), like `make run`.
    credentials = {"username": hr_user.username, "password": "correct-horse-battery"}
    response = client.post("/login/", credentials)
    assert response.status_code == 302
    assert "Strict-Transport-Security" not in response
    session = response.cookies["sessionid"]
    assert not session["secure"] and session["httponly"] and session["samesite"] == "Lax"


# --- production settings, on gunicorn --------------------------------------------------

PASSWORD = "correct-horse-battery"


def fetch(server, method, path, *, https=True, form=None, cookies=None):
    """One request to `server`, as if through a proxy that terminated HTTPS (or not)."""
    headers = {"X-Forwarded-Proto": "https"} if https else {}
    body = None
    if form is not None:
        body = urlencode(form, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        # Over HTTPS, Django checks that a form post comes from the site itself.
        headers["Referer"] = f"https://127.0.0.1:{server.port}{path}"
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode()
    finally:
        connection.close()
    response.cookies = SimpleCookie()
    for line in response.headers.get_all("Set-Cookie") or []:
        response.cookies.load(line)
    return response


def form_token(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


@pytest.fixture
def production_server(transactional_db):
    server = AppServer(DEBUG="false", HTTPS="true", ALLOWED_HOSTS="127.0.0.1")
    yield server
    server.stop()


@pytest.mark.django_db(transaction=True)
def test_with_production_settings_https_is_required_and_every_cookie_is_locked_down(
    production_server, org
):
    server = production_server
    user = make_user("helene@example.org", hr=True)
    # Stored with a hasher the server knows (the tests' fast one is not in its settings).
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt", iterations=1000)
    user.save(update_fields=["password"])
    campaign = open_campaign(org)
    link = public_link(campaign, org["team"])

    plain = fetch(server, "GET", "/login/", https=False)
    assert (plain.status, plain.headers["Location"]) == (
        301,
        f"https://127.0.0.1:{server.port}/login/",
    )

    page = fetch(server, "GET", "/login/")
    assert page.status == 200
    assert (
        page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    )
    assert page.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"

    login = fetch(
        server,
        "POST",
        "/login/",
        form={
            "username": user.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": form_token(page),
        },
        cookies={"csrftoken": csrf.value},
    )
    assert login.status == 302, login.text
    session = login.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"

    # The public link's "already answered here" cookie.
    questionnaire = fetch(server, "GET", f"/q/{link.token}/")
    csrf = questionnaire.cookies["csrftoken"].value
    answered = fetch(
        server,
        "POST",
        f"/q/{link.token}/",
        form={**full_answers(campaign, "client"), "csrfmiddlewaretoken": form_token(questionnaire)},
        cookies={"csrftoken": csrf},
    )
    assert answered.status == 302, answered.text
    mark = answered.cookies["symetrie_answered"]
    assert mark["secure"] and mark["httponly"] and mark["samesite"] == "Lax"
