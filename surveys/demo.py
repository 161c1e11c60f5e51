"""The demo organisation of `manage.py seed_demo`: a hotel chain, "Hôtels Lumière".

Five hotels and a head office, about forty teams on three levels, managers with a
known password, employees and client contacts, four closed quarterly barometers and
the current quarter's one open. Everything goes through the app's own services
(team and people imports, the history import, campaign launch, `response_submit`,
`snapshot_compute`); the answers come from a small model where the two sides are
genuinely linked:

- each team has a latent employee climate per quarter, a random walk (with a drift
  for the teams that have a story: one improving, one declining);
- its clients' latent satisfaction follows the climate of the same quarter and,
  partly, of the previous one, plus a persistent team effect and noise;
- every respondent adds a personal mood; each answer adds its own noise and a
  per-dimension offset; "don't know" is likelier where a side cannot judge.

Demo data are marked: team codes start with `demo-`, campaign slugs with `demo-`,
accounts and people use addresses at demo.symetrie.fr. Nothing else is touched.
"""

import calendar
import datetime
import logging
import random
import re
import time
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from barometer.refresh import PENDING_KEY, PENDING_TTL
from barometer.services import snapshot_compute
from surveys.access import HR_GROUP
from surveys.answering.store import response_submit
from surveys.builtin_template import MIRRORED_CODES
from surveys.history import responses_import
from surveys.imports import people_import_apply, teams_import_apply
from surveys.links import invitation_url, new_invitation_token, public_link_url
from surveys.models import (
    Answer,
    Campaign,
    CampaignQuestion,
    Invitation,
    Person,
    PublicLink,
    Response,
    Side,
    Team,
    hash_token,
)
from surveys.questionnaires import questionnaire_install_builtin
from surveys.services import campaign_create, campaign_launch
from surveys.tabular import Table

logger = logging.getLogger(__name__)

# Any seed gives a plausible organisation; this one, picked among the first hundred,
# gives every closed quarter an eNPS ↔ NPS correlation between 0.4 and 0.7 and tells
# the stories built into UNITS clearly.
SEED = 14
DOMAIN = "demo.symetrie.fr"
CLIENT_DOMAIN = f"clients.{DOMAIN}"
PREFIX = "demo-"
DEMO_HR = (f"rh@{DOMAIN}", "demo-rh-2026")
MANAGER_PASSWORD = "demo-lumiere-2026"  # noqa: S105 — printed for everyone: a demo
ORGANISATION = "Hôtels Lumière"
SMALL_SCALE = 0.35  # --small: people per team, for tests


class DemoError(Exception):
    """The demo cannot be reset without touching other data; nothing was changed."""


# --- the organisation -----------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A team of the demo tree. `climate`, `trend` and `client_bias` steer the model."""

    code: str
    name: str
    parent: str | None = None
    employees: int = 0
    clients: int = 0
    climate: float = 0.0  # the employees' starting climate, about −1 … 1
    trend: float = 0.0  # its drift per quarter
    client_bias: float = 0.0  # what clients feel beyond the staff's climate


