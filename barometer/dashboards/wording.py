"""The words of the dashboards in the active language: chart labels, dimension names,
the anonymity message and the correlations put into sentences."""

from django.utils.translation import get_language, gettext, ngettext

from barometer.document import MIRRORED_DIMENSIONS
from barometer.questions import mirrored_codes
from surveys.builtin_template import DIMENSIONS


def dimensions(document):
    """``[(code, name)]`` of the campaign's mirrored dimensions, named in the active
    language: the built-in ones by their names, those HR added by their employee
    wording. A document without its questions lists the built-in ones."""
    language = "en" if (get_language() or "").startswith("en") else "fr"
    names = {d["code"]: d[f"name_{language}"] for d in DIMENSIONS}
    catalogue = document.get("questions") or []
    for item in catalogue:
        wording = (item.get("texts") or {}).get("employee") or {}
        if item.get("mirrored") and item["code"] not in names:
            names[item["code"]] = wording.get(language) or wording.get("fr") or item["code"]
    if catalogue:
        codes = mirrored_codes(catalogue, MIRRORED_DIMENSIONS)
    else:
        gaps = document["organisation"].get("symmetry", {}).get("gaps") or {}
        codes = list(MIRRORED_DIMENSIONS) + [c for c in gaps if c not in MIRRORED_DIMENSIONS]
    return [(code, _capitalised(names.get(code, code))) for code in codes]


def _capitalised(text):
    return text[:1].upper() + text[1:]


def chart_labels(k):
    """The words of the charts in the active language; ``k`` is the scores threshold."""
    english = (get_language() or "").startswith("en")
    return {
        "decimal": "." if english else ",",
        "separators": ".," if english else ", ",
        # French typography puts a no-break space before the percent sign.
        "percent": "{value}%" if english else "{value}\u00a0%",
        "employees": gettext("Employees"),
        "clients": gettext("Clients"),
        "nps": gettext("Client NPS"),
        "enps": gettext("Employee eNPS"),
        "index": gettext("Symmetry index"),
        "org_nps": gettext("Organisation NPS"),
        "org_enps": gettext("Organisation eNPS"),
        "organisation": gettext("Organisation"),
        "teams": gettext("Teams"),
        "gap": gettext("Gap"),
        "fit": gettext("Trend line of the teams shown"),
        "suppressed": hidden_message(k),
        "suppressed_short": gettext("hidden"),
        "suppressed_legend": gettext("Hidden to protect anonymity"),
        "no_data": gettext("No answers yet"),
        "no_data_short": gettext("no data"),
        "no_data_legend": gettext("No data"),
        "too_few": gettext("Too few answers to show this figure"),
        "no_figure": gettext("No figure to compare"),
        "no_points": no_points(),
        "gap_negative": gettext("Employees more favourable"),
        "gap_positive": gettext("Clients more favourable"),
        "gap_hover": gettext("gap {value} points"),
        "clients_served": gettext("How well clients are served"),
        "employees_treated": gettext("How well employees are treated"),
        "employee_think": gettext("employees think: {value}"),
        "employee_say": gettext("employees say: {value}"),
        "client_think": gettext("clients think: {value}"),
        "client_say": gettext("clients say: {value}"),
        "score_hover": gettext("{name}: {value} (95% interval {low} to {high}), {n} respondents"),
        "share_hover": gettext("{who} · {name}: {value} favourable ({n} answers)"),
        "team_hover": gettext("{name}: eNPS {enps}, NPS {nps}, {n} respondents"),
        "r_line": gettext("r = {r} (95% interval {low} to {high}) · {teams} teams · {label}"),
        # Three forms of one plural message: French says "0 équipe", English "0 teams".
        "r_none_0": _r_none(0),
        "r_none_1": _r_none(1),
        "r_none_n": _r_none(2),
        "r_flat": gettext("r: not measurable: the figures do not vary across the {teams} teams"),
        "label_ok": gettext("reliable"),
        "label_exploratory": gettext("exploratory"),
        "label_insufficient": gettext("too few teams"),
        "change": gettext("Change since the previous campaign"),
        "change_words": gettext("{arrow} {points} points, {verdict}"),
        "significant": gettext("significant"),
        "within_noise": gettext("within noise"),
        "change_hover": gettext("{who} · {name}: {before} then {after}, {change}"),
        "gap_change_hover": gettext(
            "gap moved {value} points (employees {employees}; clients {clients})"
        ),
        "no_change": gettext("No comparison: a figure is missing in one of the two campaigns"),
        "no_change_short": "—",
        "no_change_legend": gettext("No comparison"),
        "change_negative": gettext("Gap moved towards the employees"),
        "change_positive": gettext("Gap moved towards the clients"),
    }


