"""Change since the previous campaign: the z tests, and two real campaigns compared."""

import datetime
import io
import math

import pandas as pd
import pytest
from scipy import stats

from barometer import change, exports
from barometer.models import Snapshot
from barometer.pdf import report as pdf_report
from barometer.services import snapshot_compute
from barometer.tests.factories import add_response, make_campaign
from barometer.tests.test_pdf_report import flat, text_of
from conftest import make_team, need


def chi_square_z(favourable_1, n_1, favourable_2, n_2):
    """|z| of the pooled two-proportion test, independently: the Pearson chi-square of
    the 2 × 2 table without continuity correction is z²."""
    table = [[favourable_1, n_1 - favourable_1], [favourable_2, n_2 - favourable_2]]
    return math.sqrt(stats.chi2_contingency(table, correction=False).statistic)


def adjusted_wald_se(promoters, detractors, n):
    """DESIGN.md's adjusted Wald, written out again: n' = n + 3, p' and d' with 0.75."""
    p = (promoters + 0.75) / (n + 3)
    d = (detractors + 0.75) / (n + 3)
    return 100 * math.sqrt((p + d - (p - d) ** 2) / (n + 3))


@pytest.mark.parametrize(
    ("before", "after"),
    [((2, 4), (6, 6)), ((30, 100), (45, 100)), ((7, 20), (3, 25)), ((1, 5), (1, 5))],
)
def test_the_proportion_z_equals_the_chi_square_of_the_table(before, after):
    (f1, n1), (f2, n2) = before, after
    z = change.proportion_z(f1 / n1, n1, f2 / n2, n2)
    assert abs(z) == pytest.approx(chi_square_z(f1, n1, f2, n2))
    assert math.copysign(1, z) == math.copysign(1, f2 / n2 - f1 / n1) or z == 0


def test_equal_unanimous_shares_are_no_change():
    assert change.proportion_z(1.0, 5, 1.0, 8) == 0.0


def test_the_nps_z_uses_adjusted_wald_standard_errors():
    before = {"nps": 50.0, "promoters": 3, "passives": 0, "detractors": 1}
    after = {"nps": 100.0, "promoters": 6, "passives": 0, "detractors": 0}
    expected = 50.0 / math.sqrt(adjusted_wald_se(3, 1, 4) ** 2 + adjusted_wald_se(6, 0, 6) ** 2)
    assert change.nps_z(before, after) == pytest.approx(expected)


def side(nps=None, counts=(0, 0, 0), dimensions=None, status="ok"):
    promoters, passives, detractors = counts
    return {
        "status": status,
        "nps": nps,
        "promoters": promoters,
        "passives": passives,
        "detractors": detractors,
        "dimensions": dimensions or {},
    }


def test_a_change_needs_both_figures_published():
    before = side(20.0, (4, 3, 3), {"trust": {"favourable": 0.5, "n": 10}, "values": None})
    after = side(
        None,
        dimensions={
            "trust": {"favourable": 0.9, "n": 10},
            "values": {"favourable": 0.7, "n": 9},
            "listening": {"favourable": None, "n": None},
        },
    )
    found = change.side_change(before, after)
    assert found["nps"] is None
    assert list(found["dimensions"]) == ["trust"]
    trust = found["dimensions"]["trust"]
    assert trust["points"] == pytest.approx(40.0)
    assert trust["significant"] == (chi_square_z(5, 10, 9, 10) >= 1.96)
    hidden = {"status": "suppressed", "invited": 4}
    assert change.side_change(hidden, after) == {"nps": None, "dimensions": {}}
    assert change.side_change(before, hidden) == {"nps": None, "dimensions": {}}


# --- two campaigns with known answers -------------------------------------------


def respond(campaign, team, side, recommend, listening):
    for nps, likert in zip(recommend, listening, strict=True):
        add_response(campaign, team, side, recommend=nps, listening=likert)


def closed_campaign(slug, closes_on, teams):
    return make_campaign(
        slug, teams=teams, closes_on=closes_on, status="closed", k=3, comments=3, live=False
    )