UNITS = (
    Unit("lyon", "Lyon Confluence"),
    Unit("lyon-reception", "Réception", "lyon"),
    Unit("lyon-reception-jour", "Réception de jour", "lyon-reception", 36, 230, 0.3),
    Unit("lyon-reception-nuit", "Réception de nuit", "lyon-reception", 4, 45, 0.1),
    Unit("lyon-conciergerie", "Conciergerie", "lyon-reception", 7, 60, 0.6),
    Unit("lyon-restauration", "Restauration", "lyon"),
    Unit("lyon-restaurant", "Restaurant La Verrière", "lyon-restauration", 60, 180, 0.2),
    Unit("lyon-bar", "Bar Le Zinc", "lyon-restauration", 22, 100, 1.0, client_bias=-1.0),
    Unit("lyon-cuisine", "Cuisine", "lyon-restauration", 55, 0, -0.2),
    Unit("lyon-etages", "Étages", "lyon"),
    Unit("lyon-etages-saone", "Étages aile Saône", "lyon-etages", 85, 90, -0.3),
    Unit("lyon-etages-rhone", "Étages aile Rhône", "lyon-etages", 80, 85, 0.2),
    Unit("lyon-spa", "Spa", "lyon", 26, 80, 0.8),
    Unit("bordeaux", "Bordeaux Chartrons"),
    Unit("bordeaux-reception", "Réception", "bordeaux", 36, 180, 0.1),
    Unit("bordeaux-restaurant", "Restaurant Le Comptoir", "bordeaux", 52, 150, -0.4),
    Unit("bordeaux-cuisine", "Cuisine", "bordeaux", 42, 0, -0.6),
    Unit("bordeaux-etages", "Étages", "bordeaux", 90, 100, -0.1),
    Unit("bordeaux-seminaires", "Séminaires et événements", "bordeaux", 22, 60, 0.5),
    Unit("lille", "Lille Grand-Place"),
    Unit("lille-reception", "Réception", "lille", 32, 160, 0.4),
    Unit("lille-petit-dejeuner", "Petit-déjeuner et bar", "lille", 28, 110, 0.0),
    Unit("lille-etages", "Étages", "lille", 70, 90, 0.9, trend=-0.45),
    Unit("lille-maintenance", "Maintenance", "lille", 9, 0, -0.3),
    Unit("nantes", "Nantes Île de Nantes"),
    Unit("nantes-accueil", "Accueil", "nantes"),
    Unit("nantes-reception", "Réception", "nantes-accueil", 30, 150, 0.2),
    Unit("nantes-bagagerie", "Voiturier et bagagerie", "nantes-accueil", 4, 30, 0.3),
    Unit("nantes-restaurant", "Restaurant L’Estuaire", "nantes", 48, 140, -1.0, trend=0.5),
    Unit("nantes-etages", "Étages", "nantes", 66, 80, 0.0),
    Unit("nice", "Nice Promenade"),
    Unit("nice-reception", "Réception", "nice", 36, 200, 0.3),
    Unit("nice-plage", "Plage et piscine", "nice", 30, 130, 0.9),
    Unit("nice-restaurant", "Restaurant Les Pins", "nice", 55, 160, 0.1),
    Unit("nice-etages", "Étages", "nice", 80, 85, -0.5),
    Unit("siege", "Siège (Paris)"),
    Unit("siege-reservations", "Réservations et relation client", "siege"),
    Unit("siege-centre-appels", "Centre de réservation", "siege-reservations", 150, 210, -0.7),
    Unit("siege-service-client", "Service client", "siege-reservations", 38, 110, -0.2),
    Unit("siege-ventes", "Ventes entreprises", "siege", 12, 10, 0.4),
    Unit("siege-support", "Fonctions support", "siege"),
    Unit("siege-finance", "Finance", "siege-support", 36, 0, 0.1),
    Unit("siege-informatique", "Informatique", "siege-support", 42, 0, -0.1),
)
# Share of English-speaking client contacts per site (employees: 6 % everywhere).
ENGLISH_CLIENTS = {"lyon": 0.2, "bordeaux": 0.2, "lille": 0.3, "nantes": 0.1, "nice": 0.45}
ENGLISH_EMPLOYEES = 0.06

FIRST_FR = (
    "Camille Léa Manon Chloé Inès Sarah Julie Clara Emma Lucie Anaïs Pauline Marion Élodie "
    "Nadia Sophie Claire Aurélie Fatou Amira Thomas Lucas Hugo Nicolas Julien Antoine "
    "Maxime Karim Romain Mathieu Yanis Olivier Pierre Théo Baptiste Mehdi Sébastien Loïc "
    "Rachid Vincent"
).split()
LAST_FR = (
    "Martin Bernard Dubois Durand Lefebvre Moreau Laurent Simon Michel Garcia Roux Fournier "
    "Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Faure Blanc Guerin Boyer "
    "Chevalier Robin Gauthier Perrin Morel Mercier Benali Nguyen Diallo Haddad Le-Gall "
    "Marchand Picard Renaud Barbier Lemoine"
).split()
FIRST_EN = (
    "Oliver Amelia George Isla Harry Ava Jack Emily Noah Grace James Sophie William Chloe "
    "Daniel Hannah Ethan Megan Liam Olivia"
).split()
LAST_EN = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Evans Walker Wright Thompson "
    "Hughes Green Hall Clarke Murphy O-Brien Kelly Baker"
).split()


