"""Two-step verification (TOTP, django-otp): turning it on and off, and the second login step."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import screenshot

PASSWORD = "correct-horse-battery"
HR_PAGE = "/hr/campaigns/"


def code_for(device, *, steps_ahead=0):
    """The code the user's app shows now (or `steps_ahead` 30-second steps later)."""
    device.refresh_from_db()
    drift = device.drift + steps_ahead
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def wrong_code_for(device):
    return f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"


def protected(user):
    """Turn two-step verification on for `user`, as the set-up page would."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def log_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


# --- turning it on -------------------------------------------------------------


@pytest.mark.django_db
def test_the_set_up_page_requires_login(client):
    response = client.get(reverse("two_factor"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_set_up_page_shows_a_qr_code_and_the_secret(client, hr_user):
    client.force_login(hr_user)
    response = client.get(reverse("two_factor"))
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=hr_user)
    assert not device.confirmed
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', response.text).group(1)
    assert b32decode(secret.replace(" ", "")) == device.bin_key
    svg = re.search(r'data-testid="totp-qr"><svg.*?</svg>', response.text, re.S).group(0)
    # Inline SVG with presentation attributes only: nothing the strict CSP would block.
    assert "style" not in svg and "<script" not in svg
    assert "no-store" in response["Cache-Control"]  # the secret stays out of caches


@pytest.mark.django_db
def test_the_qr_code_holds_the_otpauth_address_of_the_device(client, hr_user):
    import segno

    client.force_login(hr_user)
    response = client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=hr_user)
    assert device.config_url.startswith("otpauth://totp/Sym%C3%A9trie%3Ahelene%40example.org?")
    expected = segno.make_qr(device.config_url, error="m").svg_inline(
        scale=5, border=4, light="#fff", title="QR code to scan with your authenticator app"
    )
    assert expected.split("</title>")[1] in response.text


@pytest.mark.django_db
def test_reloading_the_set_up_page_keeps_the_same_secret(client, hr_user):
    client.force_login(hr_user)
    client.get(reverse("two_factor"))
    client.get(reverse("two_factor"))
    assert TOTPDevice.objects.filter(user=hr_user).count() == 1


@pytest.mark.django_db
def test_a_wrong_code_does_not_turn_it_on(english, hr_user):
    english.force_login(hr_user)
    english.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=hr_user)
    response = english.post(reverse("two_factor"), {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert "This code is not right." in response.text
    device.refresh_from_db()
    assert not device.confirmed


@pytest.mark.django_db
def test_a_mistyped_code_is_explained(english, hr_user):
    english.force_login(hr_user)
    english.get(reverse("two_factor"))
    response = english.post(reverse("two_factor"), {"code": "12a45"})
    assert "Type the 6 digits your app shows." in response.text
    assert not TOTPDevice.objects.filter(user=hr_user, confirmed=True).exists()


@pytest.mark.django_db
def test_the_right_code_turns_it_on_and_keeps_this_session_in(english, hr_user):
    english.force_login(hr_user)
    english.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=hr_user)
    response = english.post(
        reverse("two_factor"), {"code": f"{code_for(device)[:3]} {code_for(device)[3:]}"}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    page = english.get(reverse("two_factor"))
    assert "Two-step verification is on for your account." in page.text
    assert 'data-testid="two-factor-on"' in page.text
    # This session showed a code: the HR pages stay open without a second step.
    assert english.get(HR_PAGE).status_code == 200


@pytest.mark.django_db
def test_a_manager_can_turn_it_on_too(client, manager):
    client.force_login(manager)
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=manager)
    assert client.post(reverse("two_factor"), {"code": code_for(device)}).status_code == 302
    assert TOTPDevice.objects.get(user=manager).confirmed


@pytest.mark.django_db
def test_the_navigation_links_to_the_security_page(client, hr_user):
    client.force_login(hr_user)
    assert f'href="{reverse("two_factor")}"' in client.get(reverse("home")).text


# --- the second login step -------------------------------------------------------


@pytest.mark.django_db
def test_after_the_password_the_login_asks_for_the_code(client, hr_user):
    protected(hr_user)
    response = log_in(client, hr_user)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login_code')}?next=/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'data-testid="code-form"' in page.text
    assert 'autocomplete="one-time-code"' in page.text


@pytest.mark.django_db
def test_without_a_device_the_password_is_enough(client, hr_user):
    log_in(client, hr_user)
    assert client.get(HR_PAGE).status_code == 200
    assert client.get(reverse("login_code")).status_code == 302


@pytest.mark.django_db
def test_an_hr_page_without_the_second_step_redirects_to_it(client, hr_user):
    protected(hr_user)
    client.force_login(hr_user)
    response = client.get(HR_PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login_code')}?next=/hr/campaigns/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/dashboards/", "/admin/", "/account/two-step/", "/hr/teams/"]
)
def test_every_page_waits_for_the_second_step(client, url):
    from conftest import make_user

    user = make_user("root@example.org", hr=True, is_staff=True, is_superuser=True)
    protected(user)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login_code"))


@pytest.mark.django_db
def test_logging_out_stays_possible_during_the_second_step(client, hr_user):
    protected(hr_user)
    log_in(client, hr_user)
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_right_code_completes_the_login_and_opens_the_page_asked_for(client, hr_user):
    device = protected(hr_user)
    log_in(client, hr_user)
    session_before = client.session.session_key
    response = client.post(reverse("login_code"), {"code": code_for(device), "next": HR_PAGE})
    assert response.status_code == 302
    assert response["Location"] == HR_PAGE
    assert client.get(HR_PAGE).status_code == 200
    assert client.session.session_key != session_before


@pytest.mark.django_db
def test_the_code_step_never_sends_to_another_site(client, hr_user):
    device = protected(hr_user)
    log_in(client, hr_user)
    response = client.post(
        reverse("login_code"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_a_wrong_code_is_refused(english, hr_user):
    device = protected(hr_user)
    log_in(english, hr_user)
    response = english.post(reverse("login_code"), {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert "This code is not right." in response.text
    assert english.get(HR_PAGE).status_code == 302


@pytest.mark.django_db
def test_a_code_works_only_once(client, hr_user):
    device = protected(hr_user)
    code = code_for(device)
    log_in(client, hr_user)
    client.post(reverse("login_code"), {"code": code})
    client.post(reverse("logout"))
    log_in(client, hr_user)
    client.post(reverse("login_code"), {"code": code})
    assert client.get(HR_PAGE).status_code == 302


@pytest.mark.django_db
def test_guesses_in_quick_succession_are_throttled(english, hr_user):
    device = protected(hr_user)
    log_in(english, hr_user)
    english.post(reverse("login_code"), {"code": wrong_code_for(device)})
    # Straight after a wrong code even the right one is not tried (1 s, then 2, 4, 8...).
    response = english.post(reverse("login_code"), {"code": code_for(device)})
    assert "Too many wrong codes in a row: wait 1 second, then try again." in response.text
    assert english.get(HR_PAGE).status_code == 302


@pytest.mark.django_db
def test_wrong_codes_count_towards_the_lock_out(english, hr_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no pause between guesses: the lock-out alone
    device = protected(hr_user)
    log_in(english, hr_user)
    statuses = [
        english.post(reverse("login_code"), {"code": wrong_code_for(device)}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert "_auth_user_id" not in english.session  # back to the start, password and all
    response = log_in(english, hr_user)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.text


@pytest.mark.django_db
def test_wrong_passwords_and_wrong_codes_add_up(client, hr_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = protected(hr_user)
    for _ in range(3):
        client.post(reverse("login"), {"username": hr_user.username, "password": "nope"})
    log_in(client, hr_user)
    client.post(reverse("login_code"), {"code": wrong_code_for(device)})
    response = client.post(reverse("login_code"), {"code": wrong_code_for(device)})
    assert response.status_code == 429


# --- turning it off ------------------------------------------------------------------


@pytest.fixture
def verified_client(client, hr_user):
    """Hélène, with two-step verification on, fully logged in."""
    device = protected(hr_user)
    log_in(client, hr_user)
    client.post(reverse("login_code"), {"code": code_for(device)})
    assert client.get(HR_PAGE).status_code == 200
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_turning_it_off_needs_a_current_code(verified_client, hr_user):
    device = TOTPDevice.objects.get(user=hr_user)
    response = verified_client.post(reverse("two_factor_disable"), {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert "This code is not right." in response.text
    assert TOTPDevice.objects.filter(user=hr_user, confirmed=True).exists()


@pytest.mark.django_db
def test_a_current_code_turns_it_off(verified_client, hr_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.get(user=hr_user)
    # The login used this step's code; the app's next one is accepted (one step of leeway).
    response = verified_client.post(
        reverse("two_factor_disable"), {"code": code_for(device, steps_ahead=1)}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=hr_user).exists()
    page = verified_client.get(response["Location"])
    assert "Two-step verification is off for your account." in page.text
    assert 'data-testid="totp-qr"' in page.text


@pytest.mark.django_db
def test_turning_it_off_requires_login_and_a_post(client, hr_user):
    assert client.post(reverse("two_factor_disable"), {"code": "123456"}).status_code == 302
    client.force_login(hr_user)
    assert client.get(reverse("two_factor_disable")).status_code == 405


@pytest.mark.django_db
def test_a_session_without_the_second_step_cannot_turn_it_off(client, hr_user):
    device = protected(hr_user)
    client.force_login(hr_user)
    response = client.post(reverse("two_factor_disable"), {"code": code_for(device)})
    assert response["Location"].startswith(reverse("login_code"))
    assert TOTPDevice.objects.filter(user=hr_user, confirmed=True).exists()


@pytest.mark.django_db
def test_an_administrator_can_remove_the_device_of_someone_who_lost_their_phone(client, hr_user):
    from conftest import make_user

    admin = make_user("root@example.org", is_staff=True, is_superuser=True)
    device = protected(hr_user)
    client.force_login(admin)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=hr_user).exists()


@pytest.mark.django_db
def test_the_admin_does_not_show_the_secrets(client, hr_user):
    from conftest import make_user

    admin = make_user("root@example.org", is_staff=True, is_superuser=True)
    device = protected(hr_user)
    client.force_login(admin)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.text


# --- in a real browser -----------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_hr_user_turns_it_on_then_logs_in_with_a_code(page, hr_user):
    violations = []
    page.on("console", lambda message: violations.append(message.text))

    def log_in_with_password():
        page.goto(page.base_url + "/login/")
        page.get_by_label("Nom d’utilisateur").fill(hr_user.username)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.locator("#submit-id-submit").click()
        page.wait_for_load_state()

    log_in_with_password()
    page.goto(page.base_url + reverse("two_factor"))
    assert page.get_by_test_id("totp-qr").locator("svg").is_visible()
    screenshot(page, "two-factor-set-up")
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    key = b32decode(secret)
    page.locator("input[name=code]").fill(f"{totp(key):06d}")
    page.locator("#submit-id-submit").click()
    page.get_by_test_id("two-factor-on").wait_for()

    page.locator("form[action='/logout/'] button").click()
    page.wait_for_load_state()
    log_in_with_password()
    assert page.url.startswith(page.base_url + reverse("login_code"))
    screenshot(page, "two-factor-code-step")
    # The code of the next 30-second step: the one just used cannot serve twice.
    page.locator("input[name=code]").fill(f"{totp(key, drift=1):06d}")
    page.get_by_test_id("code-form").locator("[type=submit]").click()
    page.wait_for_url(page.base_url + "/")
    assert page.locator("h1").inner_text().startswith("Bienvenue")
    assert [text for text in violations if "Content Security Policy" in text] == []