def _r_none(n):
    return ngettext(
        "r: not measurable: {teams} team compared, at least 5 are needed",
        "r: not measurable: {teams} teams compared, at least 5 are needed",
        n,
    )


def no_points():
    """What the scatter says when none of the teams shown can be compared."""
    return gettext("No team shown has both sides to compare yet")


def hidden_message(k):
    return ngettext(
        "Hidden to protect anonymity: fewer than %(k)s respondent, or showing it would "
        "reveal a smaller group.",
        "Hidden to protect anonymity: fewer than %(k)s respondents, or showing it would "
        "reveal a smaller group.",
        k,
    ) % {"k": k}


def link_words(correlation):
    """A correlation in a few words: its strength and direction, or why there is none."""
    r = (correlation or {}).get("pearson")
    if r is None:
        if (correlation or {}).get("label") == "insufficient":
            return gettext("not measurable yet: too few teams")
        return gettext("not measurable: the figures do not vary")
    if abs(r) < 0.1:
        return gettext("no clear link")
    strength = "weak" if abs(r) < 0.3 else "moderate" if abs(r) < 0.5 else "strong"
    return {
        ("weak", True): gettext("weak, positive"),
        ("moderate", True): gettext("moderate, positive"),
        ("strong", True): gettext("strong, positive"),
        ("weak", False): gettext("weak, negative"),
        ("moderate", False): gettext("moderate, negative"),
        ("strong", False): gettext("strong, negative"),
    }[strength, r > 0]


def reliability_words(correlation):
    label = (correlation or {}).get("label")
    return {
        "ok": gettext("reliable: 30 teams or more"),
        "exploratory": gettext("exploratory: fewer than 30 teams, read it as a hint"),
    }.get(label, gettext("too few teams: at least 5 are needed"))


def recommend_sentence(correlation):
    """The NPS–eNPS link in words a manager reads in a few seconds."""
    r = (correlation or {}).get("pearson")
    if r is None and (correlation or {}).get("label") not in (None, "insufficient"):
        return gettext(
            "Employees' and clients' recommendations cannot be linked: they do not vary "
            "across the %(n)s teams compared."
        ) % {"n": correlation["teams"]}
    if r is None:
        return gettext(
            "There are not enough teams yet to say whether teams with engaged employees "
            "also have more loyal clients: it takes at least 5 teams whose employees and "
            "clients both reach the anonymity threshold."
        )
    low, high = correlation.get("pearson_ci95") or (None, None)
    if abs(r) < 0.1:
        sentence = gettext(
            "Across teams, employees' and clients' recommendations show no clear link."
        )
    elif r > 0:
        sentence = gettext(
            "Teams whose employees recommend them more tend to have clients who recommend "
            "them more (%(strength)s link)."
        ) % {"strength": link_words(correlation)}
    else:
        sentence = gettext(
            "Teams whose employees recommend them more tend to have clients who recommend "
            "them less (%(strength)s link)."
        ) % {"strength": link_words(correlation)}
    if low is not None and high is not None and low <= 0 <= high:
        sentence += " " + gettext("The interval includes zero: the link may be chance.")
    return f"{sentence} {_capitalised(reliability_words(correlation))}."
