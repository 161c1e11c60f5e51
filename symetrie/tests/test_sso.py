"""Single sign-on against a real OpenID provider over HTTP (the `oidc_provider` fixture):
who may come in, what the HR claim does, the refusals, logout, and the configuration.

The browser versions of the main paths are in test_sso_browser.py.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Action, AuditEntry, Outcome
from conftest import make_user
from surveys.teams import managers_ensure
from symetrie.login_middleware import STARTED_KEY
from symetrie.roles import is_hr
from symetrie.sso import provider_metadata_forget
from symetrie.tests.sso_helpers import provider_sign_in, sign_in

pytestmark = pytest.mark.django_db


def refusals():
    return list(
        AuditEntry.objects.filter(action=Action.SSO_LOGIN, outcome=Outcome.REFUSED).values_list(
            "username", "detail"
        )
    )


# --- who may come in -------------------------------------------------------------------


def test_a_manager_signs_in_with_the_account_of_their_e_mail_whatever_its_case(
    client, sso, manager
):
    response = sign_in(client, "marc", next_url="/hr/teams/")
    assert (response.status_code, response["Location"]) == (302, "/hr/teams/")
    assert int(client.session["_auth_user_id"]) == manager.pk
    assert client.get(reverse("home")).status_code == 200
    entry = AuditEntry.objects.get(action=Action.SSO_LOGIN)
    assert (entry.username, entry.user, entry.outcome) == (manager.username, manager, "allowed")


def test_an_unknown_e_mail_is_refused_with_a_page_saying_to_ask_hr(english, sso, manager):
    response = sign_in(english, "stranger")
    assert response.status_code == 403
    assert "has no account for nadia@elsewhere.example" in response.content.decode()
    assert "Ask HR" in response.content.decode()
    assert "_auth_user_id" not in english.session
    assert not get_user_model().objects.filter(email="nadia@elsewhere.example").exists()
    assert refusals() == [("nadia@elsewhere.example", "no account has this e-mail")]


def test_a_listed_domain_gets_an_account_without_any_role(client, sso, settings):
    settings.OIDC_NEW_ACCOUNT_DOMAINS = ["elsewhere.example"]
    response = sign_in(client, "stranger")
    assert response.status_code == 302
    nadia = get_user_model().objects.get(username="nadia@elsewhere.example")
    assert (nadia.email, nadia.has_usable_password(), is_hr(nadia)) == (
        "nadia@elsewhere.example",
        False,
        False,
    )
    assert not nadia.managed_teams.exists()
    assert AuditEntry.objects.filter(action=Action.SSO_ACCOUNT, user=nadia).exists()
    # No role: the home page and nothing else.
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("surveys:teams")).status_code == 404


def test_a_deactivated_account_cannot_come_back(english, sso, manager):
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    response = sign_in(english, "marc")
    assert response.status_code == 403
    assert "is deactivated" in response.content.decode()
    assert "_auth_user_id" not in english.session
    assert refusals() == [("marc@example.org", "the account is deactivated")]


def test_a_session_ends_when_its_account_is_deactivated(client, sso, manager):
    sign_in(client, "marc")
    get_user_model().objects.filter(pk=manager.pk).update(is_active=False)
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_an_unverified_e_mail_is_refused_even_when_it_names_an_account(english, sso, org):
    response = sign_in(english, "unverified")
    assert response.status_code == 403
    assert "has not verified the e-mail address paul@example.org" in response.content.decode()
    assert "_auth_user_id" not in english.session
    assert refusals() == [("paul@example.org", "the e-mail is not verified")]


# --- the HR claim ---------------------------------------------------------------------


def test_the_hr_claim_grants_hr_then_withdraws_it_at_the_next_login(client, sso, manager):
    sso.set_groups("marc", ["symetrie-hr", "other"])
    sign_in(client, "marc")
    assert is_hr(get_user_model().objects.get(pk=manager.pk))
    assert client.get(reverse("surveys:teams")).status_code == 200

    client.post(reverse("logout"))
    sso.set_groups("marc", [])
    sign_in(client, "marc")
    assert not is_hr(get_user_model().objects.get(pk=manager.pk))
    assert client.get(reverse("surveys:teams")).status_code == 403
    changes = AuditEntry.objects.filter(action__in=[Action.HR_GRANTED, Action.HR_WITHDRAWN])
    assert sorted(changes.values_list("action", "username")) == [
        ("hr_granted", "marc@example.org"),
        ("hr_withdrawn", "marc@example.org"),
    ]


def test_without_an_hr_claim_configured_the_role_is_left_as_hr_set_it(
    client, sso, settings, hr_user
):
    sso.set_groups("helene", [])
    settings.OIDC_HR_CLAIM = settings.OIDC_HR_VALUE = ""
    sign_in(client, "helene")
    assert is_hr(get_user_model().objects.get(pk=hr_user.pk))
    assert not AuditEntry.objects.filter(action=Action.HR_WITHDRAWN).exists()


def test_an_unchanged_role_writes_no_role_change(client, sso, hr_user):
    sign_in(client, "helene")
    assert is_hr(get_user_model().objects.get(pk=hr_user.pk))
    assert not AuditEntry.objects.filter(action__in=[Action.HR_GRANTED, Action.HR_WITHDRAWN])


# --- tokens and states that do not pass -----------------------------------------------------


@pytest.mark.parametrize(
    ("spoil", "reason", "detail"),
    [
        ("forged", "token_signature", "the signature does not match"),
        ("expired", "token_expired", "the token has expired"),
        ("audience", "token_audience", "the token is for another client"),
    ],
)
def test_a_spoiled_id_token_is_refused_and_logged(
    english, sso, manager, spoil, reason, detail, caplog
):
    sso.change(spoil=spoil)
    response = sign_in(english, "marc")
    assert response.status_code == 403
    assert "could not be completed" in response.content.decode()
    assert "_auth_user_id" not in english.session
    assert refusals() == [("", detail)]
    assert f"single sign-on refused: {reason} ({detail})" in caplog.text


def test_a_wrong_state_is_refused_and_logged(client, sso, manager):
    def wrong_state(url):
        return re.sub(r"state=[^&]+", "state=forged-state", url)

    response = sign_in(client, "marc", tamper=wrong_state)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert refusals() == [("", "unknown or expired state")]


def test_a_state_serves_once(client, sso, manager):
    back = []
    sign_in(client, "marc", tamper=lambda url: back.append(url) or url)
    client.post(reverse("logout"))
    parts = urlsplit(back[0])
    assert client.get(f"{parts.path}?{parts.query}").status_code == 403
    assert refusals() == [("", "unknown or expired state")]


def test_a_code_for_another_sign_in_is_refused_by_pkce(client, sso, manager):
    """The code of one sign-in, brought back with the state of another: the provider
    refuses it, since the verifier is that other sign-in's."""
    first = client.get(reverse("sso_start"))
    second = client.get(reverse("sso_start"))
    code = parse_qs(urlsplit(provider_sign_in(first["Location"], "marc")).query)["code"][0]
    state = parse_qs(urlsplit(second["Location"]).query)["state"][0]
    response = client.get(reverse("sso_callback"), {"code": code, "state": state})
    assert response.status_code == 403
    assert refusals() == [("", "the token endpoint answered 400")]


