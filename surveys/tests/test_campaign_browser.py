"""In a real Chromium: HR creates a campaign, launches it, prints a QR code, reminds, closes."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from conftest import screenshot
from surveys.models import Campaign, Invitation
from surveys.tests.campaign_helpers import (
    builtin_questionnaire,
    make_person,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    """Open an HR session in the browser, with the pages in English."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url},
            {"name": "django_language", "value": "en", "url": page.base_url},
        ]
    )


def test_hr_runs_a_campaign_from_creation_to_close(page, hr_user, org, smtp_server):
    builtin_questionnaire()  # flushed by transactional tests: install it again
    make_person(org["team"], "lea@example.org", name="Léa")
    make_person(org["team"], "tom@example.org", language="en", name="Tom")
    make_person(org["sibling"], "chef@example.org")
    make_person(org["team"], "client@example.org", side="client")
    problems = []  # script errors, CSP violations, missing files
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("response", lambda r: r.status == 404 and problems.append(r.url))
    # The browser's own favicon request is no page's resource: the console alone reports it.
    missing = "Failed to load resource"
    page.clock.install()
    sign_in(page, hr_user)

    page.goto(page.base_url + "/hr/campaigns/")
    page.get_by_role("link", name="New campaign").click()
    page.locator("#id_name").fill("Printemps 2027")
    page.get_by_label("A team and all the teams below it").select_option(label="Lyon (lyon)")
    page.get_by_label("First reminder, days after opening").fill("7")
    screenshot(page, "campaign-create")
    page.get_by_role("button", name="Create the campaign").click()

    page.wait_for_url("**/hr/campaigns/printemps-2027/")
    assert page.get_by_test_id("campaign-status").inner_text() == "Draft"
    screenshot(page, "campaign-draft")
    page.get_by_role("link", name="Launch").click()
    # The confirmation page says who will be e-mailed, per side, before anything leaves.
    expect(page.get_by_test_id("side-employee")).to_have_text("Employees: 3")
    expect(page.get_by_test_id("side-client")).to_have_text("Clients: 1")
    assert smtp_server == []
    screenshot(page, "campaign-launch-confirm")
    page.get_by_role("button", name="Launch").click()

    assert page.get_by_test_id("campaign-status").inner_text() == "Open"
    assert "4 invitations are on their way" in page.get_by_role("status").inner_text()
    assert sorted(message["To"] for message in smtp_server) == [
        "chef@example.org",
        "client@example.org",
        "lea@example.org",
        "tom@example.org",
    ]
    screenshot(page, "campaign-open")

    page.get_by_role("link", name="Public links and QR codes").click()
    row = page.get_by_test_id("public-link-lyon-reception")
    with page.expect_download() as download:
        row.get_by_role("link", name="PNG").click()
    assert download.value.suggested_filename == "qr-printemps-2027-lyon-reception.png"
    with open(download.value.path(), "rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"
    screenshot(page, "campaign-public-links")
    row.get_by_role("link", name="A4 poster").click()
    assert page.locator("h1").inner_text() == "Réception"
    screenshot(page, "campaign-poster")
    page.go_back()
    page.get_by_role("link", name="Printemps 2027").click()

    answered = page.locator('[data-count="lyon-reception:employee:answered"]')
    assert answered.inner_text() == "0"
    Invitation.objects.filter(email="lea@example.org").update(used=True)  # Léa answers
    page.clock.fast_forward(16_000)  # the counts refresh by themselves every 15 seconds
    expect(answered).to_have_text("1")
    expect(page.locator('[data-count="total:response_rate"]')).to_have_text("25%")
    page.get_by_role("link", name="Send a reminder").click()
    expect(page.get_by_test_id("side-employee")).to_have_text("Employees: 2")
    page.get_by_role("button", name="Send the reminder").click()
    assert "Reminder 1 of 3" in page.get_by_role("status").inner_text()
    reminded = sorted(message["To"] for message in smtp_server[4:])
    assert reminded == ["chef@example.org", "client@example.org", "tom@example.org"]
    assert page.get_by_test_id("reminders-sent").inner_text() == "1 / 3"
    screenshot(page, "campaign-reminded")

    page.get_by_role("link", name="Close now").click()
    page.get_by_role("button", name="Close now").click()
    assert page.get_by_test_id("campaign-status").inner_text() == "Closed"
    assert Campaign.objects.get().status == Campaign.Status.CLOSED
    screenshot(page, "campaign-closed")
    assert [text for text in problems if not text.startswith(missing)] == []
