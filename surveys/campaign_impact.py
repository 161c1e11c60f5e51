"""What a lifecycle step will do, in numbers, for its confirmation page.

Each function returns a dict for the template: `per_side` as a list of
``{"side", "label", "count"}`` (one per asked side, zeros included), plus the step's own
figures. Counted in SQL.
"""

from django.db.models import Count
from django.utils import timezone

from surveys.models import Person, Side
from surveys.services import MAX_REMINDERS, REOPEN_DAYS


def per_side(campaign, counts):
    """``[{"side", "label", "count"}]`` for each asked side, from ``{side: count}``."""
    return [
        {"side": side, "label": str(Side(side).label), "count": counts.get(side, 0)}
        for side in campaign.sides
    ]


def _count_by_side(queryset):
    rows = queryset.values("side").annotate(n=Count("pk")).order_by()
    return {row["side"]: row["n"] for row in rows}


def _unanswered(campaign):
    return campaign.invitations.filter(used=False).exclude(email="")


def launch_impact(campaign):
    """People to invite per side, the teams and public links, and whether the e-mails
    leave now (the opening day has come) or on the opening day."""
    team_ids = list(campaign.teams.values_list("pk", flat=True))
    people = Person.objects.filter(team_id__in=team_ids, side__in=campaign.sides)
    return {
        "per_side": per_side(campaign, _count_by_side(people)),
        "teams": len(team_ids),
        "public_links": len(team_ids) if campaign.ask_clients else 0,
        "sends_now": campaign.opens_on <= timezone.localdate(),
        "questions": campaign.questions.count(),
    }


def open_impact(campaign):
    """The invitations that leave when a scheduled campaign opens now."""
    unsent = campaign.invitations.filter(sent_count=0).exclude(email="")
    return {
        "per_side": per_side(campaign, _count_by_side(unsent)),
        "teams": campaign.teams.count(),
    }


def remind_impact(campaign):
    """Who the next reminder reaches: invited, e-mailed and not answered yet."""
    number = campaign.reminders_sent + 1
    pending = campaign.invitations.filter(
        used=False, sent_count__gt=0, reminded_count__lt=number
    ).exclude(email="")
    return {
        "per_side": per_side(campaign, _count_by_side(pending)),
        "teams": campaign.teams.count(),
        "number": number,
        "max": MAX_REMINDERS,
    }


def close_impact(campaign):
    """Who can no longer answer once closed, and the answers collected so far."""
    return {
        "per_side": per_side(campaign, _count_by_side(_unanswered(campaign))),
        "teams": campaign.teams.count(),
        "responses": per_side(campaign, _count_by_side(campaign.responses.all())),
        "today": timezone.localdate(),
        "reopen_days": REOPEN_DAYS,
    }


def reopen_impact(campaign):
    """Who may answer again (their link works again; nobody is e-mailed by the reopening)."""
    return {
        "per_side": per_side(campaign, _count_by_side(_unanswered(campaign))),
        "teams": campaign.teams.count(),
    }


def links_erase_impact(campaign):
    """The invitations whose address and link would be erased."""
    kept = campaign.invitations.exclude(email="", person=None, token_hash=None)
    return {
        "per_side": per_side(campaign, _count_by_side(kept)),
        "teams": campaign.teams.count(),
    }


def delete_impact(campaign):
    """What a draft holds: its teams and its own copy of the questions."""
    return {
        "per_side": [],
        "teams": campaign.teams.count(),
        "questions": campaign.questions.count(),
    }