def test_an_error_from_the_provider_is_refused_and_logged(client, sso):
    start = client.get(reverse("sso_start"))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(reverse("sso_callback"), {"error": "access_denied", "state": state})
    assert response.status_code == 403
    assert refusals() == [("", "provider error access_denied")]


# --- the provider that does not answer -------------------------------------------------------


def test_an_unreachable_provider_stops_the_login_with_a_page_saying_so(
    english, sso, settings, silent_socket, caplog
):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{silent_socket}/o"
    settings.OIDC_TIMEOUT = 0.5
    response = english.get(reverse("sso_start"))
    assert response.status_code == 503
    assert "does not answer Symétrie right now" in response.content.decode()
    assert "single sign-on unavailable" in caplog.text


def test_an_issuer_that_names_another_is_refused_at_the_login(client, sso, settings, caplog):
    settings.OIDC_ISSUER = sso.issuer.removesuffix("/o")  # answers, but not as this issuer
    provider_metadata_forget()
    response = client.get(reverse("sso_start"))
    assert response.status_code == 503
    assert "single sign-on unavailable" in caplog.text


def test_without_sso_its_pages_are_not_there(client):
    assert client.get(reverse("sso_start")).status_code == 404
    assert client.get(reverse("sso_callback")).status_code == 404


# --- the login page, local passwords, second step -----------------------------------------


