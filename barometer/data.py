"""From the database to the small frames the pure barometer modules read.

Every count is taken with SQL GROUP BY: no function here pulls one row per answer
into Python. The frames have the columns documented in `barometer.document`.
"""

from contextlib import contextmanager

import pandas as pd
from django.db import connection, transaction
from django.db.models import Count

from barometer.models import Snapshot
from barometer.releases import comment_digest
from surveys.models import Answer, Campaign, CampaignQuestion, Invitation, Kind, Response, Team
from surveys.teams import tree_rows

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
    """The campaign's tree as ``[{code, name, parent}]``, parents first: the tree frozen
    at launch, with any team answered for since and missing from it as a new leaf (under
    its parent when that is in the tree). A campaign never launched (or launched before
    trees were frozen) gets its teams, answered teams and their ancestors as they are."""
    answered = set(
        Response.objects.filter(campaign=campaign).values_list("team__code", flat=True).distinct()
    )
    if not campaign.frozen_tree:
        return tree_rows(set(campaign.teams.values_list("code", flat=True)) | answered)
    rows = [dict(row) for row in campaign.frozen_tree]
    known = {row["code"] for row in rows}
    for team in Team.objects.filter(code__in=answered - known).select_related("parent"):
        parent = team.parent.code if team.parent and team.parent.code in known else None
        rows.append({"code": team.code, "name": team.name, "parent": parent})
    return rows


# The kinds of item the barometer counts (free text is read as comments).
COUNTED_KINDS = (Kind.NPS, Kind.LIKERT, Kind.CHOICE)


def question_kinds(campaign):
    """``{"side/code": kind}`` of the campaign's 0–10, 1–5 and single-choice items."""
    rows = CampaignQuestion.objects.filter(campaign=campaign, kind__in=COUNTED_KINDS)
    return {f"{side}/{code}": kind for side, code, kind in rows.values_list("side", "code", "kind")}


def question_catalogue(campaign):
    """The campaign's own counted items as the document's ``questions`` catalogue
    (``barometer.questions``), in the questionnaire's order."""
    rows = (
        CampaignQuestion.objects.filter(campaign=campaign, kind__in=COUNTED_KINDS)
        .order_by("order", "code", "side")
        .values_list("code", "side", "kind", "dimension", "text_fr", "text_en", "choices")
    )
    items = {}
    for code, side, kind, dimension, text_fr, text_en, choices in rows:
        item = items.setdefault(
            code,
            {"code": code, "kind": kind, "sides": [], "dimension": dimension, "texts": {}},
        )
        item["sides"].append(side)
        item["texts"][side] = {"fr": text_fr, "en": text_en}
        item["options"] = [{"fr": c.get("fr", ""), "en": c.get("en", "")} for c in choices or []]
    catalogue = []
    for item in items.values():
        dimension = item.pop("dimension")
        item["mirrored"] = (
            item["kind"] == Kind.LIKERT and len(item["sides"]) == 2 and bool(dimension)
        )
        catalogue.append(item)
    return catalogue


def _channel(channel):
    return "public" if channel == Response.Channel.PUBLIC else "personal"


def raw_tallies(campaign):
    """``(raw, texts)``: everything collected for the campaign in the shape of
    ``barometer.releases`` (team code -> side -> channel -> tally of own answers), and
    ``{digest: text}`` of its comments.

    Counts come from SQL GROUP BY (answers per team, side, channel, question and value;
    responses per team, side and channel); comments are the only rows read one by one,
    and only their text.
    """
    questions = dict(
        CampaignQuestion.objects.filter(campaign=campaign, kind__in=COUNTED_KINDS).values_list(
            "pk", "code"
        )
    )
    responses = list(
        Response.objects.filter(campaign=campaign)
        .values_list("team_id", "side", "channel")
        .annotate(n=Count("*"))
        .order_by()
    )
    answers = (
        Answer.objects.filter(
            response__campaign=campaign, question_id__in=list(questions), value__isnull=False
        )
        .values_list(
            "response__team_id", "response__side", "response__channel", "question_id", "value"
        )
        .annotate(count=Count("*"))
        .order_by()
    )
    with aggregation_settings():
        answers = list(answers)
    text_questions = CampaignQuestion.objects.filter(campaign=campaign, kind=Kind.TEXT)
    comments = list(
        Answer.objects.filter(response__campaign=campaign, question__in=text_questions)
        .exclude(text="")
        .values_list("response__team_id", "response__side", "response__channel", "text")
        .order_by()
    )
    teams = dict(
        Team.objects.filter(pk__in={row[0] for row in responses}).values_list("pk", "code")
    )
    raw = {}

    def tally(team_id, side, channel):
        sides = raw.setdefault(teams[team_id], {})
        return sides.setdefault(side, {}).setdefault(
            _channel(channel), {"respondents": 0, "items": {}, "comments": {}}
        )

    for team_id, side, channel, n in responses:
        tally(team_id, side, channel)["respondents"] += n
    for team_id, side, channel, question_id, value, count in answers:
        items = tally(team_id, side, channel)["items"]
        distribution = items.setdefault(questions[question_id], {})
        distribution[int(value)] = distribution.get(int(value), 0) + count
    texts = {}
    for team_id, side, channel, text in comments:
        if not text.strip():
            continue
        digest = comment_digest(text)
        texts[digest] = text
        found = tally(team_id, side, channel)["comments"]
        found[digest] = found.get(digest, 0) + 1
    return raw, texts


def personal_respondents(campaign):
    """``{(team code, side): n}`` of responses through personal links and imports: what
    a live release counts (one GROUP BY on the responses)."""
    rows = (
        Response.objects.filter(campaign=campaign)
        .exclude(channel=Response.Channel.PUBLIC)
        .values_list("team__code", "side")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {(team, side): n for team, side, n in rows}


def invited(campaign):
    """Own number of invitations per (team, side)."""
    rows = (
        Invitation.objects.filter(campaign=campaign)
        .values_list("team__code", "side")
        .annotate(invited=Count("id"))
        .order_by()
    )
    return pd.DataFrame(list(rows), columns=("team", "side", "invited"))


def _earlier_closed(campaign):
    return (
        Campaign.objects.filter(status=Campaign.Status.CLOSED, closes_on__lt=campaign.closes_on)
        .exclude(pk=campaign.pk)
        .order_by("-closes_on", "-pk")
    )


def earlier_finals(campaign, codes):
    """The published final documents of the campaigns closed before this one, latest
    first, read one at a time until each of ``codes`` (team codes) is listed in one of
    them: what the change since the previous campaign reads (``barometer.change``)."""
    documents, missing = [], set(codes)
    for before in _earlier_closed(campaign).only("pk"):
        snapshot = Snapshot.objects.filter(campaign=before, final=True).only("document").first()
        if snapshot is None:
            continue
        documents.append(snapshot.document)
        missing -= {team["code"] for team in snapshot.document.get("teams", [])}
        if not missing:
            break
    return documents


def previous_final(campaign):
    """The published final document of the campaign closed just before this one (by
    close date), for lagged correlations, or None when there is none."""
    before = _earlier_closed(campaign).first()
    if before is None:
        return None
    snapshot = Snapshot.objects.filter(campaign=before, final=True).only("document").first()
    return snapshot.document if snapshot else None