# --- the answer model -------------------------------------------------------------------

# Per side: the level every dimension starts from, and each dimension's offset.
LIKERT_BASE = {Side.EMPLOYEE: 0.3, Side.CLIENT: 0.75}
OFFSETS = {
    Side.EMPLOYEE: dict(
        zip(
            MIRRORED_CODES,
            (0.1, 0.2, 0.4, -0.3, -0.35, 0.3, -0.1, 0.0, -0.45, 0.1, 0.2),
            strict=True,
        )
    ),
    Side.CLIENT: dict(
        zip(
            MIRRORED_CODES,
            (0.0, 0.3, 0.55, 0.1, 0.15, 0.05, -0.2, 0.2, -0.25, 0.25, 0.0),
            strict=True,
        )
    ),
}
# "Don't know": clients cannot always judge how a team works inside.
DONT_KNOW = {
    Side.EMPLOYEE: {"environment": 0.06, "human_digital": 0.04},
    Side.CLIENT: {
        "autonomy": 0.15,
        "cooperation": 0.18,
        "values": 0.2,
        "environment": 0.22,
        "human_digital": 0.1,
    },
}
DONT_KNOW_ELSEWHERE = {Side.EMPLOYEE: 0.02, Side.CLIENT: 0.04}
# How clients follow the staff's climate: the same quarter, the quarter before, plus a
# persistent team effect (location, clientele) and noise.
CLIENT_NOW, CLIENT_LAGGED = 0.45, 0.3
CLIENT_TEAM_SD, CLIENT_NOISE_SD = 0.3, 0.25
LIKERT_CUTS = (-1.5, -0.6, 0.25, 1.35)  # latent → 1…5
RECOMMEND_CENTRE = {Side.EMPLOYEE: 7.5, Side.CLIENT: 8.3}
COMMENT_RATE = {Side.EMPLOYEE: 0.32, Side.CLIENT: 0.22}
RESPONSE_RATE = {Side.EMPLOYEE: 0.66, Side.CLIENT: 0.38}
# The open campaign, a few weeks in: shares already answered by personal link, and
# public-link answers per client-facing team.
LIVE_RATE = {Side.EMPLOYEE: 0.4, Side.CLIENT: 0.13}
LIVE_PUBLIC = (2, 7)


@dataclass
class Climate:
    """One team's latent levels, one value per quarter (oldest first)."""

    employee: list
    client: list
    offsets: dict  # (side, dimension) → persistent team offset


def climates(rng, quarters):
    """Latent levels of every team with people, by code, over `quarters` quarters."""
    found = {}
    for unit in UNITS:
        if not unit.employees:
            continue
        walk = [unit.climate + rng.gauss(0, 0.3) - unit.trend]  # the quarter before, for the lag
        for quarter in range(quarters):
            # A story's trend runs through the closed quarters, then levels off.
            trend = unit.trend if quarter < quarters - 1 else 0.0
            walk.append(walk[-1] + trend + rng.gauss(0, 0.2))
        persistent = unit.client_bias + rng.gauss(0, CLIENT_TEAM_SD)
        clients = [
            persistent
            + CLIENT_NOW * walk[q + 1]
            + CLIENT_LAGGED * walk[q]
            + rng.gauss(0, CLIENT_NOISE_SD)
            for q in range(quarters)
        ]
        offsets = {
            (side, code): rng.gauss(0, 0.2) for side in Side.values for code in MIRRORED_CODES
        }
        found[unit.code] = Climate(employee=walk[1:], client=clients, offsets=offsets)
    return found


def _likert(latent):
    return 1 + sum(latent > cut for cut in LIKERT_CUTS)