@pytest.fixture
def two_campaigns(org):
    """June: reception's employees 4 (published), the kitchen's 2 (hidden); December:
    both published. Paris answered in June only, and again in the year after."""
    reception, kitchen = org["team"], org["sibling"]
    paris = make_team("paris", name="Paris")
    june = closed_campaign("2026-06", datetime.date(2026, 6, 15), [reception, kitchen, paris])
    respond(june, reception, "employee", [10, 10, 9, 5], [5, 4, 2, 1])
    respond(june, kitchen, "employee", [10, 10], [5, 5])
    respond(june, paris, "client", [10, 9, 9, 2, 1], [5, 5, 5, 4, 1])
    snapshot_compute(campaign=june)
    december = closed_campaign("2026-12", datetime.date(2026, 12, 15), [reception, kitchen])
    respond(december, reception, "employee", [10] * 6, [5] * 6)
    respond(december, kitchen, "employee", [2, 3, 9, 9, 10], [1, 2, 4, 4, 5])
    snapshot_compute(campaign=december)
    later = closed_campaign("2027-06", datetime.date(2027, 6, 15), [paris])
    respond(later, paris, "client", [1, 2, 3, 4, 5, 6], [1, 1, 2, 2, 5, 5])
    snapshot_compute(campaign=later)
    return june, december, later


def document(campaign):
    return Snapshot.objects.get(campaign=campaign).document


def entry(campaign, code):
    return next(t for t in document(campaign)["teams"] if t["code"] == code)


@pytest.mark.django_db
def test_changes_equal_an_independent_computation(two_campaigns):
    _june, december, _later = two_campaigns
    reception = entry(december, "lyon-reception")["change"]
    assert reception["since"] == {"slug": "2026-06", "name": "2026-06", "closes_on": "2026-06-15"}
    listening = reception["employee"]["dimensions"]["listening"]
    assert (listening["before"], listening["after"]) == (0.5, 1.0)
    assert listening["points"] == pytest.approx(50.0)
    assert listening["z"] == pytest.approx(chi_square_z(2, 4, 6, 6))
    assert listening["significant"] is False  # z = 1.94: within noise
    nps = reception["employee"]["nps"]
    expected = (100 - 50) / math.sqrt(
        adjusted_wald_se(3, 1, 4) ** 2 + adjusted_wald_se(6, 0, 6) ** 2
    )
    assert (nps["before"], nps["after"], nps["points"]) == (50.0, 100.0, 50.0)
    assert nps["z"] == pytest.approx(expected)
    assert nps["significant"] is (abs(expected) >= 1.96)
    assert reception["client"] == {"nps": None, "dimensions": {}}


@pytest.mark.django_db
def test_no_change_where_the_previous_figure_was_hidden(two_campaigns):
    june, december, _ = two_campaigns
    assert entry(june, "lyon-kitchen")["employee"]["status"] == "suppressed"
    kitchen = entry(december, "lyon-kitchen")
    assert kitchen["employee"]["status"] == "ok"
    assert kitchen["change"]["employee"] == {"nps": None, "dimensions": {}}


@pytest.mark.django_db
def test_the_previous_campaign_is_the_latest_that_included_the_team(two_campaigns):
    june, _december, later = two_campaigns
    paris = entry(later, "paris")["change"]
    assert paris["since"]["slug"] == "2026-06"  # December did not include Paris
    favourable = paris["client"]["dimensions"]["listening"]
    assert favourable["z"] == pytest.approx(-chi_square_z(4, 5, 2, 6))
    # The organisation compares with the campaign closed just before.
    assert document(later)["organisation"]["change"]["since"]["slug"] == "2026-12"
    assert entry(june, "paris")["change"] is None


@pytest.mark.django_db
def test_the_exports_carry_the_change_the_document_holds(two_campaigns):
    _june, december, _later = two_campaigns
    content = exports.to_csv(document(december), "fr").decode("utf-8-sig")
    table = pd.read_csv(io.StringIO(content), sep=";", decimal=",")
    table.columns = [name.replace("\u00a0", " ") for name in table.columns]
    reception = table[
        (table["Code de l’équipe"] == "lyon-reception") & (table["Côté"] == "Salariés")
    ].iloc[0]
    assert reception["Campagne précédente"] == "2026-06"
    assert reception["Évolution du NPS (points)"] == pytest.approx(50.0)
    assert reception["Évolution du NPS : lecture"] in ("significative", "dans le bruit")
    listening = [name for name in table.columns if name.endswith(": évolution (points)")]
    assert reception[listening].notna().any()


@pytest.mark.django_db
def test_a_teams_pdf_report_prints_its_change_since_the_previous_campaign(
    two_campaigns, client, hr_user
):
    need(pdf_report.missing() is None, pdf_report.missing() or "")
    _june, december, _later = two_campaigns
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    response = client.get(f"/dashboards/{december.slug}/teams/lyon-reception/report.pdf")
    assert response.status_code == 200
    text, _ = text_of(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    text = flat(text)
    assert "Since the previous campaign" in text
    assert "compare with “2026-06”" in text
    assert "+50 points" in text  # the employees' eNPS, 50 → 100
