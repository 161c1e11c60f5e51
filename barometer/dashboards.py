"""What the dashboard pages read: the latest snapshot of each campaign, as the user may
see it, and the pieces of it each page shows.

Read-only: no figure is computed here. Values are picked out of the results document,
formatted for display with the helpers of ``barometer.charts`` (so a table and its chart
say the same thing), and handed to the pure chart builders with translated labels.
"""

import threading
from collections import Counter, OrderedDict

from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import get_language, gettext, ngettext

from barometer import charts
from barometer.access import results_for_each
from barometer.document import MIRRORED_DIMENSIONS
from barometer.models import Snapshot
from surveys.builtin_template import DIMENSIONS
from surveys.models import Campaign

# plotly.js inserts inline <style> elements, which the CSP refuses. It skips them when
# an element with these ids is already in the page (a test checks they still exist in
# the installed plotly.min.js): the global rules, which dashboards.css provides, and the
# map library's styles, which no dashboard needs.
PLOTLY_GLOBAL_STYLE_ID = "plotly.js-style-global"
PLOTLY_MAPS_STYLE_ID = "9f215cf04c5486422605d13261cb87401f4e7763b6296af81e98efbc0130da53"

SIDES = ("client", "employee")  # the order of every "both sides" display
TEAM_SORTS = ("name", "nps", "enps", "index", "employees", "clients")
# The overview of a large organisation: its heatmap shows the top levels of the tree
# that fit in this many rows (each team's page lists the teams below it), its teams
# table is paginated, and beyond a page of teams that table stands for the scatter's
# own. A page stays light and quick whatever the number of teams.
HEATMAP_ROWS = 100
TEAMS_PER_PAGE = 100


# --- reading snapshots ----------------------------------------------------------


def latest_documents(user):
    """``[(campaign, document)]``: the latest snapshot of every campaign, filtered by
    what ``user`` may see, oldest close date first; campaigns without a snapshot or out
    of the user's reach are left out. The documents are shared: read them, never change
    them."""
    latest = Snapshot.objects.filter(campaign=OuterRef("pk")).order_by("-computed_at")
    campaigns = list(
        Campaign.objects.annotate(
            snapshot_id=Subquery(latest.values("pk")[:1]),
            snapshot_at=Subquery(latest.values("computed_at")[:1]),
        )
        .filter(snapshot_id__isnull=False)
        .order_by("closes_on", "pk")
    )
    found = snapshot_documents([(c.snapshot_id, c.snapshot_at) for c in campaigns])
    # A snapshot deleted in between (its campaign deleted) is left out.
    campaigns = [c for c in campaigns if (c.snapshot_id, c.snapshot_at) in found]
    documents = results_for_each(user, [found[c.snapshot_id, c.snapshot_at] for c in campaigns])
    return [(c, d) for c, d in zip(campaigns, documents, strict=True) if d is not None]


# Parsed results documents by snapshot (id, computed_at), the most recently used last.
# A campaign's Snapshot row is replaced in place by each release, always with a new
# computation time, so a document parsed once stays right for as long as its key is
# asked for; the time in the key also guards against an id used again (a rolled-back
# transaction, a database restored). Parsing is what a page would otherwise spend its
# time on: a 1,000-team document is 3.5 MB of JSON, about 0.1 s to fetch and parse, and
# a team's page reads one per campaign for its trend. Each web process keeps the last
# KEPT_DOCUMENTS (about 12 MB each at that size).
KEPT_DOCUMENTS = 12
_documents = OrderedDict()
_documents_lock = threading.Lock()


def snapshot_documents(keys):
    """``{(snapshot id, computed_at): document}`` for ``keys``, parsed once per process."""
    with _documents_lock:
        found = {key: _documents[key] for key in keys if key in _documents}
        for key in found:
            _documents.move_to_end(key)
    missing = [key for key in keys if key not in found]
    if missing:
        rows = Snapshot.objects.filter(pk__in=[pk for pk, _ in missing])
        loaded = {
            (pk, at): doc for pk, at, doc in rows.values_list("pk", "computed_at", "document")
        }
        found.update(loaded)
        with _documents_lock:
            _documents.update(loaded)
            while len(_documents) > KEPT_DOCUMENTS:
                _documents.popitem(last=False)
    return found


def team_entry(document, code):
    return next((team for team in document["teams"] if team["code"] == code), None)


def team_document(document, code):
    """The document restricted to a team and the teams below it (for its exports)."""
    codes = {code}
    for team in document["teams"]:  # tree order: parents come before their children
        if team["parent"] in codes:
            codes.add(team["code"])
    return {**document, "teams": [team for team in document["teams"] if team["code"] in codes]}


# --- words ------------------------------------------------------------------------