def answers_draw(rng, *, side, climate, quarter, language):
    """One respondent's answers: {question code: int or text}. 0 on a 1–5 item is
    "don't know"; the comment is there about one time in four."""
    own = climate.employee[quarter] if side == Side.EMPLOYEE else climate.client[quarter]
    mood = rng.gauss(0, 1)
    level = own + 0.9 * mood
    values = {
        "recommend": min(
            10, max(0, round(RECOMMEND_CENTRE[side] + 1.5 * level + rng.gauss(0, 0.8)))
        )
    }
    for code in MIRRORED_CODES:
        if rng.random() < DONT_KNOW[side].get(code, DONT_KNOW_ELSEWHERE[side]):
            values[code] = 0
            continue
        latent = own + LIKERT_BASE[side] + OFFSETS[side][code] + climate.offsets[(side, code)]
        values[code] = _likert(latent + 0.8 * mood + rng.gauss(0, 0.75))
    # Each side judges the other: employees how clients are served, clients how the
    # staff seem to be treated.
    seen = (
        0.5 * own + 0.5 * climate.client[quarter]
        if side == Side.EMPLOYEE
        else 0.4 * own + 0.6 * climate.employee[quarter]
    )
    values["perceived_other"] = _likert(seen + 0.3 + 0.6 * mood + rng.gauss(0, 0.8))
    if rng.random() < COMMENT_RATE[side]:
        values["comment"] = comment_draw(
            rng, side=side, language=language, positive=level + rng.gauss(0, 0.5) > 0.1
        )
    return values


def comment_draw(rng, *, side, language, positive):
    """One or two sentences of the comment bank, all in one tone."""
    bank = COMMENTS[(side, language, positive)]
    count = 2 if rng.random() < 0.3 else 1
    return " ".join(rng.sample(bank, count))


def _binomial(rng, n, p):
    return sum(rng.random() < p for _ in range(n))


# --- quarters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def slug(self):
        return f"{PREFIX}{self.year}-t{self.number}"

    @property
    def name(self):
        return f"Baromètre Lumière T{self.number} {self.year}"

    @property
    def last_day(self):
        month = 3 * self.number
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def close_day(self):
        """Past barometers closed on the 20th of the quarter's last month."""
        return datetime.date(self.year, 3 * self.number, 20)

    def shifted(self, quarters):
        index = self.year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)


def quarters_for(today):
    """The four closed quarters before `today`'s (oldest first), then today's."""
    current = Quarter(today.year, (today.month - 1) // 3 + 1)
    return [current.shifted(n) for n in (-4, -3, -2, -1, 0)]


# --- people -----------------------------------------------------------------------------


def _ascii(text):
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower())


@dataclass
class Roster:
    """Who is who: names drawn without repeating an address."""

    rng: random.Random
    taken: set = field(default_factory=set)

    def draw(self, domain, english=False):
        first = self.rng.choice(FIRST_EN if english else FIRST_FR)
        last = self.rng.choice(LAST_EN if english else LAST_FR).replace("-", " ")
        if english:
            last = last.replace("O ", "O’")
        base = f"{_ascii(first)}.{_ascii(last)}"
        email, number = f"{base}@{domain}", 1
        while email in self.taken:
            number += 1
            email = f"{base}{number}@{domain}"
        self.taken.add(email)
        return f"{first} {last}", email


def _site(code):
    return code.split("-")[0]


@dataclass
class Plan:
    """Everything the seed writes, drawn before any write."""

    managers: dict  # team code → (name, e-mail)
    people: list  # (side, e-mail, team code, name, language)


def plan_draw(rng, *, scale=1.0):
    """Draw the managers and the people of the organisation (no database access)."""
    roster = Roster(rng)
    managers = {unit.code: roster.draw(DOMAIN) for unit in UNITS}
    people = []
    for unit in UNITS:
        for side, size in ((Side.EMPLOYEE, unit.employees), (Side.CLIENT, unit.clients)):
            # Small teams stay small: that is what shows suppression.
            size = size if size < 10 else max(10, round(size * scale))
            english_share = (
                ENGLISH_EMPLOYEES
                if side == Side.EMPLOYEE
                else ENGLISH_CLIENTS.get(_site(unit.code), 0.15)
            )
            for _n in range(size):
                english = rng.random() < english_share
                domain = DOMAIN if side == Side.EMPLOYEE else CLIENT_DOMAIN
                name, email = roster.draw(domain, english=english)
                people.append((side, email, unit.code, name, "en" if english else "fr"))
    return Plan(managers=managers, people=people)


