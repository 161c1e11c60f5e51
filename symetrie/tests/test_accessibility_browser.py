"""In a real Chromium, axe-core (the engine shipped in axe-playwright-python, no
download) over one page of every family: the respondents' pages, the HR screens, the
dashboards, the error pages and the login. No violation rated serious or critical.

One browser context, one page of each family: about 40 s, so once, in the PostgreSQL
pass of make test.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from barometer.tests.factories import make_campaign
from surveys.tests.respond_helpers import personal_link
from symetrie.tests.test_browser import CHARTS_DRAWN, QUESTIONNAIRE_SHOWN, sign_in, site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]
__all__ = ["site"]  # the fixture of the Content-Security-Policy test, shared

BLOCKING = {"serious", "critical"}


class Audit:
    """Runs axe on each page the browser shows; keeps the blocking violations found."""

    def __init__(self, page):
        self.page = page
        self.axe = Axe()
        self.found = []

    def visit(self, path, status=200, ready=None):
        response = self.page.goto(self.page.base_url + path)
        assert response.status == status, path
        self.check(path, ready)

    def check(self, where, ready=None):
        """Run axe on the page as it is now; `ready` is a JS condition to wait for first."""
        # After the load event (goto waits for it) the deferred scripts have run.
        if ready:
            self.page.wait_for_function(ready)
        for violation in self.axe.run(self.page).response["violations"]:
            if violation["impact"] in BLOCKING:
                targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"])
                self.found.append(
                    f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}"
                    f" — {targets}"
                )


def test_no_page_has_a_serious_or_critical_accessibility_violation(page, site, org, hr_user):
    audit = Audit(page)
    results, opened = site["results"], site["open"]
    closed = make_campaign("2025-q4", teams=[org["team"]], status="closed")
    _, closed_token = personal_link(closed, org["team"], email="noe@example.org")
    used, used_token = personal_link(opened, org["team"], email="ines@example.org")
    used.used = True
    used.save(update_fields=["used"])

    # Anybody: the login, the error pages, and the respondents' pages (the form sent back
    # with its errors too) on a phone-sized window, as most respondents see them.
    audit.visit("/login/")
    audit.visit("/no-such-page/", status=404)
    page.set_viewport_size({"width": 390, "height": 844})
    audit.visit(f"/r/{site['token']}/", ready=QUESTIONNAIRE_SHOWN)
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.locator("#form-errors").wait_for()
    audit.check("the personal questionnaire sent back with its errors")
    audit.visit(f"/q/{site['public']}/", ready=QUESTIONNAIRE_SHOWN)
    audit.visit("/thanks/")
    audit.visit("/privacy/")
    audit.visit(f"/r/{used_token}/")
    audit.visit(f"/r/{closed_token}/", status=410)
    audit.visit("/r/Zx8d9Kq2mN4pL7vR1sT6uW3yA5bC0eF9gH2jK4mN6pQ/", status=404)

    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, hr_user)
    for path in (
        "/",
        "/hr/campaigns/",
        "/hr/campaigns/new/",
        f"/hr/campaigns/{opened.slug}/",
        "/hr/teams/",
        "/hr/teams/import/",
        "/hr/people/",
        "/hr/people/import/",
        "/hr/questionnaires/",
    ):
        audit.visit(path)
    audit.visit(f"/dashboards/{results.slug}/", ready=CHARTS_DRAWN)
    audit.visit(f"/dashboards/{results.slug}/teams/{org['team'].code}/", ready=CHARTS_DRAWN)

    # Marc, on the dashboard of a team he does not manage: the 403 page.
    sign_in(page, org["manager"])
    audit.visit(f"/dashboards/{results.slug}/teams/{org['sibling'].code}/", status=403)

    assert audit.found == [], "axe found:\n" + "\n".join(audit.found)
