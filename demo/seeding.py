"""Writing the demo organisation (and deleting it again), through the app's own services.

The team and people imports, the history import for the closed quarters, the campaign
launch and `response_submit` for the open one, `snapshot_compute` for the barometers:
the demo goes where real data go. What it writes is drawn first, by the pure
`demo.organisation` and `demo.model`.
"""

import datetime
import random
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from barometer.refresh import snapshot_refresh_hold, snapshot_refresh_pending_done
from barometer.services import snapshot_compute
from demo.model import LIVE_PUBLIC, LIVE_RATE, answers_draw, climates, responses_draw
from demo.organisation import (
    DEMO_HR,
    DOMAIN,
    ENGLISH_CLIENTS,
    FEATURED,
    MANAGER_PASSWORD,
    ORGANISATION,
    PREFIX,
    SMALL_SCALE,
    UNITS,
    people_by_team,
    plan_draw,
    quarters_for,
    site_of,
)
from demo.queries import demo_campaigns
from surveys.answering.store import response_submit
from surveys.branding import branding_update
from surveys.history import responses_import
from surveys.imports import people_import_apply, teams_import_apply
from surveys.links import invitation_token, invitation_url
from surveys.models import (
    Answer,
    Branding,
    Campaign,
    CampaignQuestion,
    Invitation,
    Person,
    Response,
    Side,
    Team,
)
from surveys.questionnaires import questionnaire_install_builtin
from surveys.services import campaign_create, campaign_launch
from surveys.tabular import Table
from symetrie.roles import HR_GROUP

# Any seed gives a plausible organisation; this one, picked among the first hundred,
# gives every closed quarter an eNPS ↔ NPS correlation between 0.4 and 0.7 and tells
# the stories built into UNITS clearly.
SEED = 14


class DemoError(Exception):
    """The demo cannot be reset without touching other data; nothing was changed."""


@dataclass
class Seeded:
    """What `demo_seed` made, for the summary it prints."""

    teams: int
    employees: int
    clients: int
    campaigns: list  # Campaign rows, oldest first, the open one last
    personal_link: str
    seconds: float = 0.0


def hr_account_ensure():
    """The demo HR account, created if missing, with the demo password (reset each time)."""
    username, password = DEMO_HR
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": username, "first_name": "Camille"}
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    user.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])
    return user


def demo_seed(*, today=None, small=False):
    """Create the demo organisation with five campaigns and their barometers; return Seeded.

    One transaction: on any error nothing is left. Raises DemoError when a demo slug
    is taken by a campaign the demo does not own. `small` divides the people (not the
    small teams) by about three, for tests.
    """
    start = time.monotonic()
    today = today or timezone.localdate()
    quarters = quarters_for(today)
    taken = Campaign.objects.filter(slug__in=[quarter.slug for quarter in quarters])
    if taken.exists():
        raise DemoError(
            f"A campaign already uses the slug {taken.first().slug}: "
            "rename it, or run seed_demo --reset if it belongs to an earlier demo."
        )
    rng = random.Random(SEED)
    plan = plan_draw(rng, scale=SMALL_SCALE if small else 1.0)
    climate_of = climates(rng, len(quarters))
    people = people_by_team(plan)
    with transaction.atomic():
        hr = hr_account_ensure()
        if not Branding.objects.exists():  # an organisation's own branding stays
            branding_update(user=hr, organisation_name=ORGANISATION)
        _managers_create(plan.managers)
        teams_import_apply(table=_teams_table(plan.managers))
        people_import_apply(table=_people_table(plan.people))
        template = questionnaire_install_builtin()
        teams = {team.code: team for team in Team.objects.filter(code__startswith=PREFIX)}
        campaigns = []
        for index, quarter in enumerate(quarters[:-1]):
            drawn = responses_draw(rng, people=people, climate_of=climate_of, quarter=index)
            campaigns.append(_history_import(quarter, drawn, template, teams))
        campaign, featured, token = _open_campaign_launch(quarters[-1], today, template, teams)
        _live_answers(rng, campaign, climate_of, quarter=len(quarters) - 1, skip=featured)
        campaigns.append(campaign)
        for each in campaigns:
            snapshot_compute(campaign=each)
    return Seeded(
        teams=len(teams),
        employees=sum(1 for person in plan.people if person[0] == Side.EMPLOYEE),
        clients=sum(1 for person in plan.people if person[0] == Side.CLIENT),
        campaigns=campaigns,
        personal_link=invitation_url(token),
        seconds=time.monotonic() - start,
    )