def dimensions(document):
    """``[(code, name)]`` of the mirrored dimensions, named in the active language."""
    language = "en" if (get_language() or "").startswith("en") else "fr"
    names = {d["code"]: d[f"name_{language}"] for d in DIMENSIONS}
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
        "no_points": gettext("No team has both sides published yet"),
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
        "r_none": gettext("r: not measurable ({teams} teams with both sides published)"),
        "label_ok": gettext("reliable"),
        "label_exploratory": gettext("exploratory"),
        "label_insufficient": gettext("too few teams"),
    }


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


# --- pieces of the pages ------------------------------------------------------------


def _side_card(side, figures, organisation, labels, k):
    card = {
        "side": side,
        "title": labels["nps"] if side == "client" else labels["enps"],
        "who": labels["clients"] if side == "client" else labels["employees"],
        "status": figures.get("status"),
        "invited": figures.get("invited"),
        "responses": figures.get("responses"),
        "org": charts.signed((organisation or {}).get("nps"), labels)
        if charts.is_ok(organisation)
        else None,
    }
    if card["status"] == "suppressed":
        card["message"] = hidden_message(k)
    elif card["status"] == "no_data":
        card["message"] = labels["no_data"]
    elif figures.get("nps") is None:
        card["message"] = labels["too_few"]
    else:
        low, high = charts.nps_interval(figures)
        card["score"] = charts.signed(figures["nps"], labels)
        card["low"], card["high"] = charts.signed(low, labels), charts.signed(high, labels)
    rate = figures.get("response_rate")
    card["rate"] = charts.percent(rate, labels) if rate is not None else None
    return card


def side_cards(entry, organisation, labels, k):
    """The NPS and eNPS cards; ``organisation`` (or None) gives the reference figures."""
    return [_side_card(s, entry[s], (organisation or {}).get(s), labels, k) for s in SIDES]


def _cell(figures, value):
    """A table cell's text: the value, or why there is none."""
    status = (figures or {}).get("status")
    if status == "suppressed":
        return gettext("hidden")
    if status == "no_data":
        return gettext("no data")
    return value


def mirror_rows(entry, dims, labels):
    rows = []
    for code, name in dims:
        row = {"code": code, "name": name}
        for side in SIDES:
            figures = entry[side]
            dimension = ((figures.get("dimensions") or {}) if charts.is_ok(figures) else {}).get(
                code
            ) or {}
            row[side] = _cell(figures, charts.percent(dimension.get("favourable"), labels))
            row[f"{side}_n"] = _cell(figures, dimension.get("n") or "—")
        row["gap"] = charts.signed(entry["symmetry"]["gaps"].get(code), labels)
        rows.append(row)
    return rows


def perception_table(rows, labels):
    return [
        {
            "title": labels[row["key"]],
            "perceived_by": labels[f"{row['perceived_by']}s"],
            "perceived": charts.percent(row["perceived"], labels),
            "said_by": labels[f"{row['said_by']}s"],
            "said": charts.percent(row["said"], labels),
            "said_over": row["said_over"],
            "difference": charts.signed(row["difference"], labels),
        }
        for row in rows
    ]


def trend_points(history, code):
    return [
        {
            "campaign": campaign,
            "label": campaign.name,
            "team": entry,
            "organisation": doc["organisation"],
        }
        for campaign, doc in history
        if (entry := team_entry(doc, code)) is not None
    ]


def trend_rows(points, labels):
    rows = []
    for point in points:
        team = point["team"]
        rows.append(
            {
                "campaign": point["campaign"],
                "nps": _cell(team["client"], charts.signed(team["client"].get("nps"), labels)),
                "enps": _cell(team["employee"], charts.signed(team["employee"].get("nps"), labels)),
                "index": charts.number(team["symmetry"]["index"], labels),
            }
        )
    return rows


def comments(entry, k_comments, k):
    blocks = []
    for side in SIDES:
        figures = entry[side]
        block = {"side": side, "items": None}
        if figures["status"] == "suppressed":
            block["message"] = hidden_message(k)
        elif figures["status"] == "no_data":
            block["message"] = gettext("No answers yet")
        elif figures.get("comments") is None:
            block["message"] = ngettext(
                "Comments are shown only for groups of at least %(n)s respondent.",
                "Comments are shown only for groups of at least %(n)s respondents.",
                k_comments,
            ) % {"n": k_comments}
        else:
            block["items"] = figures["comments"]
        blocks.append(block)
    return blocks


def team_figures(team, depth=0):
    """A teams table row's figures, by which it sorts."""
    employee, client = team["employee"], team["client"]
    return {
        "depth": min(depth, 6),
        "code": team["code"],
        "name": team["name"],
        "parent": team["parent"],
        "nps": client.get("nps") if charts.is_ok(client) else None,
        "enps": employee.get("nps") if charts.is_ok(employee) else None,
        "index": team["symmetry"]["index"],
        "employees": employee.get("responses"),
        "clients": client.get("responses"),
    }


