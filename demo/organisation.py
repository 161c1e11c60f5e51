"""The demo organisation of `manage.py seed_demo`: a hotel chain, "Hôtels Lumière".

Five hotels and a head office, about forty teams on three levels, managers with a
known password, employees and client contacts, four closed quarterly barometers and
the current quarter's one open: who is who, drawn before anything is written.

Demo data are marked: team codes start with `demo-`, campaign slugs with `demo-`,
accounts and people use addresses at demo.symetrie.fr. Nothing else is touched.

Plain data and pure functions, with no Django import, like the answer model.
"""

import calendar
import datetime
import random
import re
import unicodedata
from dataclasses import dataclass, field

# The two sides, spelt as the values of surveys' `Side` (a str enum, so either spelling
# finds the same dictionary entries): importing the model would import Django.
EMPLOYEE, CLIENT = "employee", "client"
SIDES = (EMPLOYEE, CLIENT)

DOMAIN = "demo.symetrie.fr"
CLIENT_DOMAIN = f"clients.{DOMAIN}"
PREFIX = "demo-"
DEMO_HR = (f"rh@{DOMAIN}", "demo-rh-2026")
MANAGER_PASSWORD = "demo-lumiere-2026"  # noqa: S105 — printed for everyone: a demo
ORGANISATION = "Hôtels Lumière"
SMALL_SCALE = 0.35  # --small: people per team, for tests
FEATURED = "lyon-bar"  # the team whose manager, personal link and public link are printed
SITE = "lyon"


# --- the tree ---------------------------------------------------------------------------


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


# --- quarters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def slug(self) -> str:
        return f"{PREFIX}{self.year}-t{self.number}"

    @property
    def name(self) -> str:
        return f"Baromètre Lumière T{self.number} {self.year}"

    @property
    def last_day(self) -> datetime.date:
        month = 3 * self.number
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def close_day(self) -> datetime.date:
        """Past barometers closed on the 20th of the quarter's last month."""
        return datetime.date(self.year, 3 * self.number, 20)

    def shifted(self, quarters: int) -> "Quarter":
        index = self.year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)


def quarters_for(today: datetime.date) -> list[Quarter]:
    """The four closed quarters before `today`'s (oldest first), then today's."""
    current = Quarter(today.year, (today.month - 1) // 3 + 1)
    return [current.shifted(n) for n in (-4, -3, -2, -1, 0)]


# --- people -----------------------------------------------------------------------------


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower())


@dataclass
class Roster:
    """Who is who: names drawn without repeating an address."""

    rng: random.Random
    taken: set[str] = field(default_factory=set)

    def draw(self, domain: str, english: bool = False) -> tuple[str, str]:
        """(name, e-mail) of someone new at `domain`."""
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


def site_of(code: str) -> str:
    """The site (hotel or head office) a team code belongs to."""
    return code.split("-")[0]


# (side, e-mail, team code, name, language)
PlannedPerson = tuple[str, str, str, str, str]


@dataclass
class Plan:
    """Everything the seed writes, drawn before any write."""

    managers: dict[str, tuple[str, str]]  # team code → (name, e-mail)
    people: list[PlannedPerson]


def plan_draw(rng: random.Random, *, scale: float = 1.0) -> Plan:
    """Draw the managers and the people of the organisation (no database access)."""
    roster = Roster(rng)
    managers = {unit.code: roster.draw(DOMAIN) for unit in UNITS}
    people: list[PlannedPerson] = []
    for unit in UNITS:
        for side, size in ((EMPLOYEE, unit.employees), (CLIENT, unit.clients)):
            # Small teams stay small: that is what shows suppression.
            size = size if size < 10 else max(10, round(size * scale))
            english_share = (
                ENGLISH_EMPLOYEES
                if side == EMPLOYEE
                else ENGLISH_CLIENTS.get(site_of(unit.code), 0.15)
            )
            for _n in range(size):
                english = rng.random() < english_share
                domain = DOMAIN if side == EMPLOYEE else CLIENT_DOMAIN
                name, email = roster.draw(domain, english=english)
                people.append((side, email, unit.code, name, "en" if english else "fr"))
    return Plan(managers=managers, people=people)


def people_by_team(plan: Plan) -> dict[tuple[str, str], list[str]]:
    """{(team code, side): [language of each person]} in the plan's order."""
    found: dict[tuple[str, str], list[str]] = {}
    for side, _email, code, _name, language in plan.people:
        found.setdefault((code, side), []).append(language)
    return found