def responses_draw(rng, *, people, climate_of, quarter):
    """A closed quarter's responses: (side, team code, language, answers), by team and side.

    Happier teams answer a little more; who answers is drawn among the team's people.
    """
    drawn = []
    for (code, side), languages in people.items():
        climate = climate_of[code]
        own = climate.employee[quarter] if side == Side.EMPLOYEE else climate.client[quarter]
        rate = min(0.92, max(0.2, RESPONSE_RATE[side] + 0.08 * own + rng.gauss(0, 0.05)))
        for language in rng.sample(languages, _binomial(rng, len(languages), rate)):
            values = answers_draw(
                rng, side=side, climate=climate, quarter=quarter, language=language
            )
            drawn.append((side, code, language, values))
    return drawn


def people_by_team(plan):
    """{(team code, side): [language of each person]} in the plan's order."""
    found = {}
    for side, _email, code, _name, language in plan.people:
        found.setdefault((code, side), []).append(language)
    return found


# --- writing it -------------------------------------------------------------------------

FEATURED = "lyon-bar"  # the team whose manager, personal link and public link are printed
SITE = "lyon"


@dataclass
class Seeded:
    """What `demo_seed` made, for the summary it prints."""

    teams: int
    employees: int
    clients: int
    campaigns: list  # Campaign rows, oldest first, the open one last
    personal_link: str
    seconds: float = 0.0


def demo_exists():
    """True when the demo organisation is in the database."""
    return Team.objects.filter(code__startswith=PREFIX).exists()


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
        hr_account_ensure()
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
    token = new_invitation_token()
    featured.token_hash = hash_token(token)
    featured.sent_count = 1
    featured.save(update_fields=["token_hash", "sent_count"])
    return campaign, featured, token


def _live_answers(rng, campaign, climate_of, *, quarter, skip):
    """Answers to the open campaign through `response_submit`, the respondents' own path.

    Each submission queues a barometer refresh after the commit; the pending mark of
    the coalescing refresh is held meanwhile (the snapshot is computed once, at the
    end of the seed) and released after the commit. Returns the number of answers.
    """
    key = PENDING_KEY.format(campaign.pk)
    try:
        cache.set(key, 1, timeout=PENDING_TTL)
    except Exception:
        # A shared cache that is down: each answer then leaves its refresh to the sweep.
        logger.warning("cache unavailable: the demo answers queue no refresh", exc_info=True)
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
            english = rng.random() < ENGLISH_CLIENTS.get(_site(unit.code), 0.15)
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
    transaction.on_commit(lambda: cache.delete(key), robust=True)
    return submitted


# --- reading it back and deleting it ----------------------------------------------------


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


# --- the comment bank -------------------------------------------------------------------

