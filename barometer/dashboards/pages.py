"""The pages: everything the team dashboard and the organisation overview show, as one
template context each."""

from collections import Counter

from django.core.paginator import Paginator

from barometer import charts
from barometer.dashboards.changes import since
from barometer.dashboards.questions import other_questions
from barometer.dashboards.snapshots import ancestors, team_entry
from barometer.dashboards.tables import (
    TEAM_SORTS,
    campaign_links,
    comments,
    correlation_rows,
    dimension_correlation_rows,
    mirror_rows,
    perception_table,
    side_cards,
    sorted_rows,
    team_columns,
    team_figures,
    team_row,
    trend_points,
    trend_rows,
)
from barometer.dashboards.wording import (
    chart_labels,
    dimensions,
    no_points,
    recommend_sentence,
)
from symetrie import plotly_page

# The ids that keep plotly.js from inserting inline styles (symetrie.plotly_page).
PLOTLY_GLOBAL_STYLE_ID = plotly_page.PLOTLY_GLOBAL_STYLE_ID
PLOTLY_MAPS_STYLE_ID = plotly_page.PLOTLY_MAPS_STYLE_ID

# The overview of a large organisation: its heatmap shows the top levels of the tree
# that fit in this many rows (each team's page lists the teams below it), its teams
# table is paginated, and beyond a page of teams that table stands for the scatter's
# own. A page stays light and quick whatever the number of teams.
HEATMAP_ROWS = 100
TEAMS_PER_PAGE = 100


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
    mirror = charts.mirror_figure(entry, entry["symmetry"], org, dims, labels, f"{stem}-mirror")
    mirror["data"] += charts.mirror_change_traces(entry, dims, labels)
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
        "mirror_chart": mirror,
        "mirror_rows": mirror_rows(entry, dims, labels),
        "since": since(entry),
        "other_questions": other_questions(entry, document, dims, labels),
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


HEATMAP_VIEWS = ("gap", "change")


def _heat_text(cell, labels):
    """A heatmap table cell's text, in the gap view or the change view."""
    state = cell["state"]
    if state == "gap":
        return charts.signed(cell["gap"], labels)
    if state == "change":
        return charts.signed(cell["points"], labels) + (" •" if cell["significant"] else "")
    return {
        "suppressed": labels["suppressed_short"],
        "none": labels["no_change_short"],
    }.get(state, labels["no_data_short"])


def scope_cards(document, managed, labels, k):
    """A manager's headline: for each team they manage (in tree order), its own figures
    (the team and everything below it, as the document rolls them up) with the
    organisation's as reference. Never a figure combined across teams."""
    org = document["organisation"]
    return [
        {
            "team": team,
            "cards": side_cards(team, org, labels, k),
            "index": charts.number(team["symmetry"]["index"], labels),
            "since": since(team),
        }
        for team in document["teams"]
        if team["code"] in managed
    ]


def overview_page(
    history,
    campaign,
    document,
    sort=None,
    descending=False,
    page=None,
    managed=(),
    view=None,
):
    """Everything the organisation overview shows; ``page``: of the teams table;
    ``managed``: the codes of the teams a manager manages (their headline, see
    :func:`scope_cards`); ``view``: the heatmap's, ``gap`` (default) or ``change``."""
    view = view if view in HEATMAP_VIEWS else "gap"
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
    codes = [code for code, _ in dims]
    cells = (
        charts.change_cells(heat_teams, codes)
        if view == "change"
        else charts.heatmap_cells(heat_teams, codes)
    )
    heat_rows = []
    for team, row in zip(heat_teams, cells, strict=True):
        texts = [_heat_text(cell, labels) for cell in row]
        heat_rows.append(
            {
                "team": team,
                "cells": list(zip(texts, row, strict=True)),
                # With its dimension's name, which labels the cell when the table stacks.
                "labelled": list(zip(texts, row, [name for _, name in dims], strict=True)),
            }
        )
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
        "since": since(org),
        "scope": scope_cards(document, set(managed), labels, k),
        "heatmap_view": view,
        "other_questions": other_questions(org, document, dims, labels),
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
        "no_points": no_points(),
        "recommend_sentence": recommend_sentence(recommend),
        "recommend_summary": charts.correlation_summary(recommend, labels),
        "heatmap_chart": charts.change_heatmap_figure(heat_teams, dims, labels, f"{stem}-changes")
        if view == "change"
        else charts.heatmap_figure(heat_teams, dims, labels, f"{stem}-gaps"),
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
