"""The whole HR path in a real Chromium, in French, from an empty install: two
spreadsheet files, a campaign from the built-in template, invitations delivered by
SMTP, a QR code, a reminder, the close — and an employee answering in between."""

import pandas as pd
import pytest

from conftest import screenshot, wait_for
from surveys.models import Campaign, Invitation, Person, Response, Team
from surveys.questionnaires import questionnaire_install_builtin
from surveys.tests.campaign_helpers import TOKEN_IN_LINK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def import_file(page, url, path, rows):
    page.goto(page.base_url + url)
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(str(path))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.get_by_test_id("import-preview").wait_for()
    page.get_by_role("button", name=f"Importer {rows} lignes").click()


def test_hr_goes_from_an_empty_install_to_a_closed_campaign(page, hr_user, smtp_server, tmp_path):
    questionnaire_install_builtin()  # transactional tests flush what migrations installed
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.goto(page.base_url + "/login/")
    page.get_by_label("Nom d’utilisateur").fill(hr_user.username)
    page.get_by_label("Mot de passe").fill("correct-horse-battery")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base_url + "/")

    # 1. The team tree, from an Excel workbook.
    teams = tmp_path / "equipes.xlsx"
    pd.DataFrame(
        {
            "code": ["nantes", "nantes-accueil", "nantes-bar"],
            "name": ["Nantes", "Accueil", "Bar"],
            "parent": ["", "nantes", "nantes"],
            "managers": ["", "ines@example.org", ""],
        }
    ).to_excel(teams, index=False)
    import_file(page, "/hr/teams/import/", teams, 3)
    page.wait_for_url(page.base_url + "/hr/teams/")
    assert Team.objects.count() == 3
    wait_for(lambda: smtp_server, what="the new manager's e-mail")

    # 2. People, from a semicolon CSV with a BOM, as French spreadsheets write it.
    people = tmp_path / "personnes.csv"
    people.write_bytes(
        "email;side;team;name;language\n"
        "lea@example.org;salarié;nantes-accueil;Léa;fr\n"
        "tom@example.org;employee;nantes-accueil;Tom;en\n"
        "max@example.org;salarié;nantes-bar;Max;fr\n"
        "client@example.org;client;nantes-accueil;;fr\n".encode("utf-8-sig")
    )
    import_file(page, "/hr/people/import/", people, 4)
    wait_for(lambda: Person.objects.count() == 4, what="the people import")
    screenshot(page, "hr-path-people")

    # 3. A campaign from the built-in template on the whole Nantes site, launched.
    page.goto(page.base_url + "/hr/campaigns/new/")
    page.locator("#id_name").fill("Baromètre hiver")
    page.get_by_label("Une équipe et toutes les équipes qui en dépendent").select_option(
        label="Nantes (nantes)"
    )
    page.get_by_role("button", name="Créer la campagne").click()
    page.wait_for_url("**/hr/campaigns/barometre-hiver/")
    page.get_by_role("link", name="Lancer").click()
    page.get_by_role("button", name="Lancer").click()
    assert page.get_by_test_id("campaign-status").inner_text() == "Ouverte"
    invitations = [m for m in smtp_server if m["To"] != "ines@example.org"]
    assert sorted(m["To"] for m in invitations) == [
        "client@example.org",
        "lea@example.org",
        "max@example.org",
        "tom@example.org",
    ]
    screenshot(page, "hr-path-launched")

    # Léa answers from the link in her e-mail (the only place her token exists).
    mail = next(m for m in invitations if m["To"] == "lea@example.org")
    token = TOKEN_IN_LINK.search(mail.get_body(("plain",)).get_content()).group(1)
    answering = page.context.new_page()
    answering.goto(f"{page.base_url}/r/{token}/")
    for fieldset in answering.locator("fieldset.question").all():
        if fieldset.locator("textarea").count() == 0:
            fieldset.locator("label").nth(3).click()
    answering.get_by_role("button", name="Envoyer mes réponses").click()
    answering.wait_for_url("**/thanks/**")
    answering.close()
    assert Response.objects.count() == 1
    assert Invitation.objects.get(email="lea@example.org").used

    # 4. The QR code of a team's public link.
    page.get_by_role("link", name="Liens publics et QR codes").click()
    with page.expect_download() as download:
        page.get_by_test_id("public-link-nantes-accueil").get_by_role("link", name="PNG").click()
    with open(download.value.path(), "rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"
    page.go_back()

    # 5. A reminder goes to those who have not answered only; then the close.
    sent = len(smtp_server)
    page.get_by_role("link", name="Envoyer une relance").click()
    page.get_by_role("button", name="Envoyer la relance").click()
    reminded = sorted(m["To"] for m in smtp_server[sent:])
    assert reminded == ["client@example.org", "max@example.org", "tom@example.org"]
    page.get_by_role("link", name="Clôturer maintenant").click()
    page.get_by_role("button", name="Clôturer maintenant").click()
    assert page.get_by_test_id("campaign-status").inner_text() == "Clôturée"
    assert Campaign.objects.get().status == "closed"
    screenshot(page, "hr-path-closed")
    assert [p for p in problems if not p.startswith("Failed to load resource")] == []