COMMENTS = {
    (Side.EMPLOYEE, "fr", True): (
        "Bonne ambiance dans l’équipe, on s’entraide pendant les coups de feu.",
        "Ma responsable prend le temps d’écouter nos idées et en applique certaines.",
        "Les plannings sont connus trois semaines à l’avance : ça change la vie.",
        "Fier de travailler ici, les clients nous le rendent bien.",
        "La formation au nouveau logiciel de réservation était bien faite.",
        "On nous laisse de l’autonomie pour régler les petits soucis des clients.",
        "Le tri des déchets et la fin des bouteilles en plastique : enfin !",
        "Les points d’équipe du lundi sont courts et utiles.",
        "Je me sens respecté, y compris par la direction de l’hôtel.",
        "Bonne coopération avec la réception, les informations circulent bien.",
    ),
    (Side.EMPLOYEE, "fr", False): (
        "Trop de remplacements au dernier moment, on court toute la journée.",
        "On manque de personnel le week-end et personne ne semble s’en soucier.",
        "Les retours de la direction arrivent seulement quand ça ne va pas.",
        "Le matériel vieillit (chariots, aspirateurs) et les réparations traînent.",
        "Les consignes changent sans explication, difficile de suivre.",
        "Peu de reconnaissance pour les heures supplémentaires.",
        "La nouvelle application de planning est compliquée et personne ne nous a formés.",
        "Les équipes de jour et de nuit ne se parlent pas assez.",
        "J’aimerais avoir des perspectives d’évolution.",
        "Les pauses sont souvent écourtées à cause du rythme.",
    ),
    (Side.EMPLOYEE, "en", True): (
        "Great team spirit, everyone helps out when it gets busy.",
        "My manager listens and actually follows up on what we suggest.",
        "Rotas are published well in advance, which makes life much easier.",
        "I was given real training when I started, not just a handbook.",
        "Proud to work here; guests notice the effort we make.",
        "We are trusted to fix small guest issues without asking permission.",
        "Good cooperation with the other departments.",
        "I feel treated with respect, whatever my contract.",
    ),
    (Side.EMPLOYEE, "en", False): (
        "Too many last-minute shift changes.",
        "We are short-staffed at weekends and it shows.",
        "Feedback only comes when something goes wrong.",
        "Equipment is old and repairs take weeks.",
        "The new scheduling app is confusing and nobody explained it.",
        "Hard to get information in English from head office.",
        "Overtime is rarely recognised.",
        "Little chance of moving up here.",
    ),
    (Side.CLIENT, "fr", True): (
        "Accueil chaleureux, on nous appelait par notre nom dès le deuxième jour.",
        "Chambre impeccable et personnel aux petits soins.",
        "Le réceptionniste a trouvé une solution pour notre arrivée tardive, merci !",
        "Service attentionné au restaurant, conseils de vin parfaits.",
        "On sent une équipe qui travaille bien ensemble.",
        "Enregistrement rapide, et toujours un sourire.",
        "Très bonne organisation de notre séminaire, tout était prêt à l’heure.",
        "Le personnel semble heureux de travailler ici, ça se ressent.",
        "Merci pour l’attention à l’occasion de notre anniversaire de mariage.",
        "Bonne idée d’avoir supprimé les petites bouteilles en plastique.",
    ),
    (Side.CLIENT, "fr", False): (
        "Vingt minutes d’attente à la réception sans explication.",
        "Chambre pas prête à 16 h, et personne pour nous prévenir.",
        "Le personnel avait l’air débordé et stressé.",
        "Réclamation restée sans réponse après une semaine.",
        "Service lent au bar, commande oubliée deux fois.",
        "La borne d’enregistrement ne marchait pas et personne n’est venu aider.",
        "Informations contradictoires entre la réception et le restaurant.",
        "Le ménage n’a pas été fait le deuxième jour.",
        "Prix élevé pour un service qui n’était pas à la hauteur.",
        "Impossible de joindre le centre de réservation par téléphone.",
    ),
    (Side.CLIENT, "en", True): (
        "Warm welcome, and the staff remembered our names.",
        "Spotless room and very attentive housekeeping.",
        "The concierge sorted out our late arrival brilliantly.",
        "Lovely dinner; the waiter’s recommendations were spot on.",
        "Staff seem genuinely happy to work here, and it shows.",
        "Quick check-in with a smile.",
        "Everything for our conference was ready on time.",
        "They made our anniversary special, thank you!",
    ),
    (Side.CLIENT, "en", False): (
        "Waited twenty minutes at reception with no explanation.",
        "Room not ready at 4 pm and nobody let us know.",
        "Staff looked overworked and stressed.",
        "Slow service at the bar; our order was forgotten twice.",
        "My complaint is still unanswered after a week.",
        "The check-in kiosk was broken and no one came to help.",
        "Reception and the restaurant told us different things.",
        "Our room was not cleaned on the second day.",
    ),
}
