"""In a real Chromium: HR imports a team tree through the preview; the new manager is e-mailed."""

import pytest

from conftest import screenshot, wait_for
from surveys.models import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_hr_imports_a_team_tree_through_the_preview(page, hr_user, smtp_server, tmp_path):
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    page.goto(page.base_url + "/login/")
    page.get_by_label("Username").fill(hr_user.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(page.base_url + "/")

    csv = tmp_path / "équipes.csv"
    csv.write_bytes(
        "code;name;parent;managers\n"
        "lyon-reception;Réception;lyon;nina@example.org\n"
        "lyon;Lyon;;\n".encode("utf-8-sig")
    )
    page.goto(page.base_url + "/hr/teams/import/")
    page.get_by_label("CSV or XLSX file").set_input_files(str(csv))
    page.get_by_role("button", name="Check the file").click()
    preview = page.get_by_test_id("import-preview")
    preview.wait_for()
    assert "new account for nina@example.org" in preview.inner_text()
    assert not Team.objects.exists()
    screenshot(page, "teams-import-preview")

    page.get_by_role("button", name="Import 2 rows").click()
    page.wait_for_url(page.base_url + "/hr/teams/")
    assert "Import done: 2 created" in page.locator("main").inner_text()
    tree = page.get_by_test_id("team-tree")
    assert tree.locator("tr[data-code='lyon-reception']").get_attribute("data-depth") == "1"
    screenshot(page, "teams-tree")

    wait_for(lambda: smtp_server, what="the new manager's e-mail")
    assert smtp_server[0]["To"] == "nina@example.org"
    assert [text for text in violations if "Content Security Policy" in text] == []
