"""From the database to the small frames the pure barometer modules read.

Every count is taken with SQL GROUP BY: no function here pulls one row per answer
into Python. The frames have the columns documented in `barometer.document`.
"""

from contextlib import contextmanager

import pandas as pd
from django.db import connection, transaction
from django.db.models import Count

from barometer.document import COUNT_COLUMNS, PreviousCampaign
from surveys.models import Answer, Campaign, CampaignQuestion, Invitation, Kind, Response, Team

# PostgreSQL settings for the one large aggregation, local to it (restored after).
# Answers are read through a bitmap of the campaign's questions, which suits a scan of
# a large share of their rows better than an index scan, and parallel workers join
# them to their responses; no JIT compilation (it costs more than it saves here) and
# enough memory for the hash tables not to spill to disk.
AGGREGATION_SETTINGS = {
    "jit": "off",
    "work_mem": "64MB",
    "enable_indexscan": "off",
    "parallel_setup_cost": "10",
    "parallel_tuple_cost": "0.001",
}


@contextmanager
def aggregation_settings():
    """Apply AGGREGATION_SETTINGS on PostgreSQL for the duration of the block."""
    if connection.vendor != "postgresql":
        yield
        return
    names = list(AGGREGATION_SETTINGS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(["current_setting(%s)"] * len(names))
            + ", "
            + ", ".join(["set_config(%s, %s, true)"] * len(names)),
            [*names, *(x for name in names for x in (name, AGGREGATION_SETTINGS[name]))],
        )
        before = cursor.fetchone()[: len(names)]
        yield
        cursor.execute(
            "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
            [x for name, value in zip(names, before, strict=True) for x in (name, value)],
        )


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
    """Own counts per (team, side, question, kind, value) of the 0–10 and 1–5 items.

    One GROUP BY on integer keys: answers of the campaign's questions joined to their
    response for its team and side only; question and team ids become codes here,
    from the small question and team tables.
    """
    questions = {
        pk: (code, kind)
        for pk, code, kind in CampaignQuestion.objects.filter(
            campaign=campaign, kind__in=[Kind.NPS, Kind.LIKERT]
        ).values_list("pk", "code", "kind")
    }
    rows = (
        Answer.objects.filter(
            response__campaign=campaign, question_id__in=list(questions), value__isnull=False
        )
        .values_list("response__team_id", "response__side", "question_id", "value")
        .annotate(count=Count("*"))
        .order_by()
    )
    with aggregation_settings():
        frame = pd.DataFrame(list(rows), columns=["team", "side", "question", "value", "count"])
    if frame.empty:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    teams = dict(
        Team.objects.filter(pk__in=frame["team"].unique().tolist()).values_list("pk", "code")
    )
    codes = {pk: code for pk, (code, _) in questions.items()}
    kinds = {pk: kind for pk, (_, kind) in questions.items()}
    return pd.DataFrame(
        {
            "team": frame["team"].map(teams),
            "side": frame["side"],
            "question": frame["question"].map(codes),
            "kind": frame["question"].map(kinds),
            "value": frame["value"],
            "count": frame["count"],
        },
        columns=COUNT_COLUMNS,
    )


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
    texts = CampaignQuestion.objects.filter(campaign=campaign, kind=Kind.TEXT)
    rows = (
        Answer.objects.filter(response__campaign=campaign, question__in=texts)
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