def team_row(team, labels, depth=0):
    """A teams table row: its figures, and how the table words them."""
    employee, client = team["employee"], team["client"]
    return {
        **team_figures(team, depth),
        "nps_text": _cell(client, charts.signed(client.get("nps"), labels)),
        "enps_text": _cell(employee, charts.signed(employee.get("nps"), labels)),
        "index_text": charts.number(team["symmetry"]["index"], labels),
        "employees_text": _cell(employee, employee.get("responses")),
        "clients_text": _cell(client, client.get("responses")),
    }


def sorted_rows(rows, sort, descending):
    """Rows in tree order, or sorted by one column with the missing values last."""
    if sort not in TEAM_SORTS:
        return rows
    if sort == "name":
        return sorted(rows, key=lambda row: row["name"].casefold(), reverse=descending)
    present = [row for row in rows if row[sort] is not None]
    missing = [row for row in rows if row[sort] is None]
    return sorted(present, key=lambda row: row[sort], reverse=descending) + missing


def team_columns(sort=None, descending=False, sortable=False):
    """Headers of a teams table; sortable ones link to the opposite order of the current
    sort (numbers start with the highest, names with A)."""
    columns = []
    for key, label, numeric in (
        ("name", gettext("Team"), False),
        ("nps", gettext("Client NPS"), True),
        ("enps", gettext("Employee eNPS"), True),
        ("index", gettext("Symmetry index"), True),
        ("employees", gettext("Employee respondents"), True),
        ("clients", gettext("Client respondents"), True),
    ):
        current = sortable and sort == key
        order = ("asc" if descending else "desc") if current else ("desc" if numeric else "asc")
        columns.append(
            {
                "key": key,
                "label": label,
                "numeric": numeric,
                "url": f"?sort={key}&order={order}#teams" if sortable else None,
                "aria_sort": ("descending" if descending else "ascending") if current else None,
            }
        )
    return columns


def correlation_rows(document, labels):
    found = document["correlations"]
    named = [(gettext("Employee eNPS and client NPS, same campaign"), found["recommend"])]
    lagged = found.get("lagged") or {}
    if lagged:
        named += [
            (
                gettext("Employee eNPS in the previous campaign, client NPS in this one"),
                lagged["employee_to_client"],
            ),
            (
                gettext("Client NPS in the previous campaign, employee eNPS in this one"),
                lagged["client_to_employee"],
            ),
        ]
    return [_correlation_row(name, corr, labels) for name, corr in named]


def dimension_correlation_rows(document, dims, labels):
    found = document["correlations"]["dimensions"]
    return [_correlation_row(name, found[code], labels) for code, name in dims if code in found]


def _correlation_row(name, corr, labels):
    low, high = corr.get("pearson_ci95") or (None, None)
    return {
        "name": name,
        "r": charts.number(corr.get("pearson"), labels, 2),
        "interval": None
        if low is None
        else gettext("{low} to {high}").format(
            low=charts.number(low, labels, 2), high=charts.number(high, labels, 2)
        ),
        "teams": corr.get("teams"),
        "words": link_words(corr),
        "reliability": reliability_words(corr),
    }


def campaign_links(history, code=None):
    """The campaigns for the selector: every one the user sees, or the team's."""
    links = []
    for campaign, document in reversed(history):
        if code is None:
            url = reverse("barometer:overview", args=[campaign.slug])
        elif team_entry(document, code) is not None:
            url = reverse("barometer:dashboard_team", args=[campaign.slug, code])
        else:
            continue
        links.append({"campaign": campaign, "url": url})
    return links


def ancestors(document, entry):
    """The visible teams above ``entry``, top first (for the breadcrumb)."""
    teams = {team["code"]: team for team in document["teams"]}
    chain, parent = [], entry["parent"]
    while parent in teams:
        chain.insert(0, teams[parent])
        parent = teams[parent]["parent"]
    return chain


# --- the pages ------------------------------------------------------------------------


