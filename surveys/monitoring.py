"""How far a campaign has gone: counts of invitations and answers, never scores."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.formats import date_format

from surveys.models import Invitation, Response, Side
from surveys.monitor_chart import responses_per_day_figure

COUNTS = ("invited", "sent", "answered", "public_answers")


def campaign_progress(campaign):
    """Return {"rows": [...], "totals": {...}}: one row per included team and asked side.

    A row holds team code and name, side, the counts in COUNTS and `response_rate`
    (answered / invited, None when nobody is invited). Public-link answers are counted
    apart: they have no invitation. Counted in SQL, whatever the campaign's size.
    """
    invitations = (
        Invitation.objects.filter(campaign=campaign)
        .values("team_id", "side")
        .annotate(
            invited=Count("id"),
            sent=Count("id", filter=Q(sent_count__gt=0)),
            answered=Count("id", filter=Q(used=True)),
        )
        .order_by()
    )
    public = (
        Response.objects.filter(campaign=campaign, channel=Response.Channel.PUBLIC)
        .values("team_id", "side")
        .annotate(public_answers=Count("id"))
        .order_by()
    )
    counts = {}
    for group in [*invitations, *public]:
        counts.setdefault((group.pop("team_id"), group.pop("side")), {}).update(group)
    rows = []
    for team in campaign.teams.order_by("name"):
        for side in campaign.sides:
            row = {"team": team.code, "team_name": team.name, "side": side}
            row["side_label"] = str(Side(side).label)
            row |= {name: counts.get((team.id, side), {}).get(name, 0) for name in COUNTS}
            rows.append(_with_rate(row))
    totals = {name: sum(row[name] for row in rows) for name in COUNTS}
    return {"rows": rows, "totals": _with_rate(totals)}


def _with_rate(counts):
    invited = counts["invited"]
    counts["response_rate"] = counts["answered"] / invited if invited else None
    return counts


def responses_per_day(campaign, *, today=None):
    """``[{"day": date, "employee": n, "client": n}]``: the campaign's responses per day
    and side, every channel, from the opening day to today (or the close date, or the
    last day with answers, whichever comes last within those), days without answers
    included as 0. The whole campaign only: never per team, where a day's count could
    point at the few who answered that day. Empty before the opening day."""
    counts = (
        Response.objects.filter(campaign=campaign)
        .values("submitted_on", "side")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_day = {}
    for group in counts:
        per_day.setdefault(group["submitted_on"], {})[group["side"]] = group["n"]
    today = today or timezone.localdate()
    last = min(today, campaign.closes_on)
    if per_day:
        last = max(last, max(per_day))
    first = min([campaign.opens_on, *per_day])
    days = []
    day = first
    while day <= last:
        found = per_day.get(day, {})
        days.append({"day": day, **{side: found.get(side, 0) for side in campaign.sides}})
        day += datetime.timedelta(days=1)
    return days


def per_day_context(campaign):
    """The monitor chart of an open or closed campaign for its page: ``per_day`` (the rows
    of `responses_per_day`, each day written out as ``label``) and ``per_day_spec``."""
    days = [
        {**day, "label": date_format(day["day"], "MONTH_DAY_FORMAT")}
        for day in responses_per_day(campaign)
    ]
    english = translation.get_language() == "en"
    labels = {
        "employee": str(Side.EMPLOYEE.label),
        "client": str(Side.CLIENT.label),
        "separators": ".," if english else ", ",
        "date_format": "%b %-d" if english else "%-d/%m",
    }
    spec = responses_per_day_figure(
        [{**day, "day": day["day"].isoformat()} for day in days],
        campaign.sides,
        labels,
        filename=f"responses-per-day-{campaign.slug}",
    )
    return {"per_day": days, "per_day_spec": spec}
