"""In a real Chromium: the login page, an HR login, the language switch, and every page
family without a Content-Security-Policy violation or a console error."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Action
from audit.services import entry_create
from barometer.services import snapshot_compute
from barometer.tests.factories import add_responses
from barometer.tests.factories import make_campaign as make_results_campaign
from conftest import PROVIDER_PASSWORD, make_user, screenshot
from surveys.tests.campaign_helpers import builtin_questionnaire
from surveys.tests.respond_helpers import open_campaign, personal_link, public_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_user_logs_in_and_switches_the_language(page, hr_user):
    page.goto(page.base_url + "/login/")
    assert page.locator("h1").inner_text() == "Se connecter"
    screenshot(page, "login")

    page.get_by_label("Nom d’utilisateur").fill(hr_user.username)
    page.get_by_label("Mot de passe").fill("correct-horse-battery")
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url(page.base_url + "/")
    assert "Bienvenue, Hélène" in page.locator("h1").inner_text()

    page.get_by_test_id("language-en").click()
    page.wait_for_load_state()
    assert "Welcome, Hélène" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "home-en")


# --- every page family, with the Content-Security-Policy watching ----------------------

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => window.reportViolation(
  [event.violatedDirective, event.blockedURI, event.sourceFile + ":" + event.lineNumber].join(" ")
));
"""


class Watch:
    """What the browser reports while pages load: CSP violations (the DOM event, which
    catches what the console might word differently), console errors, script errors."""

    def __init__(self, page):
        self.page = page
        self.violations, self.errors = [], []
        # Error pages (by the start of their URL): their own status is no error.
        self.expected_failures = set()
        page.expose_function("reportViolation", lambda report: self.violations.append(report))
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def _console(self, message):
        if message.type != "error":
            return
        url = message.location.get("url") or ""
        if any(url.startswith(expected) for expected in self.expected_failures):
            return  # "Failed to load resource: … 404" for the 404 page itself
        if not url.startswith(self.page.base_url):
            return  # the test identity provider's pages are not Symétrie's
        self.errors.append(f"{self.page.url}: {message.text}")

    def visit(self, path, status=200, ready=None):
        """Open `path`, expect `status`, wait until the JS expression `ready` holds and
        the network is quiet (a late violation still reaches the lists)."""
        url = self.page.base_url + path
        if status >= 400:
            self.expected_failures.add(url)
        response = self.page.goto(url)
        assert response.status == status, path
        if ready:
            self.page.wait_for_function(ready)
        self.page.wait_for_load_state("networkidle")


QUESTIONNAIRE_SHOWN = "document.querySelector('form fieldset') !== null"
# Every chart of a dashboard drawn by plotly (charts.js marks each one when done).
CHARTS_DRAWN = (
    "document.querySelector('[data-chart]') !== null && "
    "document.querySelectorAll('[data-chart]:not([data-drawn=true])').length === 0"
)


