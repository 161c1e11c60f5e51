"""In a real Chromium: a manager reads their team's dashboard, HR the overview; the
charts are drawn, their tables match the snapshot, and the CSP stays silent."""

import datetime
import random

import pytest
from django.test import Client

from barometer.document import MIRRORED_DIMENSIONS
from barometer.models import Snapshot
from barometer.services import snapshot_compute
from barometer.tests.factories import add_response, invite, make_campaign
from conftest import make_team, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user, language="en"):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url},
            {"name": "django_language", "value": language, "url": page.base_url},
        ]
    )


def watch(page):
    """Console errors and CSP violations of the page, as a list that fills itself."""
    # Chromium logs a refused inline style as a console error; the event makes sure.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) =>"
        " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def real_problems(problems):
    # The browser's own favicon request is no page's resource.
    return [text for text in problems if not text.startswith("Failed to load resource")]


COMMENTS = ("Merci pour l’accueil", "Plus de temps pour échanger", "Très bonne équipe")


def answer(campaign, team, side, mood, rng, count):
    """`count` responses whose answers lean on `mood` (0 = unhappy … 1 = happy)."""
    for number in range(count):
        scores = {
            code: max(1, min(5, round(1 + 4 * mood + rng.uniform(-1.2, 1.2))))
            for code in (*MIRRORED_DIMENSIONS, "perceived_other")
        }
        recommend = max(0, min(10, round(10 * mood + rng.uniform(-2, 1.5))))
        comment = {"comment": COMMENTS[number % 3]} if number < 3 else {}
        add_response(campaign, team, side, recommend=recommend, **scores, **comment)


def organisation(org):
    """The conftest's Lyon plus a Paris site with five teams, two campaigns."""
    paris = make_team("paris", name="Paris")
    teams = [org["team"], org["sibling"]]
    teams += [
        make_team(f"paris-{n}", parent=paris, name=name)
        for n, name in enumerate(("Accueil", "Bar", "Étages", "Spa", "Room service"))
    ]
    shop = make_team("paris-shop", parent=paris, name="Boutique")  # nobody answers: no data
    rng = random.Random(7)
    campaigns = []
    for slug, closes_on in (("2026-q2", datetime.date(2026, 6, 15)), ("2026-q4", None)):
        campaign = make_campaign(slug, teams=[*teams, shop], closes_on=closes_on, status="closed")
        for position, team in enumerate(teams):
            mood = 0.6 + 0.05 * position
            invite(campaign, team, "employee", 8)
            answer(campaign, team, "employee", mood, rng, 6)
            # The spa's clients are too few: hidden to protect anonymity (and, so that
            # nobody can work them out by subtraction, a sibling's clients too).
            clients = 2 if team.code == "paris-3" else 5
            answer(campaign, team, "client", mood + rng.uniform(-0.1, 0.1), rng, clients)
        snapshot_compute(campaign=campaign)
        campaigns.append(campaign)
    return campaigns


