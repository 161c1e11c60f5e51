"""In a real Chromium: the login page, an HR login, and the language switch."""

import pytest

from conftest import screenshot

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


def test_pages_raise_no_content_security_policy_violation(page, hr_user):
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto(page.base_url + "/login/")
    page.wait_for_load_state("networkidle")
    assert [text for text in violations if "Content Security Policy" in text] == []