def team_page(history, campaign, document, code):
    """Everything the team dashboard shows, or None when the team is not in the document."""
    entry = team_entry(document, code)
    if entry is None:
        return None
    k, k_comments = document["thresholds"]["scores"], document["thresholds"]["comments"]
    labels = chart_labels(k)
    dims = dimensions(document)
    org = document["organisation"]
    stem = f"symetrie-{campaign.slug}-{code}"
    rows = charts.perception_rows(entry, [c for c, _ in dims])
    points = trend_points(history, code)
    return {
        "campaign": campaign,
        "document": document,
        "team": entry,
        "ancestors": ancestors(document, entry),
        "subteams": [
            team_row(team, labels) for team in document["teams"] if team["parent"] == code
        ],
        "columns": team_columns(),
        "cards": side_cards(entry, org, labels, k),
        "index": charts.number(entry["symmetry"]["index"], labels),
        "org_index": charts.number(org["symmetry"]["index"], labels),
        "k": k,
        "nps_chart": charts.nps_figure(entry, org, labels, f"{stem}-nps"),
        "mirror_chart": charts.mirror_figure(
            entry, entry["symmetry"], org, dims, labels, f"{stem}-mirror"
        ),
        "mirror_rows": mirror_rows(entry, dims, labels),
        "perception_chart": charts.perception_figure(rows, labels, f"{stem}-perception"),
        "perception_rows": perception_table(rows, labels),
        "trend_chart": charts.trend_figure(points, labels, f"{stem}-trend"),
        "trend_rows": trend_rows(points, labels),
        "comments": comments(entry, k_comments, k),
        "campaigns": campaign_links(history, code),
    }


def heatmap_teams(teams, depths):
    """The teams the overview's heatmap shows, in tree order: every team of the top levels
    of the tree, as many levels as fit in HEATMAP_ROWS (the first HEATMAP_ROWS teams of the
    top level when even that one does not fit)."""
    per_level = Counter(depths.values())
    deepest, shown = None, 0
    for level in sorted(per_level):
        shown += per_level[level]
        if shown > HEATMAP_ROWS:
            break
        deepest = level
    if deepest is None:
        return [team for team in teams if depths[team["code"]] == 0][:HEATMAP_ROWS]
    return [team for team in teams if depths[team["code"]] <= deepest]


def overview_page(history, campaign, document, sort=None, descending=False, page=None):
    """Everything the organisation overview shows; ``page``: of the teams table."""
    k = document["thresholds"]["scores"]
    labels = chart_labels(k)
    dims = dimensions(document)
    org = document["organisation"]
    stem = f"symetrie-{campaign.slug}"
    points = charts.scatter_points(document["teams"])
    recommend = document["correlations"]["recommend"]
    depths = {}
    for team in document["teams"]:  # parents first
        depths[team["code"]] = depths[team["parent"]] + 1 if team["parent"] in depths else 0
    heat_teams = heatmap_teams(document["teams"], depths)
    cells = charts.heatmap_cells(heat_teams, [code for code, _ in dims])
    heat_rows = []
    for team, row in zip(heat_teams, cells, strict=True):
        texts = [
            charts.signed(cell["gap"], labels)
            if cell["state"] == "gap"
            else labels["suppressed_short"]
            if cell["state"] == "suppressed"
            else labels["no_data_short"]
            for cell in row
        ]
        heat_rows.append({"team": team, "cells": list(zip(texts, row, strict=True))})
    # Every team sorted by its figures; only the page shown is worded.
    figures = [team_figures(team, depths[team["code"]]) for team in document["teams"]]
    teams_page = Paginator(sorted_rows(figures, sort, descending), TEAMS_PER_PAGE).get_page(page)
    by_code = {team["code"]: team for team in document["teams"]}
    rows = [team_row(by_code[row["code"]], labels, row["depth"]) for row in teams_page]
    return {
        "campaign": campaign,
        "document": document,
        "k": k,
        "cards": side_cards(org, None, labels, k),
        "org_index": charts.number(org["symmetry"]["index"], labels),
        "scatter_chart": charts.scatter_figure(points, recommend, org, labels, f"{stem}-nps-enps"),
        # The scatter's data table; with more dots than a page of the teams table holds,
        # that table (sortable by eNPS and NPS) stands for it.
        "scatter_rows": [
            {
                **point,
                "enps_text": charts.signed(point["enps"], labels),
                "nps_text": charts.signed(point["nps"], labels),
            }
            for point in points
        ]
        if len(points) <= TEAMS_PER_PAGE
        else None,
        "scatter_points": len(points),
        "recommend_sentence": recommend_sentence(recommend),
        "recommend_summary": charts.correlation_summary(recommend, labels),
        "heatmap_chart": charts.heatmap_figure(heat_teams, dims, labels, f"{stem}-gaps"),
        "heatmap_rows": heat_rows,
        "heatmap_hidden": len(document["teams"]) - len(heat_teams),
        "dimensions": dims,
        "team_rows": rows,
        "teams_page": teams_page,
        "columns": team_columns(sort, descending, sortable=True),
        "indented": sort not in TEAM_SORTS,
        "correlation_rows": correlation_rows(document, labels),
        "dimension_correlation_rows": dimension_correlation_rows(document, dims, labels),
        "campaigns": campaign_links(history),
    }
