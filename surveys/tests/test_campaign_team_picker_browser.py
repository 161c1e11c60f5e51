"""In a real Chromium, keyboard only: HR finds a branch of the tree with the picker's
search, takes it with every team below it, and creates the campaign."""

import pytest

from conftest import make_team, screenshot
from surveys.models import Campaign
from surveys.tests.campaign_helpers import builtin_questionnaire
from surveys.tests.test_campaign_browser import sign_in

# A browser test: in the PostgreSQL pass only, to keep `make test` short.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def tab_to(page, selector, *, limit=40):
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def test_hr_picks_a_branch_with_the_keyboard_only(page, hr_user, org):
    builtin_questionnaire()  # flushed by transactional tests: install it again
    paris = make_team("paris", name="Paris")
    make_team("paris-reception", parent=paris, name="Réception")
    make_team("paris-bar", parent=paris, name="Bar")
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    sign_in(page, hr_user)
    page.goto(page.base_url + "/hr/campaigns/new/")

    page.locator("#id_name").focus()
    page.keyboard.type("Automne Paris")
    tab_to(page, "#id_teams")
    page.keyboard.type("paris")
    rows = page.locator("[data-team-picker-row]")
    assert rows.filter(has_text="Lyon").count() > 0
    for index in range(rows.count()):
        row = rows.nth(index)
        assert row.is_visible() == ("Paris" in row.inner_text())
    page.keyboard.press("Enter")  # filters; does not submit the campaign
    assert page.url.endswith("/hr/campaigns/new/")
    tab_to(page, f'input[name="teams_below"][value="{paris.pk}"]')
    page.keyboard.press("Space")
    screenshot(page, "campaign-team-picker")
    tab_to(page, 'input[type="submit"], button[type="submit"]:not([hidden])')
    assert page.evaluate("document.activeElement.value || document.activeElement.textContent")
    page.keyboard.press("Enter")

    page.wait_for_url("**/hr/campaigns/automne-paris/")
    campaign = Campaign.objects.get(slug="automne-paris")
    assert sorted(campaign.teams.values_list("code", flat=True)) == [
        "paris",
        "paris-bar",
        "paris-reception",
    ]
    assert problems == []
