"""The HR journey of a campaign one can trust, in a real Chromium, in French: French
column names in an Excel workbook, the pre-launch warnings, the launch through its
confirmation, a test e-mail read back from the SMTP server, a later close date, a
reminder carrying the invitation's own working link, close, reopen, close."""

import datetime

import pandas as pd
import pytest
from django.utils import timezone

from conftest import screenshot, wait_for
from surveys.models import Campaign, Person, Response
from surveys.questionnaires import questionnaire_install_builtin
from surveys.tests.campaign_helpers import TOKEN_IN_LINK
from surveys.tests.test_hr_path_browser import import_file

# A browser test: in the PostgreSQL pass only, to keep `make test` short.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def step(page, action, button):
    """Follow a campaign step's link to its confirmation page, then confirm."""
    page.locator(f'main a[href$="/{action}/"]').first.click()
    page.get_by_test_id("consequences").wait_for()
    page.get_by_role("button", name=button).click()


def links_to(messages, address):
    return [
        TOKEN_IN_LINK.search(m.get_body(("plain",)).get_content()).group(1)
        for m in messages
        if m["To"] == address
    ]


def test_hr_runs_a_campaign_through_every_confirmation(page, hr_user, smtp_server, tmp_path):
    questionnaire_install_builtin()  # transactional tests flush what migrations installed
    page.goto(page.base_url + "/login/")
    page.get_by_label("Nom d’utilisateur").fill(hr_user.username)
    page.get_by_label("Mot de passe").fill("correct-horse-battery")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base_url + "/")

    # Teams and people from workbooks with the French column names.
    teams = tmp_path / "équipes.xlsx"
    pd.DataFrame(
        {
            "code": ["nantes", "nantes-accueil", "nantes-bar"],
            "nom": ["Nantes", "Accueil", "Bar"],
            "parent": ["", "nantes", "nantes"],
        }
    ).to_excel(teams, index=False)
    import_file(page, "/hr/teams/import/", teams, 3)
    page.wait_for_url(page.base_url + "/hr/teams/")
    people = tmp_path / "personnes.xlsx"
    staff = [(f"salarie{n}@example.org", "salarié", "nantes-accueil") for n in range(5)]
    staff += [
        ("lea@example.org", "salarié", "nantes-bar"),
        ("max@example.org", "salarié", "nantes-bar"),
    ]
    pd.DataFrame(
        {
            "courriel": [row[0] for row in staff],
            "côté": [row[1] for row in staff],
            "équipe": [row[2] for row in staff],
            "nom": ["" for _ in staff],
            "langue": ["fr" for _ in staff],
        }
    ).to_excel(people, index=False)
    import_file(page, "/hr/people/import/", people, len(staff))
    wait_for(lambda: Person.objects.count() == len(staff), what="the people import")

    # A campaign on the Nantes site: the draft's page warns that the bar's two
    # employees can never show figures.
    page.goto(page.base_url + "/hr/campaigns/new/")
    page.locator("#id_name").fill("Baromètre printemps")
    page.get_by_label("Une équipe et toutes les équipes qui en dépendent").select_option(
        label="Nantes (nantes)"
    )
    page.get_by_role("button", name="Créer la campagne").click()
    page.wait_for_url("**/hr/campaigns/barometre-printemps/")
    warnings = page.get_by_test_id("prelaunch").locator("li")
    assert any("Bar" in text for text in warnings.all_inner_texts())
    screenshot(page, "journey-prelaunch")

    # The launch's confirmation repeats the warnings and says who is e-mailed.
    page.locator('main a[href$="/launch/"]').first.click()
    assert page.get_by_test_id("side-employee").inner_text().endswith("7")
    assert page.get_by_test_id("prelaunch").locator("li").count() == warnings.count()
    page.get_by_role("button", name="Lancer").click()
    assert page.get_by_test_id("campaign-status").inner_text() == "Ouverte"
    [invited] = links_to(smtp_server, "lea@example.org")

    # A test e-mail of the invitation and the reminder, in both languages, to Hélène.
    before = len(smtp_server)
    page.locator('main a[href$="/test-email/"]').first.click()
    page.get_by_role("button", name="Envoyer les e-mails d’essai").click()
    tests = [m for m in smtp_server[before:] if m["To"] == hr_user.email]
    assert len(tests) == 4
    assert {m["Content-Language"] for m in tests} == {"fr", "en"}

    # The close date moves a week later.
    campaign = Campaign.objects.get()
    later = campaign.closes_on + datetime.timedelta(days=7)
    page.locator('main a[href$="/edit/"]').first.click()
    page.locator("#id_closes_on").fill(later.isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/hr/campaigns/barometre-printemps/")
    assert Campaign.objects.get().closes_on == later

    # A reminder carries Léa's own link, which still works.
    before = len(smtp_server)
    step(page, "remind", "Envoyer la relance")
    assert links_to(smtp_server[before:], "lea@example.org") == [invited]
    answering = page.context.new_page()
    answering.goto(f"{page.base_url}/r/{invited}/")
    for fieldset in answering.locator("fieldset.question").all():
        if fieldset.locator("textarea").count() == 0:
            fieldset.locator("label").nth(3).click()
    answering.get_by_role("button", name="Envoyer mes réponses").click()
    answering.wait_for_url("**/thanks/**")
    answering.close()
    assert Response.objects.count() == 1

    # Close, reopen for a few more days, close again.
    step(page, "close", "Clôturer maintenant")
    assert page.get_by_test_id("campaign-status").inner_text() == "Clôturée"
    page.locator('main a[href$="/reopen/"]').first.click()
    page.locator("#id_closes_on").fill(
        (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    )
    page.get_by_role("button", name="Rouvrir").click()
    assert page.get_by_test_id("campaign-status").inner_text() == "Ouverte"
    step(page, "close", "Clôturer maintenant")
    assert page.get_by_test_id("campaign-status").inner_text() == "Clôturée"
    assert Campaign.objects.get().status == Campaign.Status.CLOSED
    screenshot(page, "journey-closed-again")
