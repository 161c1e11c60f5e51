"""Single sign-on in a real Chromium, through the test OpenID provider's own pages.

The provider is a real server on loopback (the `oidc_provider` fixture); the browser goes
from Symétrie to its sign-in page and back, as it would with Entra ID or Keycloak.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from audit.models import Action, AuditEntry
from barometer.services import snapshot_compute
from barometer.tests.factories import add_responses
from barometer.tests.factories import make_campaign as make_results_campaign
from conftest import PROVIDER_PASSWORD, screenshot
from symetrie.roles import is_hr
from symetrie.tests.sso_helpers import provider_sign_in

# ~45 s with Chromium's start: once, in the PostgreSQL pass of make test (test_sso.py
# holds the same paths over HTTP in both passes).
pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Every chart of a dashboard drawn by plotly (charts.js marks each one when done).
CHARTS_DRAWN = (
    "document.querySelector('[data-chart]') !== null && "
    "document.querySelectorAll('[data-chart]:not([data-drawn=true])').length === 0"
)


def sso_sign_in(page, username, path="/login/"):
    """From `path` (a page that asks to log in first), through the provider's sign-in page,
    back to Symétrie; returns the page's path once back."""
    page.goto(page.base_url + path)
    page.get_by_test_id("sso-login").click()
    page.get_by_label("Provider user name").fill(username)
    page.get_by_label("Provider password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()
    page.wait_for_url(page.base_url + "/**")
    page.wait_for_load_state()
    return page.url.removeprefix(page.base_url)


def refused_entries():
    return list(
        AuditEntry.objects.filter(action=Action.SSO_LOGIN, outcome="refused").values_list(
            "username", "detail"
        )
    )


def test_the_manager_signs_in_through_the_provider_and_reads_their_dashboard(page, sso, org):
    results = make_results_campaign("2026-q2", teams=[org["team"]], status="closed")
    for side in ("employee", "client"):
        add_responses(results, org["team"], side, 4, recommend=9, listening=4)
    snapshot_compute(campaign=results)
    dashboard = f"/dashboards/2026-q2/teams/{org['team'].code}/"

    assert sso_sign_in(page, "marc", path=dashboard) == dashboard
    page.wait_for_function(CHARTS_DRAWN)
    assert "Réception" in page.locator("h1").inner_text()
    screenshot(page, "sso-manager-dashboard")
    assert AuditEntry.objects.filter(action=Action.SSO_LOGIN, user=org["manager"]).exists()

    # Logging out ends the provider's session too: the next sign-in asks for the password.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(page.base_url + "/login/")
    page.get_by_test_id("sso-login").click()
    page.get_by_label("Provider password").wait_for()


def test_the_hr_claim_grants_hr_then_withdraws_it_at_the_next_login(page, sso, manager):
    sso.set_groups("marc", ["symetrie-hr"])
    sso_sign_in(page, "marc")
    assert page.get_by_role("link", name="Équipes", exact=True).count() == 1
    assert is_hr(get_user_model().objects.get(pk=manager.pk))

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(page.base_url + "/login/")
    sso.set_groups("marc", [])
    sso_sign_in(page, "marc")
    assert page.get_by_role("link", name="Équipes", exact=True).count() == 0
    assert page.goto(page.base_url + "/hr/teams/").status == 403
    assert not is_hr(get_user_model().objects.get(pk=manager.pk))
    assert list(
        AuditEntry.objects.filter(action__in=[Action.HR_GRANTED, Action.HR_WITHDRAWN])
        .order_by("at", "id")
        .values_list("action", flat=True)
    ) == ["hr_granted", "hr_withdrawn"]


def test_the_stranger_is_refused_with_a_page_saying_to_ask_hr(page, sso, org):
    sso_sign_in(page, "stranger")
    refusal = page.get_by_test_id("sso-refused")
    assert "Symétrie n’a pas de compte pour nadia@elsewhere.example" in refusal.inner_text()
    assert "Demandez aux RH" in refusal.inner_text()
    screenshot(page, "sso-refused")
    assert page.goto(page.base_url + "/").url.startswith(page.base_url + "/login/")
    assert refused_entries() == [("nadia@elsewhere.example", "no account has this e-mail")]


@pytest.mark.parametrize(
    ("spoil", "username", "entry"),
    [
        ("forged", "marc", ("", "the signature does not match")),
        ("expired", "marc", ("", "the token has expired")),
        ("audience", "marc", ("", "the token is for another client")),
        (None, "unverified", ("paul@example.org", "the e-mail is not verified")),
    ],
    ids=["forged token", "expired token", "wrong audience", "unverified e-mail"],
)
def test_a_bad_token_or_an_unverified_e_mail_is_refused_and_logged(
    page, sso, org, spoil, username, entry
):
    sso.change(spoil=spoil)
    sso_sign_in(page, username)
    page.get_by_test_id("sso-refused").wait_for()
    assert page.goto(page.base_url + "/").url.startswith(page.base_url + "/login/")
    assert refused_entries() == [entry]


def test_a_wrong_state_is_refused_and_logged(page, sso, org):
    """A callback link made in another browser (someone signing in as themselves, then
    passing the link on): its state is not one this browser's session set off with."""
    other = Client(HTTP_HOST=page.base_url.removeprefix("http://"))
    start = other.get(reverse("sso_start"))
    link = provider_sign_in(start["Location"], "stranger")
    assert link.startswith(page.base_url + "/login/sso/callback/?")

    page.goto(page.base_url + "/login/")
    page.get_by_test_id("sso-login").click()  # a sign-in of this browser's own under way
    page.get_by_label("Provider password").wait_for()
    page.goto(link)
    page.get_by_test_id("sso-refused").wait_for()
    assert page.goto(page.base_url + "/").url.startswith(page.base_url + "/login/")
    assert refused_entries() == [("", "unknown or expired state")]


@pytest.fixture
def local_login_off(sso, settings):
    settings.LOCAL_LOGIN = False


def password_log_in(page, username, password):
    page.goto(page.base_url + "/login/")
    page.locator("[data-testid=break-glass] summary").click()
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter avec un mot de passe").click()
    page.wait_for_load_state()


def test_with_local_login_off_a_manager_s_password_is_refused(page, local_login_off, manager):
    password_log_in(page, manager.username, "correct-horse-battery")
    assert page.url == page.base_url + "/login/"
    assert "réservée aux administrateurs" in page.get_by_test_id("break-glass").inner_text()
    screenshot(page, "local-login-off")
    assert page.goto(page.base_url + "/").url.startswith(page.base_url + "/login/")


def test_with_local_login_off_the_superuser_s_password_is_accepted(page, local_login_off):
    get_user_model().objects.create_superuser("root", "root@example.org", "Zq8#mLp4!vRt")
    password_log_in(page, "root", "Zq8#mLp4!vRt")
    assert page.url == page.base_url + "/"
    assert "Bienvenue, root" in page.locator("h1").inner_text()