def test_manager_reads_their_team_and_is_refused_a_sibling(page, org):
    campaign = organisation(org)[-1]
    problems = watch(page)
    sign_in(page, org["manager"])

    page.goto(page.base_url + "/dashboards/teams/lyon-reception/")
    page.wait_for_url(f"**/dashboards/{campaign.slug}/teams/lyon-reception/")
    for name in ("nps", "mirror", "perception", "trend"):
        chart = page.get_by_test_id(f"chart-{name}")
        chart.locator(".main-svg").first.wait_for()
    assert page.locator("[data-chart][data-drawn=true]").count() == 4
    screenshot(page, "dashboard-team")

    document = Snapshot.objects.latest_for(campaign).document
    team = next(t for t in document["teams"] if t["code"] == "lyon-reception")
    page.get_by_test_id("table-mirror").locator("xpath=ancestor::details").locator(
        "summary"
    ).click()
    for code in MIRRORED_DIMENSIONS:
        cells = page.locator(f'[data-testid=table-mirror] tr[data-code="{code}"] td')
        employee = team["employee"]["dimensions"][code]["favourable"]
        client = team["client"]["dimensions"][code]["favourable"]
        assert cells.nth(0).inner_text() == f"{round(employee * 100)}%"
        assert cells.nth(2).inner_text() == f"{round(client * 100)}%"
    assert "Très bonne équipe" in page.get_by_test_id("comments-employee").inner_text()
    score = page.get_by_test_id("score-employee").inner_text()
    assert score.replace("−", "-").lstrip("+") == f"{team['employee']['nps']:.0f}"

    mirror = page.get_by_test_id("chart-mirror")
    mirror.hover()
    with page.expect_download() as download:
        mirror.get_by_role("button", name="Download the chart as a PNG image").click()
    assert (
        download.value.suggested_filename == f"symetrie-{campaign.slug}-lyon-reception-mirror.png"
    )
    with open(download.value.path(), "rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"

    response = page.goto(page.base_url + f"/dashboards/{campaign.slug}/teams/lyon-kitchen/")
    assert response.status == 403
    assert real_problems(problems) == []


def test_hr_reads_the_overview_and_the_heatmap(page, hr_user, org):
    campaign = organisation(org)[-1]
    document = Snapshot.objects.latest_for(campaign).document
    problems = watch(page)
    sign_in(page, hr_user)

    page.goto(page.base_url + "/dashboards/")
    page.wait_for_url(f"**/dashboards/{campaign.slug}/")
    page.get_by_test_id("chart-scatter").locator(".main-svg").first.wait_for()
    heatmap = page.get_by_test_id("chart-heatmap")
    heatmap.locator(".main-svg").first.wait_for()
    assert heatmap.locator(".hm image").count() >= 1
    assert "hidden" in heatmap.inner_text() and "no data" in heatmap.inner_text()
    heatmap.scroll_into_view_if_needed()
    box = heatmap.locator(".nsewdrag").first.bounding_box()
    for step in range(1, 10):  # hover across the cells: the labels must not need a style
        page.mouse.move(box["x"] + box["width"] * step / 10, box["y"] + box["height"] * step / 10)
    assert heatmap.locator(".hoverlayer .hovertext").count() == 1
    assert " · " in heatmap.locator(".hoverlayer .hovertext").text_content()  # team · dimension
    screenshot(page, "dashboard-overview")

    page.get_by_role("link", name="Client NPS").click()
    page.wait_for_url("**sort=nps**")
    names = page.get_by_test_id("teams-table").locator("tbody th").all_inner_texts()
    published = [t for t in document["teams"] if t["client"].get("nps") is not None]
    assert names[0] == max(published, key=lambda t: t["client"]["nps"])["name"]

    page.get_by_role("link", name="Spa").first.click()
    page.get_by_test_id("chart-mirror").locator(".main-svg").first.wait_for()
    assert "Hidden to protect anonymity" in page.get_by_test_id("card-client").inner_text()
    screenshot(page, "dashboard-team-hidden-side")
    assert real_problems(problems) == []


def test_dashboards_in_french(page, org):
    organisation(org)
    problems = watch(page)
    sign_in(page, org["site_manager"], language="fr")
    page.goto(page.base_url + "/dashboards/teams/lyon/")
    page.get_by_test_id("chart-mirror").locator(".main-svg").first.wait_for()
    assert "Écoute et feedback" in page.get_by_test_id("chart-mirror").inner_text()
    screenshot(page, "dashboard-team-fr")
    assert real_problems(problems) == []


def test_the_change_since_the_previous_campaign_is_drawn(page, hr_user, org):
    campaign = organisation(org)[-1]
    problems = watch(page)
    sign_in(page, hr_user)

    page.goto(page.base_url + f"/dashboards/{campaign.slug}/")
    page.get_by_test_id("heatmap-views").get_by_role("link", name="Change").click()
    page.wait_for_url("**view=change**")
    heatmap = page.get_by_test_id("chart-heatmap")
    heatmap.locator(".main-svg").first.wait_for()
    assert "Gap moved towards the clients" in heatmap.inner_text()
    screenshot(page, "dashboard-overview-change")

    page.goto(page.base_url + f"/dashboards/{campaign.slug}/teams/lyon-reception/")
    mirror = page.get_by_test_id("chart-mirror")
    mirror.locator(".main-svg").first.wait_for()
    assert "▲" in mirror.inner_text() or "▼" in mirror.inner_text()
    assert "Since the previous campaign" in page.get_by_test_id("card-employee").inner_text()
    screenshot(page, "dashboard-team-change")
    assert real_problems(problems) == []
