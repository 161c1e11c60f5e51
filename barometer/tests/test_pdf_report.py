"""The PDF reports: a team's, made in the request, and the organisation's, prepared by a
job; both hold the figures the dashboards show, and nothing the dashboards hide."""

import datetime
import io
import re

import pypdf
import pytest

from audit.models import Action, AuditEntry
from barometer.document import MIRRORED_DIMENSIONS
from barometer.models import Report
from barometer.pdf import report
from barometer.pdf.services import reports_purge
from barometer.services import snapshot_compute
from barometer.tests.factories import add_responses, invite, make_campaign
from conftest import need

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pango")]


@pytest.fixture
def pango():
    """WeasyPrint and the system libraries it needs (Pango, a font) are installed."""
    need(report.missing() is None, report.missing() or "")


SECRET = "Le chef ne dit jamais bonjour"


def answers(likert, recommend, **extra):
    return {code: likert for code in MIRRORED_DIMENSIONS} | {"recommend": recommend} | extra


def run_campaign(org, slug, *, closes_on, comments=3):
    campaign = make_campaign(
        slug,
        teams=[org["site"], org["team"], org["sibling"]],
        closes_on=closes_on,
        status="closed",
        comments=comments,
    )
    invite(campaign, org["team"], "employee", 5)
    add_responses(
        campaign, org["team"], "employee", 4, **answers(4, 9, perceived_other=4, comment="Super")
    )
    add_responses(campaign, org["team"], "client", 4, **answers(5, 10, perceived_other=2))
    add_responses(campaign, org["sibling"], "employee", 3, **answers(2, 8))
    # Two clients of the kitchen: fewer than k = 3, hidden (with their comment).
    add_responses(campaign, org["sibling"], "client", 2, **answers(1, 0, comment=SECRET))
    snapshot_compute(campaign=campaign)
    return campaign


@pytest.fixture
def campaign(org):
    run_campaign(org, "2026-q2", closes_on=datetime.date(2026, 6, 15))
    return run_campaign(org, "2026-q4", closes_on=datetime.date(2026, 12, 15))


def text_of(pdf):
    """The PDF's text, its spaces (no-break ones included) made plain."""
    assert pdf[:5] == b"%PDF-"
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[ \u00a0\u202f]+", " ", text), reader


def flat(text):
    """The text on one line: a sentence the page wraps reads whole."""
    return " ".join(text.split())


def plain(text):
    return re.sub(r"[ \u00a0\u202f]+", " ", str(text))


def team_pdf_url(campaign, code="lyon-reception"):
    return f"/dashboards/{campaign.slug}/teams/{code}/report.pdf"


def test_manager_gets_their_team_report_with_the_figures_of_the_dashboard(
    client, manager, campaign
):
    client.force_login(manager)
    page = client.get(f"/dashboards/{campaign.slug}/teams/lyon-reception/")
    assert 'data-testid="pdf-link"' in page.content.decode()
    response = client.get(team_pdf_url(campaign))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "symetrie-2026-q4-lyon-reception.pdf" in response["Content-Disposition"]
    text, reader = text_of(response.content)
    # A4 portrait, numbered pages, the campaign and its thresholds printed.
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)
    assert f"Page 1 / {len(reader.pages)}" in text
    assert "2026-Q4" in text and "chiffres masqués en dessous de 3 répondants" in flat(text)
    for card in page.context["cards"]:
        assert plain(card["score"]) in text
        assert plain(f"{card['low']} à {card['high']}") in text
    lines = text.splitlines()
    for row in page.context["mirror_rows"]:
        cells = " ".join(
            plain(row[key]) for key in ("employee", "employee_n", "client", "client_n", "gap")
        )
        assert any(line.endswith(cells) for line in lines), (row["name"], cells)
    assert "Super" in text  # four employees' comments, at a comment threshold of 3
    entry = AuditEntry.objects.get(action=Action.TEAM_EXPORT)
    assert (entry.outcome, entry.format, entry.team, entry.campaign) == (
        "allowed",
        "pdf",
        "lyon-reception",
        campaign.slug,
    )


def test_team_report_in_english(english, manager, campaign):
    english.force_login(manager)
    text, _ = text_of(english.get(team_pdf_url(campaign)).content)
    assert "Both sides, dimension by dimension" in text
    assert "How to read this report" in text and "Page 1 / " in text


def test_team_report_prints_no_hidden_figure(client, hr_user, campaign):
    client.force_login(hr_user)
    text, _ = text_of(client.get(team_pdf_url(campaign, "lyon-kitchen")).content)
    assert "Masqué pour protéger l’anonymat : moins de 3 répondants" in flat(text)
    assert SECRET not in text
    # Every dimension of the hidden clients reads "masqué", in the table as in the chart.
    # (The change table's rows name the dimensions too: the hidden side's change is "—".)
    for line in text.splitlines():
        if line.startswith(("Autonomie et initiative ", "Valeurs ")):
            assert line.endswith(("0 % 3 masqué masqué —", "dans le bruit —")), line


@pytest.fixture
def few_comments(org):
    return run_campaign(org, "2026-q4", closes_on=datetime.date(2026, 12, 15), comments=5)