def sign_in(page, user):
    """Put a session of `user` in the browser, in place of whoever was logged in."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value}
    page.context.add_cookies([cookie | {"url": page.base_url}])


@pytest.fixture
def site(org, hr_user):
    """A closed campaign with its barometer, an open one with both kinds of links."""
    teams = [org["team"], org["sibling"]]
    results = make_results_campaign("2026-q2", teams=teams, status="closed")
    for team in (org["team"], org["sibling"]):
        for side in ("employee", "client"):
            add_responses(results, team, side, 4, recommend=9, listening=4, comment="Bien")
    snapshot_compute(campaign=results)
    opened = open_campaign(org)
    invitation, token = personal_link(opened, org["team"])
    record_export = {"action": Action.OVERVIEW_EXPORT, "username": hr_user.username}
    entry_create(**record_export, campaign=results.slug, format="csv")
    return {
        "results": results,
        "open": opened,
        "person": invitation.person,
        "token": token,
        "public": public_link(opened, org["team"]).token,
        "questionnaire": builtin_questionnaire(),
    }


def sso_round_trip(page, watch):
    """With single sign-on on: Marc signs in through the provider and logs out of both (the
    logout form goes on to the provider's address: the CSP's form-action must allow it),
    then a stranger is refused (a 403 page)."""
    watch.expected_failures.add(page.base_url + "/login/sso/callback/")
    for username in ("marc", "stranger"):
        page.goto(page.base_url + "/login/")
        page.get_by_test_id("sso-login").click()
        page.get_by_label("Provider user name").fill(username)
        page.get_by_label("Provider password").fill(PROVIDER_PASSWORD)
        page.get_by_role("button", name="Sign in at the provider").click()
        page.wait_for_url(page.base_url + "/**")
        page.wait_for_load_state("networkidle")
        if username == "marc":
            page.get_by_role("button", name="Se déconnecter").click()
            page.wait_for_url(page.base_url + "/login/")
            page.wait_for_load_state("networkidle")
    page.get_by_test_id("sso-refused").wait_for()


@pytest.mark.parametrize(
    "sso_on",
    [
        pytest.param(False, id="SSO off"),
        # ~30 s: once, in the PostgreSQL pass of make test.
        pytest.param(True, id="SSO on, LOCAL_LOGIN off", marks=pytest.mark.postgres),
    ],
)
def test_no_page_raises_a_content_security_policy_violation_or_a_console_error(
    page, site, org, hr_user, sso_on, request, settings
):
    if sso_on:
        request.getfixturevalue("sso")
        settings.LOCAL_LOGIN = False
    watch = Watch(page)
    results, team, sibling = site["results"].slug, org["team"].code, org["sibling"].code

    # Anybody: the login page, the respondents' pages, the error pages.
    watch.visit("/login/")
    if sso_on:
        sso_round_trip(page, watch)
    watch.visit(f"/r/{site['token']}/", ready=QUESTIONNAIRE_SHOWN)
    watch.visit(f"/q/{site['public']}/", ready=QUESTIONNAIRE_SHOWN)
    watch.visit("/thanks/")
    watch.visit("/privacy/")
    watch.visit("/r/Zx8d9Kq2mN4pL7vR1sT6uW3yA5bC0eF9gH2jK4mN6pQ/", status=404)
    watch.visit("/no-such-page/", status=404)

    # The second login step, for an account with two-step verification (with LOCAL_LOGIN
    # off, a superuser's: the break-glass form).
    guarded = make_user("gaelle@example.org", hr=True, is_superuser=sso_on)
    TOTPDevice.objects.create(user=guarded, name="Authenticator app", confirmed=True)
    page.goto(page.base_url + "/login/")
    if sso_on:
        page.locator("[data-testid=break-glass] summary").click()
    page.get_by_label("Nom d’utilisateur").fill(guarded.username)
    page.get_by_label("Mot de passe").fill("correct-horse-battery")
    page.get_by_role(
        "button", name="Se connecter" if not sso_on else "Se connecter avec un mot de passe"
    ).click()
    page.wait_for_url("**/login/code/**")
    page.locator("input[name=code]").wait_for()
    page.wait_for_load_state("networkidle")

    sign_in(page, hr_user)
    for path in (
        "/",
        "/hr/teams/",
        "/hr/people/",
        f"/hr/people/{site['person'].pk}/",
        "/hr/questionnaires/",
        f"/hr/questionnaires/{site['questionnaire'].pk}/preview/",
        f"/hr/campaigns/{site['open'].slug}/",
        f"/hr/campaigns/{site['open'].slug}/links/",
        "/hr/audit/",
        "/account/two-step/",
    ):
        watch.visit(path)
    watch.visit(f"/dashboards/{results}/", ready=CHARTS_DRAWN)
    watch.visit(f"/dashboards/{results}/teams/{team}/", ready=CHARTS_DRAWN)
    assert page.locator("[data-chart][data-drawn=true]").count() == 4

    sign_in(page, org["manager"])
    watch.visit(f"/dashboards/{results}/teams/{sibling}/", status=403)
    screenshot(page, "forbidden")

    assert watch.violations == []
    assert watch.errors == []
