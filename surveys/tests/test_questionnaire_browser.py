"""In a real Chromium: HR copies the built-in template, adds a pair, reorders, previews."""

import pytest

from conftest import screenshot
from surveys.models import Questionnaire
from surveys.questionnaires import questionnaire_install_builtin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_builds_a_template_from_the_builtin_one_and_previews_it(page, hr_user):
    questionnaire_install_builtin()  # transactional tests flush the data migration's rows
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])

    page.goto(page.base_url + "/login/")
    page.get_by_label("Username").fill(hr_user.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(page.base_url + "/")

    page.goto(page.base_url + "/hr/questionnaires/")
    builtin = Questionnaire.objects.get(builtin=True)
    page.get_by_test_id(f"questionnaire-{builtin.pk}").get_by_role("link", name="Copy").click()
    page.get_by_label("Name").fill("Hotels 2027")
    page.get_by_role("button", name="Copy").click()
    page.get_by_text("Template copied").wait_for()
    screenshot(page, "questionnaire-edit")

    page.get_by_role("link", name="Add a mirrored pair").click()
    page.get_by_label("Code").fill("welcome")
    page.locator("#id_kind").select_option("likert")
    page.locator("#id_employee_fr").fill("On m’accueille bien à mon arrivée.")
    page.locator("#id_employee_en").fill("I am made welcome when I arrive.")
    page.locator("#id_client_fr").fill("On vous accueille bien à votre arrivée.")
    page.locator("#id_client_en").fill("I am made welcome when I arrive here.")
    screenshot(page, "questionnaire-pair-add")
    page.get_by_role("button", name="Add the pair").click()
    page.get_by_text("Mirrored pair added.").wait_for()

    page.get_by_role("button", name="Move welcome up").click()
    page.wait_for_load_state()
    rows = page.locator("tr[data-testid^=item-]")
    assert rows.nth(rows.count() - 2).get_attribute("data-testid") == "item-welcome"

    page.get_by_role("link", name="Preview").click()
    welcome = page.get_by_test_id("preview-welcome")
    assert (
        "I am made welcome when I arrive." in welcome.locator("[data-side=employee]").inner_text()
    )
    assert (
        "I am made welcome when I arrive here."
        in welcome.locator("[data-side=client]").inner_text()
    )
    screenshot(page, "questionnaire-preview-en")

    page.get_by_test_id("preview-language-fr").click()
    welcome = page.get_by_test_id("preview-welcome")
    assert "On vous accueille bien" in welcome.locator("[data-side=client]").inner_text()
    screenshot(page, "questionnaire-preview-fr")
    assert [text for text in violations if "Content Security Policy" in text] == []