def test_no_comment_of_a_group_below_the_comment_threshold(client, manager, few_comments):
    client.force_login(manager)
    text, _ = text_of(client.get(team_pdf_url(few_comments)).content)
    assert "Super" not in text
    assert "au moins 5 répondants" in flat(text)


def test_manager_is_refused_a_siblings_report(client, manager, campaign):
    client.force_login(manager)
    response = client.get(team_pdf_url(campaign, "lyon-kitchen"))
    assert response.status_code == 403
    entry = AuditEntry.objects.get(action=Action.TEAM_EXPORT)
    assert (entry.outcome, entry.team, entry.format) == ("refused", "lyon-kitchen", "pdf")


def test_strangers_and_anonymous_users_get_no_report(client, stranger, campaign):
    response = client.get(team_pdf_url(campaign))
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(stranger)
    assert client.get(team_pdf_url(campaign)).status_code == 404
    assert client.get(f"/dashboards/{campaign.slug}/report/").status_code == 404
    assert client.get(team_pdf_url(campaign, "nowhere")).status_code == 404


@pytest.fixture
def org_report(client, django_capture_on_commit_callbacks):
    """Ask for the organisation report and return its page: the job is queued once the
    request commits, and runs in-process (no broker in the tests)."""

    def ask(campaign):
        page = client.get(f"/dashboards/{campaign.slug}/report/")
        assert page.status_code == 200 and page.context["report"] is None
        with django_capture_on_commit_callbacks(execute=True):
            asked = client.post(f"/dashboards/{campaign.slug}/report/")
        assert asked.status_code == 302
        return client.get(f"/dashboards/{campaign.slug}/report/")

    return ask


def test_hr_prepares_the_organisation_report_and_downloads_it(
    client, hr_user, campaign, org_report
):
    client.force_login(hr_user)
    overview = client.get(f"/dashboards/{campaign.slug}/")
    page = org_report(campaign)
    found = page.context["report"]
    assert found.status == Report.Status.READY
    link = f"/dashboards/{campaign.slug}/report/{found.pk}.pdf"
    assert link in page.content.decode()
    assert AuditEntry.objects.filter(action=Action.OVERVIEW_EXPORT).count() == 0
    response = client.get(link)
    assert response.status_code == 200
    text, _ = text_of(response.content)
    for card in overview.context["cards"]:
        assert plain(card["score"]) in text
    lines = text.splitlines()
    for row in overview.context["team_rows"]:
        cells = " ".join(
            plain(row[key])
            for key in ("name", "nps_text", "enps_text", "index_text", "employees_text")
        )
        assert any(line.startswith(cells) for line in lines), cells
    assert any(line.startswith("Cuisine masqué 0 — 3 masqué") for line in lines)
    assert SECRET not in text
    entry = AuditEntry.objects.get(action=Action.OVERVIEW_EXPORT)
    assert (entry.outcome, entry.format, entry.campaign) == ("allowed", "pdf", campaign.slug)
    # Asking again gives the same report: nothing is drawn twice.
    client.post(f"/dashboards/{campaign.slug}/report/")
    assert Report.objects.count() == 1


def test_a_managers_organisation_report_holds_their_teams_only(
    client, hr_user, manager, campaign, org_report
):
    client.force_login(hr_user)
    hr_report = org_report(campaign).context["report"]
    client.force_login(manager)
    found = org_report(campaign).context["report"]
    assert found.pk != hr_report.pk
    text, _ = text_of(client.get(f"/dashboards/{campaign.slug}/report/{found.pk}.pdf").content)
    assert "Réception" in text and "Cuisine" not in text
    assert client.get(f"/dashboards/{campaign.slug}/report/{hr_report.pk}.pdf").status_code == 404


def test_a_new_release_makes_the_prepared_report_stale(client, hr_user, campaign, org_report):
    client.force_login(hr_user)
    found = org_report(campaign).context["report"]
    snapshot = campaign.snapshot
    snapshot.computed_at += datetime.timedelta(minutes=5)
    snapshot.save(update_fields=["computed_at"])
    assert client.get(f"/dashboards/{campaign.slug}/report/").context["report"] is None
    assert client.get(f"/dashboards/{campaign.slug}/report/{found.pk}.pdf").status_code == 404


def test_reports_are_kept_for_a_day(client, hr_user, campaign, org_report):
    client.force_login(hr_user)
    found = org_report(campaign).context["report"]
    assert reports_purge(now=found.requested_at + datetime.timedelta(hours=23)) == 0
    assert reports_purge(now=found.requested_at + datetime.timedelta(hours=25)) == 1


def test_without_pango_the_pdf_link_says_what_to_install(client, manager, campaign, monkeypatch):
    # The system library is what is missing: the check that looks for it answers so.
    monkeypatch.setattr(report, "_missing_part", lambda: "pango")
    client.force_login(manager)
    page = client.get(f"/dashboards/{campaign.slug}/teams/lyon-reception/").content.decode()
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in page
    assert 'data-testid="pdf-link"' not in page
    response = client.get(team_pdf_url(campaign))
    assert response.status_code == 503
    assert "apt-get install" in response.content.decode()
