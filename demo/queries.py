"""Reading the demo organisation back from the database: is it there, its campaigns,
the logins and the public link `seed_demo` prints."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from demo.organisation import DEMO_HR, FEATURED, MANAGER_PASSWORD, PREFIX, SITE
from surveys.links import public_link_url
from surveys.models import Campaign, Invitation, PublicLink, Response, Team


def demo_exists():
    """True when the demo organisation is in the database."""
    return Team.objects.filter(code__startswith=PREFIX).exists()


def demo_campaigns():
    """The campaigns of the demo (on demo teams, or with a demo slug), oldest first."""
    teams = Team.objects.filter(code__startswith=PREFIX).values("pk")
    touching = (
        Q(slug__startswith=PREFIX)
        | Q(teams__in=teams)
        | Q(pk__in=Response.objects.filter(team__in=teams).values("campaign_id"))
        | Q(pk__in=Invitation.objects.filter(team__in=teams).values("campaign_id"))
        | Q(pk__in=PublicLink.objects.filter(team__in=teams).values("campaign_id"))
    )
    return Campaign.objects.filter(touching).distinct().order_by("closes_on", "pk")


def demo_logins():
    """[(role, user, password)]: the HR account, the site manager and the featured team's
    manager, as they are in the database (missing ones left out)."""
    found = []
    hr = get_user_model().objects.filter(username=DEMO_HR[0]).first()
    if hr is not None:
        found.append(("hr", hr, DEMO_HR[1]))
    for role, code in (("site", SITE), ("team", FEATURED)):
        team = Team.objects.filter(code=PREFIX + code).prefetch_related("managers").first()
        manager = team and min(team.managers.all(), key=lambda user: user.pk, default=None)
        if manager is not None:
            found.append((role, manager, MANAGER_PASSWORD))
    return found


def login_lines():
    """How to log in to the demo, one line per account of `demo_logins`."""
    lines = []
    for role, user, password in demo_logins():
        if role == "hr":
            lines.append(f"HR (all teams, campaigns): {user.username} / {password}")
            continue
        teams = ", ".join(sorted(team.name for team in user.managed_teams.all()))
        what = "Site manager" if role == "site" else "Team manager"
        lines.append(f"{what} ({user.get_full_name()}, {teams}): {user.username} / {password}")
    return lines


def demo_public_link():
    """(team, campaign, url) of the featured team's client link in the open demo campaign."""
    link = (
        PublicLink.objects.filter(
            team__code=PREFIX + FEATURED, campaign__status=Campaign.Status.OPEN
        )
        .select_related("team", "campaign")
        .order_by("-campaign__opens_on")
        .first()
    )
    return link and (link.team, link.campaign, public_link_url(link.token))
