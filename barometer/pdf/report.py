"""The PDF reports: a team's (for its manager's meeting) and the organisation's (or a
manager's scope), drawn by WeasyPrint from a results document as the reader may see it.

What the pages show, the report prints: its context is the dashboard page's own
(``barometer.dashboards.pages``), with the charts drawn as SVG (``barometer.pdf.svg``)
instead of Plotly specs, and every team of the reader's reach in the tables instead of
a page of them. Nothing here reads answers or computes a figure: the thresholds are
applied already.

WeasyPrint needs Pango (a system library). ``make run`` works without it: the pages
then say what to install (:func:`missing`), and asking for a PDF answers 503.
"""

import ctypes.util
import functools
import importlib.util

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext

from barometer import charts
from barometer.dashboards import pages
from barometer.dashboards.tables import team_row, trend_points
from barometer.dashboards.wording import chart_labels, dimensions
from barometer.pdf import svg, svg_overview

# The Debian packages WeasyPrint needs beyond its Python wheel, and a font.
DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"


@functools.cache
def _missing_part():
    # Cheap checks, so that a web process does not load WeasyPrint (and Pango) just to
    # word a link: the real import comes with the first PDF.
    if importlib.util.find_spec("weasyprint") is None:
        return "weasyprint"
    if not all(ctypes.util.find_library(name) for name in ("pango-1.0", "pangoft2-1.0")):
        return "pango"
    return None


def missing():
    """None when PDFs can be made here, else a sentence saying what to install."""
    part = _missing_part()
    if part is None:
        return None
    if part == "weasyprint":
        return gettext("PDF reports need WeasyPrint: pip install -r requirements.txt.")
    return gettext(
        "PDF reports need Pango and a font on the server: apt-get install %(packages)s."
    ) % {"packages": DEBIAN_PACKAGES}


class Unavailable(Exception):
    """WeasyPrint or Pango is missing: the message says what to install."""


def _pdf(template, context):
    try:
        import weasyprint  # third-party, and heavy: only where a PDF is made
    except (ImportError, OSError) as error:  # Pango missing: OSError from its loader
        raise Unavailable(missing() or str(error)) from error
    html = render_to_string(template, context)
    return weasyprint.HTML(string=html).write_pdf()


def _common(campaign, document):
    k = document["thresholds"]["scores"]
    return {
        "campaign": campaign,
        "document": document,
        "k": k,
        "k_comments": document["thresholds"]["comments"],
        "language": (get_language() or "fr")[:2],
        "printed_at": timezone.now(),
    }


def team_context(history, campaign, document, code):
    """The team report's context: the team dashboard's, with SVG charts; None when the
    team is not in the document."""
    page = pages.team_page(history, campaign, document, code)
    if page is None:
        return None
    labels = chart_labels(document["thresholds"]["scores"])
    entry, org = page["team"], document["organisation"]
    dims = dimensions(document)
    rows = charts.perception_rows(entry, [c for c, _ in dims])
    return {
        **page,
        **_common(campaign, document),
        "nps_svg": svg.nps_svg(entry, org, labels),
        "mirror_svg": svg.mirror_svg(entry, entry["symmetry"], org, dims, labels),
        "perception_svg": svg.perception_svg(rows, labels),
        "trend_svg": svg.trend_svg(trend_points(history, code), labels),
    }


def organisation_context(campaign, document, scope_all=True):
    """The organisation report's context: the overview's, with SVG charts and every team
    of the document in its tables (the overview's teams table shows a page of them);
    ``scope_all`` False for a manager's, which says it holds their teams only."""
    page = pages.overview_page([(campaign, document)], campaign, document)
    labels = chart_labels(document["thresholds"]["scores"])
    dims = dimensions(document)
    depths = {}
    for team in document["teams"]:  # parents first
        depths[team["code"]] = depths[team["parent"]] + 1 if team["parent"] in depths else 0
    heat_teams = [row["team"] for row in page["heatmap_rows"]]
    return {
        **page,
        **_common(campaign, document),
        "scope_all": scope_all,
        "team_rows": [team_row(t, labels, depths[t["code"]]) for t in document["teams"]],
        "scatter_svg": svg_overview.scatter_svg(
            charts.scatter_points(document["teams"]),
            document["correlations"]["recommend"],
            document["organisation"],
            labels,
        ),
        "heatmap_svgs": svg_overview.heatmap_svgs(heat_teams, dims, labels),
    }


def team_pdf(history, campaign, document, code):
    """The team report as PDF bytes, or None when the team is not in the document.
    Raises Unavailable without WeasyPrint or Pango."""
    context = team_context(history, campaign, document, code)
    return None if context is None else _pdf("barometer/pdf/team.html", context)


def organisation_pdf(campaign, document, scope_all=True):
    """The organisation report as PDF bytes (the document as its reader may see it).
    Raises Unavailable without WeasyPrint or Pango."""
    context = organisation_context(campaign, document, scope_all)
    return _pdf("barometer/pdf/organisation.html", context)
