"""The words and number conventions of the exports, in the active language.

Hidden figures and missing data read as the dashboards word them (the same catalogue
entries as the heatmap's cells), so a reader finds one word for one thing everywhere.
"""

import functools

from django.utils.translation import get_language, gettext, ngettext

from barometer.dashboards.wording import chart_labels, dimensions, hidden_message
from surveys.builtin_template import DIMENSIONS
from surveys.models import Campaign

# A figure the document leaves out to protect anonymity, and one nobody answered for.
HIDDEN = "hidden"
NO_DATA = "no_data"

# The kinds of cells: how a value is rounded in CSV and formatted in XLSX.
TEXT = "text"
COUNT = "count"  # an integer
SHARE = "share"  # a fraction 0..1, shown as a percentage
SCORE = "score"  # NPS, gaps, index: one decimal
MEAN = "mean"  # a mean on 1..5: one decimal
R = "r"  # a correlation: two decimals
P = "p"  # a p-value: three decimals
DECIMALS = {SHARE: 1, SCORE: 1, MEAN: 1, R: 2, P: 3}


def english():
    return (get_language() or "").startswith("en")


def conventions():
    """``(separator, decimal mark)`` of a CSV file for the active language: French
    spreadsheets split on semicolons and read a decimal comma."""
    return (",", ".") if english() else (";", ",")


def missing_word(reason):
    """The word of a missing figure: the dashboards' own for hidden and for no data."""
    return _words(get_language())[reason]


def side_word(side):
    return gettext("Employees") if side == "employee" else gettext("Clients")


def status_word(status):
    return _words(get_language()).get(status, status)


@functools.lru_cache(maxsize=8)
def _words(language):
    """The words of missing figures and statuses in the active ``language`` (the cache's
    key): looked up once, not for each of a large export's cells."""
    labels = chart_labels(3)
    hidden, no_data = labels["suppressed_short"], labels["no_data_short"]
    return {
        HIDDEN: hidden,
        NO_DATA: no_data,
        "ok": gettext("published"),
        "suppressed": hidden,
        "no_data": no_data,
    }


def campaign_status_word(status):
    return dict(Campaign.Status.choices).get(status, status)


def reliability_word(label):
    labels = chart_labels(3)
    return labels.get(f"label_{label}", label)


def item_names(document):
    """``{code: name}`` of every 1–5 item in the active language: the mirrored
    dimensions, the perception item, and any other item under its code."""
    language = "en" if english() else "fr"
    names = {d["code"]: d[f"name_{language}"] for d in DIMENSIONS}
    names = {code: text[:1].upper() + text[1:] for code, text in names.items()}
    names["perceived_other"] = gettext("Perception of the other side")
    names.update(dimensions(document))
    return names


def definitions(document):
    """The "read me" sheet's rows: ``(topic, text or number)``."""
    campaign = document.get("campaign") or {}
    thresholds = document["thresholds"]
    k, k_comments = thresholds["scores"], thresholds["comments"]
    hidden, no_data = missing_word(HIDDEN), missing_word(NO_DATA)
    return [
        (gettext("Campaign"), campaign.get("name") or ""),
        (gettext("Campaign code"), campaign.get("slug") or ""),
        (gettext("Opens on"), campaign.get("opens_on") or ""),
        (gettext("Closes on"), campaign.get("closes_on") or ""),
        (gettext("Status"), campaign_status_word(campaign.get("status"))),
        (gettext("Figures computed at"), document.get("computed_at") or ""),
        (gettext("Anonymity threshold for figures (respondents)"), k),
        (gettext("Anonymity threshold for comments (respondents)"), k_comments),
        (
            gettext("NPS and eNPS"),
            gettext(
                "Share of promoters (9–10) minus share of detractors (0–6) among the answers "
                "to the recommendation question (0–10), from −100 to +100: NPS for clients, "
                "eNPS for employees. Passives (7–8) count in the number of answers only."
            ),
        ),
        (
            gettext("NPS 95% interval"),
            gettext(
                "Adjusted Wald interval (Rocks 2016): 0.75 promoter and 0.75 detractor are "
                "added to n + 3 answers; the interval is clipped to −100…+100 and is not "
                "centred on the NPS."
            ),
        ),
        (
            gettext("Favourable"),
            gettext(
                "Share of answers 4 or 5 on the 1–5 agreement scale, among the answers "
                "other than “don't know”; the mean and the number of answers are taken over "
                "the same answers."
            ),
        ),
        (
            gettext("Gap"),
            gettext(
                "Clients' favourable share minus employees' on the same dimension, in "
                "points: positive when clients are more favourable."
            ),
        ),
        (
            gettext("Symmetry index"),
            gettext(
                "100 minus the mean of the gaps in absolute value, over the dimensions "
                "where both sides have a published figure."
            ),
        ),
        (
            gettext("Response rate"),
            gettext(
                "Answers through personal links (and imported answers) divided by the "
                "invitations, per side. Answers through a team's public link are counted "
                "apart and never enter a rate."
            ),
        ),
        (
            gettext("Correlations"),
            gettext(
                "Pearson r across the teams compared (those whose employees and clients "
                "both reach the threshold, each through its subteams when they do), with "
                "its 95% interval (Fisher z) and p-value, and Spearman ρ. Fewer than 5 "
                "teams: not measured; fewer than 30: exploratory."
            ),
        ),
        (hidden, hidden_message(k)),
        (no_data, gettext("Nobody answered, or the question was not asked.")),
        (
            gettext("Rounding"),
            gettext(
                "The cells hold the figures as computed; their format rounds them as the "
                "dashboards do. The CSV file gives them rounded to one decimal."
            ),
        ),
        (
            gettext("Comments"),
            ngettext(
                "Not exported: they are shown on the dashboards for groups of at least "
                "%(n)s respondent.",
                "Not exported: they are shown on the dashboards for groups of at least "
                "%(n)s respondents.",
                k_comments,
            )
            % {"n": k_comments},
        ),
    ]
