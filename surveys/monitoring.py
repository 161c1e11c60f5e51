"""How far a campaign has gone: counts of invitations and answers, never scores."""

from django.db.models import Count, Q

from surveys.models import Invitation, Response, Side

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