def _managers_create(managers):
    """The managers' accounts with the demo password, so that the team import finds them
    (and sends no "choose your password" e-mail). One hash for all: hashing costs ~1 s."""
    users = get_user_model().objects
    emails = [email for _name, email in managers.values()]
    existing = set(users.filter(username__in=emails).values_list("username", flat=True))
    password = make_password(MANAGER_PASSWORD)
    users.bulk_create(
        get_user_model()(
            username=email,
            email=email,
            first_name=name.split(" ", 1)[0],
            last_name=name.split(" ", 1)[1],
            password=password,
        )
        for name, email in managers.values()
        if email not in existing
    )
    users.filter(username__in=emails).update(password=password)


def _teams_table(managers):
    rows = [
        {
            "code": PREFIX + unit.code,
            "name": unit.name,
            "parent": PREFIX + unit.parent if unit.parent else "",
            "managers": managers[unit.code][1],
        }
        for unit in UNITS
    ]
    return Table(columns=["code", "name", "parent", "managers"], rows=list(enumerate(rows, 2)))


def _people_table(people):
    rows = [
        {"email": email, "side": side, "team": PREFIX + code, "name": name, "language": language}
        for side, email, code, name, language in people
    ]
    return Table(
        columns=["email", "side", "team", "name", "language"], rows=list(enumerate(rows, 2))
    )


def _history_import(quarter, drawn, template, teams):
    """A closed quarter through the history import (bulk, channel "import")."""
    questions = {(question.side, question.code): question for question in template.questions.all()}
    planned = [
        (
            side,
            teams[PREFIX + code],
            [
                (
                    questions[(side, question_code)],
                    value if isinstance(value, int) else None,
                    value if isinstance(value, str) else "",
                )
                for question_code, value in values.items()
            ],
        )
        for side, code, _language, values in drawn
    ]
    return responses_import(
        slug=quarter.slug,
        planned=planned,
        template=template,
        name=quarter.name,
        closed_on=quarter.close_day,
    )


def _open_campaign_launch(quarter, today, template, teams):
    """Create and launch this quarter's campaign; return it, one invitation and its token.

    The launch queues the invitation e-mails for after the commit. They are counted as
    sent here instead: the demo addresses have no mailbox, the console backend of `make
    run` would print thousands of them (at ~15 ms each), and a worker would send them for
    real. The queued tasks then find nothing left to send, in-process or on a worker,
    and nothing stays pending for the calendar to send later. A token whose raw value
    nobody holds opens nothing, so no hash is stored for them, except for one employee
    of the featured team: their link is printed, as if read from their e-mail. Reminders
    work as usual (each one issues new links).
    """
    campaign = campaign_create(
        name=quarter.name,
        slug=quarter.slug,
        opens_on=today,
        closes_on=max(quarter.last_day, today + datetime.timedelta(days=21)),
        questionnaire=template,
        teams=list(teams.values()),
        sides=[Side.EMPLOYEE, Side.CLIENT],
        score_threshold=5,
        comment_threshold=10,
        reminder_days=[],  # no reminder e-mails going out by themselves
        live_results=True,  # the demo shows how live releases look
    )
    campaign = campaign_launch(campaign=campaign, today=today)
    featured = campaign.invitations.filter(
        team=teams[PREFIX + FEATURED], side=Side.EMPLOYEE, language="fr"
    ).order_by("email")[0]
    campaign.invitations.update(sent_count=1)
    token = invitation_token(featured)  # the link a reminder would carry too
    featured.sent_count = 1
    featured.save(update_fields=["link_key", "token_hash", "sent_count"])
    return campaign, featured, token


