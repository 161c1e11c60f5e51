"""From the database to the small frames the pure barometer modules read.

Every count is taken with SQL GROUP BY: no function here pulls one row per answer
into Python. The frames have the columns documented in `barometer.document`.
"""

import pandas as pd
from django.db.models import Count

from barometer.document import COUNT_COLUMNS, PreviousCampaign
from surveys.models import Answer, Campaign, Invitation, Kind, Response, Team


def campaign_teams(campaign):
    """The campaign's teams (included or answered for) and all their ancestors, as a
    list of {code, name, parent} in depth-first order (parents first, siblings by name)."""
    codes = set(campaign.teams.values_list("code", flat=True))
    codes |= set(
        Response.objects.filter(campaign=campaign).values_list("team__code", flat=True).distinct()
    )
    teams = {
        team.code: team
        for team in Team.objects.select_related("parent").only("code", "name", "parent__code")
    }
    wanted = set()
    for code in codes:
        # Walk up to the root; a cycle cannot exist (imports and forms refuse them).
        while code and code not in wanted:
            wanted.add(code)
            parent = teams[code].parent
            code = parent.code if parent else None
    children = {}
    for code in sorted(wanted, key=lambda c: (teams[c].name, c)):
        parent = teams[code].parent
        children.setdefault(parent.code if parent else None, []).append(code)
    rows, stack = [], list(reversed(children.get(None, [])))
    while stack:
        code = stack.pop()
        parent = teams[code].parent
        rows.append({"code": code, "name": teams[code].name, "parent": parent and parent.code})
        stack.extend(reversed(children.get(code, [])))
    return rows


def answer_counts(campaign):
    """Own counts per (team, side, question, kind, value) of the 0–10 and 1–5 items."""
    rows = (
        Answer.objects.filter(
            response__campaign=campaign,
            question__kind__in=[Kind.NPS, Kind.LIKERT],
            value__isnull=False,
        )
        .values_list(
            "response__team__code", "response__side", "question__code", "question__kind", "value"
        )
        .annotate(count=Count("id"))
        .order_by()
    )
    return pd.DataFrame(list(rows), columns=COUNT_COLUMNS)


def respondents(campaign):
    """Own number of responses per (team, side)."""
    rows = (
        Response.objects.filter(campaign=campaign)
        .values_list("team__code", "side")
        .annotate(responses=Count("id"))
        .order_by()
    )
    return pd.DataFrame(list(rows), columns=("team", "side", "responses"))


def invited(campaign):
    """Own number of invitations per (team, side)."""
    rows = (
        Invitation.objects.filter(campaign=campaign)
        .values_list("team__code", "side")
        .annotate(invited=Count("id"))
        .order_by()
    )
    return pd.DataFrame(list(rows), columns=("team", "side", "invited"))


def comments(campaign):
    """Own free-text answers per (team, side): the only rows read one by one, and only
    their text (no date, no response id)."""
    rows = (
        Answer.objects.filter(response__campaign=campaign, question__kind=Kind.TEXT)
        .exclude(text="")
        .values_list("response__team__code", "response__side", "text")
        .order_by("text")
    )
    return pd.DataFrame(list(rows), columns=("team", "side", "text"))


def previous_campaign(campaign):
    """The campaign closed just before this one (by close date), as lagged-correlation
    input, or None when there is none."""
    before = (
        Campaign.objects.filter(status=Campaign.Status.CLOSED, closes_on__lt=campaign.closes_on)
        .exclude(pk=campaign.pk)
        .order_by("-closes_on", "-pk")
        .first()
    )
    if before is None:
        return None
    return PreviousCampaign(
        counts=answer_counts(before),
        respondents=respondents(before),
        scores_threshold=before.score_threshold,
    )
