"""The answer model of the demo: answers drawn so that the two sides are genuinely linked.

- each team has a latent employee climate per quarter, a random walk (with a drift
  for the teams that have a story: one improving, one declining);
- its clients' latent satisfaction follows the climate of the same quarter and,
  partly, of the previous one, plus a persistent team effect and noise;
- every respondent adds a personal mood; each answer adds its own noise and a
  per-dimension offset; "don't know" is likelier where a side cannot judge.

Pure: no Django import, no database; every draw comes from the `random.Random` given.
"""

import random
from dataclasses import dataclass

from demo.comments import COMMENTS
from demo.organisation import CLIENT, EMPLOYEE, SIDES, UNITS
from surveys.builtin_template import MIRRORED_CODES

# A respondent's answers by question code: an integer (0 on a 1–5 item: "don't know")
# or, for the comment, a text.
Answers = dict[str, int | str]

# Per side: the level every dimension starts from, and each dimension's offset.
LIKERT_BASE = {EMPLOYEE: 0.3, CLIENT: 0.75}
OFFSETS = {
    EMPLOYEE: dict(
        zip(
            MIRRORED_CODES,
            (0.1, 0.2, 0.4, -0.3, -0.35, 0.3, -0.1, 0.0, -0.45, 0.1, 0.2),
            strict=True,
        )
    ),
    CLIENT: dict(
        zip(
            MIRRORED_CODES,
            (0.0, 0.3, 0.55, 0.1, 0.15, 0.05, -0.2, 0.2, -0.25, 0.25, 0.0),
            strict=True,
        )
    ),
}
# "Don't know": clients cannot always judge how a team works inside.
DONT_KNOW: dict[str, dict[str, float]] = {
    EMPLOYEE: {"environment": 0.06, "human_digital": 0.04},
    CLIENT: {
        "autonomy": 0.15,
        "cooperation": 0.18,
        "values": 0.2,
        "environment": 0.22,
        "human_digital": 0.1,
    },
}
DONT_KNOW_ELSEWHERE = {EMPLOYEE: 0.02, CLIENT: 0.04}
# How clients follow the staff's climate: the same quarter, the quarter before, plus a
# persistent team effect (location, clientele) and noise.
CLIENT_NOW, CLIENT_LAGGED = 0.45, 0.3
CLIENT_TEAM_SD, CLIENT_NOISE_SD = 0.3, 0.25
LIKERT_CUTS = (-1.5, -0.6, 0.25, 1.35)  # latent → 1…5
RECOMMEND_CENTRE = {EMPLOYEE: 7.5, CLIENT: 8.3}
COMMENT_RATE = {EMPLOYEE: 0.32, CLIENT: 0.22}
RESPONSE_RATE = {EMPLOYEE: 0.66, CLIENT: 0.38}
# The open campaign, a few weeks in: shares already answered by personal link, and
# public-link answers per client-facing team.
LIVE_RATE = {EMPLOYEE: 0.4, CLIENT: 0.13}
LIVE_PUBLIC = (2, 7)


@dataclass
class Climate:
    """One team's latent levels, one value per quarter (oldest first)."""

    employee: list[float]
    client: list[float]
    offsets: dict[tuple[str, str], float]  # (side, dimension) → persistent team offset


def climates(rng: random.Random, quarters: int) -> dict[str, Climate]:
    """Latent levels of every team with employees, by unit code, over `quarters` quarters
    (the teams without employees, the parents, have no climate of their own)."""
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
        offsets = {(side, code): rng.gauss(0, 0.2) for side in SIDES for code in MIRRORED_CODES}
        found[unit.code] = Climate(employee=walk[1:], client=clients, offsets=offsets)
    return found


def _likert(latent: float) -> int:
    return 1 + sum(latent > cut for cut in LIKERT_CUTS)


def answers_draw(
    rng: random.Random, *, side: str, climate: Climate, quarter: int, language: str
) -> Answers:
    """One respondent's answers: {question code: int or text}. 0 on a 1–5 item is
    "don't know"; the comment is there about one time in four."""
    own = climate.employee[quarter] if side == EMPLOYEE else climate.client[quarter]
    mood = rng.gauss(0, 1)
    level = own + 0.9 * mood
    values: Answers = {
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
        if side == EMPLOYEE
        else 0.4 * own + 0.6 * climate.employee[quarter]
    )
    values["perceived_other"] = _likert(seen + 0.3 + 0.6 * mood + rng.gauss(0, 0.8))
    if rng.random() < COMMENT_RATE[side]:
        values["comment"] = comment_draw(
            rng, side=side, language=language, positive=level + rng.gauss(0, 0.5) > 0.1
        )
    return values


def comment_draw(rng: random.Random, *, side: str, language: str, positive: bool) -> str:
    """One or two sentences of the comment bank, all in one tone."""
    bank = COMMENTS[(side, language, positive)]
    count = 2 if rng.random() < 0.3 else 1
    return " ".join(rng.sample(bank, count))


def _binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(rng.random() < p for _ in range(n))


def responses_draw(
    rng: random.Random,
    *,
    people: dict[tuple[str, str], list[str]],
    climate_of: dict[str, Climate],
    quarter: int,
) -> list[tuple[str, str, str, Answers]]:
    """A closed quarter's responses: (side, team code, language, answers), by team and side.

    `people` is `people_by_team`'s mapping. Happier teams answer a little more; who
    answers is drawn among the team's people.
    """
    drawn = []
    for (code, side), languages in people.items():
        climate = climate_of[code]
        own = climate.employee[quarter] if side == EMPLOYEE else climate.client[quarter]
        rate = min(0.92, max(0.2, RESPONSE_RATE[side] + 0.08 * own + rng.gauss(0, 0.05)))
        for language in rng.sample(languages, _binomial(rng, len(languages), rate)):
            values = answers_draw(
                rng, side=side, climate=climate, quarter=quarter, language=language
            )
            drawn.append((side, code, language, values))
    return drawn