def _live_answers(rng, campaign, climate_of, *, quarter, skip):
    """Answers to the open campaign through `response_submit`, the respondents' own path.

    Each submission would queue a barometer refresh after the commit: the campaign's
    refreshes are held meanwhile (the seed computes every snapshot once, at its end)
    and let go after the commit. Returns the number of answers.
    """
    snapshot_refresh_hold(campaign_id=campaign.pk)
    questions = {(question.side, question.code): question for question in campaign.questions.all()}
    teams = {team.pk: team for team in campaign.teams.all()}
    submitted = 0
    invitations = campaign.invitations.exclude(pk=skip.pk)
    for invitation in invitations.order_by("team__code", "side", "email"):
        team = teams[invitation.team_id]
        if rng.random() >= LIVE_RATE[invitation.side]:
            continue
        values = answers_draw(
            rng,
            side=invitation.side,
            climate=climate_of[team.code.removeprefix(PREFIX)],
            quarter=quarter,
            language=invitation.language,
        )
        response_submit(
            campaign=campaign,
            team_id=team.pk,
            side=invitation.side,
            language=invitation.language,
            channel=Response.Channel.LINK,
            values={questions[(invitation.side, code)]: value for code, value in values.items()},
            invitation=invitation,
        )
        submitted += 1
    for unit in UNITS:
        if not unit.clients:
            continue
        team = next(team for team in teams.values() if team.code == PREFIX + unit.code)
        for _n in range(rng.randint(*LIVE_PUBLIC)):
            english = rng.random() < ENGLISH_CLIENTS.get(site_of(unit.code), 0.15)
            language = "en" if english else "fr"
            values = answers_draw(
                rng,
                side=Side.CLIENT,
                climate=climate_of[unit.code],
                quarter=quarter,
                language=language,
            )
            response_submit(
                campaign=campaign,
                team_id=team.pk,
                side=Side.CLIENT,
                language=language,
                channel=Response.Channel.PUBLIC,
                values={questions[(Side.CLIENT, code)]: value for code, value in values.items()},
            )
            submitted += 1
    # Registered after the answers' own callbacks, so it runs after them.
    transaction.on_commit(
        lambda: snapshot_refresh_pending_done(campaign_id=campaign.pk), robust=True
    )
    return submitted


@transaction.atomic
def demo_delete():
    """Delete the demo organisation: its campaigns (answers, invitations, snapshots),
    people, teams and the accounts at demo.symetrie.fr; return how many teams went.

    Raises DemoError, deleting nothing, when other data hang on it: a campaign that
    also covers other teams, or another team placed under a demo team.
    """
    demo_teams = Team.objects.filter(code__startswith=PREFIX)
    others = Team.objects.exclude(code__startswith=PREFIX)
    campaigns = demo_campaigns()
    mixed = campaigns.filter(
        Q(teams__in=others)
        | Q(pk__in=Response.objects.filter(team__in=others).values("campaign_id"))
        | Q(pk__in=Invitation.objects.filter(team__in=others).values("campaign_id"))
    ).first()
    if mixed is not None:
        raise DemoError(
            f"The campaign {mixed.slug} covers demo teams and other teams: "
            "delete it (or take the demo teams out of it) first."
        )
    below = others.filter(parent__in=demo_teams).first()
    if below is not None:
        raise DemoError(f"The team {below.code} is under a demo team: move it first.")
    ids = list(campaigns.values_list("pk", flat=True))
    # Leaves first: the biggest tables go in plain DELETEs, without collecting rows.
    Answer.objects.filter(question__in=CampaignQuestion.objects.filter(campaign__in=ids)).delete()
    Response.objects.filter(campaign__in=ids).delete()
    Campaign.objects.filter(pk__in=ids).delete()
    Person.objects.filter(team__in=demo_teams).delete()
    parents = dict(demo_teams.values_list("pk", "parent_id"))
    depth = {}
    for pk in parents:
        step, up = 0, parents[pk]
        while up in parents:
            step, up = step + 1, parents[up]
        depth[pk] = step
    # Deepest first: a team's parent is protected while it has children.
    for level in sorted(set(depth.values()), reverse=True):
        Team.objects.filter(pk__in=[pk for pk, d in depth.items() if d == level]).delete()
    get_user_model().objects.filter(
        username__iendswith=f"@{DOMAIN}", is_superuser=False, is_staff=False
    ).delete()
    return len(parents)