def test_the_login_page_shows_the_sso_button_first(english, sso):
    page = english.get(reverse("login")).content.decode()
    assert 'data-testid="sso-login"' in page
    assert page.index('data-testid="sso-login"') < page.index('name="password"')


def test_with_local_login_off_a_manager_s_right_password_is_refused(
    english, sso, settings, manager
):
    settings.LOCAL_LOGIN = False
    response = english.post(
        reverse("login"), {"username": manager.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 200
    assert "Password login is for administrators only" in response.content.decode()
    assert "_auth_user_id" not in english.session
    entry = AuditEntry.objects.get(action=Action.PASSWORD_LOGIN)
    assert (entry.username, entry.outcome) == (manager.username, "refused")


def test_with_local_login_off_a_superuser_still_logs_in_with_a_password(client, sso, settings):
    settings.LOCAL_LOGIN = False
    root = get_user_model().objects.create_superuser("root", "root@example.org", "Zq8#mLp4!vRt")
    response = client.post(reverse("login"), {"username": "root", "password": "Zq8#mLp4!vRt"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == root.pk


def test_with_local_login_off_the_admin_login_refuses_staff_too(client, sso, settings):
    settings.LOCAL_LOGIN = False
    make_user("staff@example.org", is_staff=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "staff@example.org", "password": "correct-horse-battery"},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_second_factor_is_the_provider_s_not_totp(client, sso, manager):
    TOTPDevice.objects.create(user=manager, name="Authenticator app", confirmed=True)
    sign_in(client, "marc")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("login_code"))["Location"] == reverse("home")


def test_a_password_login_still_asks_for_the_totp_code(client, sso, manager):
    TOTPDevice.objects.create(user=manager, name="Authenticator app", confirmed=True)
    client.post(
        reverse("login"), {"username": manager.username, "password": "correct-horse-battery"}
    )
    assert client.get(reverse("home"))["Location"].startswith(reverse("login_code"))


def test_a_login_waiting_for_its_code_may_sign_in_through_sso_instead(client, sso, manager):
    TOTPDevice.objects.create(user=manager, name="Authenticator app", confirmed=True)
    client.post(
        reverse("login"), {"username": manager.username, "password": "correct-horse-battery"}
    )
    assert sign_in(client, "marc").status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_next_address_off_the_site_is_not_followed(client, sso, manager):
    response = sign_in(client, "marc", next_url="https://elsewhere.example/")
    assert response["Location"] == reverse("home")


def test_the_session_limits_count_from_the_sso_login(client, sso, manager):
    sign_in(client, "marc")
    assert STARTED_KEY in client.session


# --- logout -----------------------------------------------------------------------------


def test_logout_ends_the_provider_s_session_too(client, sso, manager):
    sign_in(client, "marc")
    response = client.post(reverse("logout"))
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == sso.issuer + "/logout/"
    query = parse_qs(location.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/login/"]
    assert query["id_token_hint"][0].count(".") == 2
    assert "_auth_user_id" not in client.session


def test_logout_of_a_password_session_stays_here(client, sso, manager):
    client.force_login(manager)
    assert client.post(reverse("logout"))["Location"] == reverse("login")


# --- manager accounts -----------------------------------------------------------------


def test_with_sso_a_new_manager_is_told_to_sign_in_with_the_company_account(
    sso, settings, smtp_server, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://barometre.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        managers_ensure(emails=["nina@example.org"])
    (message,) = smtp_server
    body = message.get_content()
    assert (
        message["Subject"]
        == "Votre compte Symétrie : connectez-vous avec le compte de l’entreprise"
    )
    assert "https://barometre.example.org/login/" in body
    assert "/password/set/" not in body
    assert "nina@example.org" in body
