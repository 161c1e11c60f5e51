"""The pieces of the pages: score cards, table rows (each chart's data table), the teams
tables' columns and sorting, comments, and the campaign selector's links."""

from django.urls import reverse
from django.utils.translation import gettext, ngettext

from barometer import charts
from barometer.dashboards.changes import cell as change_cell
from barometer.dashboards.changes import dimension_change, nps_change, side_change
from barometer.dashboards.snapshots import team_entry
from barometer.dashboards.wording import hidden_message, link_words, reliability_words

SIDES = ("client", "employee")  # the order of every "both sides" display
TEAM_SORTS = (
    "name",
    "nps",
    "nps_change",
    "enps",
    "enps_change",
    "index",
    "employees",
    "clients",
)


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
    # A document that does not say how many answered through personal links (computed
    # before public-link answers were counted apart) gives no rate rather than a wrong one.
    rate = figures.get("response_rate") if "personal_responses" in figures else None
    card["rate"] = charts.percent(rate, labels) if rate is not None else None
    card["personal"] = figures.get("personal_responses")
    card["public"] = figures.get("public_responses") or 0
    return card


def side_cards(entry, organisation, labels, k):
    """The NPS and eNPS cards; ``organisation`` (or None) gives the reference figures;
    each card's ``change`` is its score's change since the previous campaign (or None)."""
    cards = []
    for side in SIDES:
        card = _side_card(side, entry[side], (organisation or {}).get(side), labels, k)
        card["change"] = nps_change(entry, side, labels) if card.get("score") else None
        cards.append(card)
    return cards


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
            share = dimension.get("favourable")
            row[f"{side}_change"] = change_cell(dimension_change(entry, side, code, labels))
            if share is None and charts.is_ok(figures):
                # Left out (too few answers to it), or not asked: the heatmap's words.
                asked = code in (figures.get("dimensions") or {})
                row[side] = row[f"{side}_n"] = gettext("hidden") if asked else gettext("no data")
                continue
            row[side] = _cell(figures, charts.percent(share, labels))
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
        "nps_change": _points(side_change(team, "client").get("nps")),
        "enps_change": _points(side_change(team, "employee").get("nps")),
        "index": team["symmetry"]["index"],
        "employees": employee.get("responses"),
        "clients": client.get("responses"),
    }


def _points(change):
    return change["points"] if change else None


def team_row(team, labels, depth=0):
    """A teams table row: its figures, and how the table words them."""
    employee, client = team["employee"], team["client"]
    return {
        **team_figures(team, depth),
        "nps_text": _cell(client, charts.signed(client.get("nps"), labels)),
        "enps_text": _cell(employee, charts.signed(employee.get("nps"), labels)),
        "nps_change_text": change_cell(nps_change(team, "client", labels)),
        "enps_change_text": change_cell(nps_change(team, "employee", labels)),
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
        ("nps_change", gettext("NPS change"), True),
        ("enps", gettext("Employee eNPS"), True),
        ("enps_change", gettext("eNPS change"), True),
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


def named_correlations(document):
    """The campaign's correlations of the recommendation, named: the same campaign's,
    then the lagged pair when there is a previous campaign."""
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
    return named


def correlation_rows(document, labels):
    return [_correlation_row(name, corr, labels) for name, corr in named_correlations(document)]


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
