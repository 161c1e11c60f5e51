"""The demo's answer model: pure draws, no database, the two sides genuinely linked."""

import random
import statistics
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from demo.comments import COMMENTS
from demo.model import answers_draw, climates, responses_draw
from demo.organisation import CLIENT, EMPLOYEE, SIDES, UNITS, people_by_team, plan_draw
from surveys.builtin_template import MIRRORED_CODES

QUARTERS = 5
FACING_CLIENTS = [unit.code for unit in UNITS if unit.employees and unit.clients]


def team_means(rng, climate_of, side, *, quarter=3, answers=60):
    """Each client-facing team's mean `recommend` over many respondents of one side."""
    return [
        statistics.fmean(
            answers_draw(rng, side=side, climate=climate_of[code], quarter=quarter, language="fr")[
                "recommend"
            ]
            for _n in range(answers)
        )
        for code in FACING_CLIENTS
    ]


@pytest.mark.parametrize("seed", range(8))
def test_a_teams_employee_and_client_scores_are_correlated_but_not_perfectly(seed):
    rng = random.Random(seed)
    climate_of = climates(rng, QUARTERS)

    employees = team_means(rng, climate_of, EMPLOYEE)
    clients = team_means(rng, climate_of, CLIENT)

    assert 0.3 < statistics.correlation(employees, clients) < 0.95


def test_clients_follow_the_staffs_climate_of_the_quarter_before_too():
    """Over many organisations, what clients feel beyond this quarter's climate of the
    staff tracks the staff's climate of the quarter before."""
    lagged, current = [], []
    for seed in range(40):
        climate_of = climates(random.Random(seed), QUARTERS)
        for code in FACING_CLIENTS:
            climate = climate_of[code]
            for quarter in range(1, QUARTERS):
                lagged.append(climate.employee[quarter - 1])
                current.append(climate.client[quarter] - 0.45 * climate.employee[quarter])
    assert statistics.correlation(lagged, current) > 0.2


@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    side=st.sampled_from(SIDES),
    language=st.sampled_from(["fr", "en"]),
    quarter=st.integers(min_value=0, max_value=QUARTERS - 1),
)
def test_every_answer_is_in_its_questions_range(seed, side, language, quarter):
    rng = random.Random(seed)
    climate_of = climates(rng, QUARTERS)
    for climate in climate_of.values():
        values = answers_draw(rng, side=side, climate=climate, quarter=quarter, language=language)
        assert set(values) <= {"recommend", "perceived_other", "comment", *MIRRORED_CODES}
        assert set(MIRRORED_CODES) <= set(values)
        assert values["recommend"] in range(11)
        assert values["perceived_other"] in range(1, 6)
        assert all(values[code] in range(6) for code in MIRRORED_CODES)  # 0: don't know
        comment = values.get("comment")
        if comment is not None:
            assert any(sentence in comment for sentence in COMMENTS[(side, language, True)]) or any(
                sentence in comment for sentence in COMMENTS[(side, language, False)]
            )


def test_clients_say_dont_know_more_often_about_how_a_team_works_inside():
    rng = random.Random(3)
    climate = climates(rng, QUARTERS)[FACING_CLIENTS[0]]

    def share(side):
        draws = [
            answers_draw(rng, side=side, climate=climate, quarter=0, language="fr")
            for _n in range(2000)
        ]
        # `values` is the dimension (valeurs) clients can least judge from outside.
        return sum(draw["values"] == 0 for draw in draws) / len(draws)

    assert share(CLIENT) > share(EMPLOYEE) + 0.1


def test_the_same_seed_draws_the_same_organisation_and_answers():
    def draw(seed):
        rng = random.Random(seed)
        plan = plan_draw(rng, scale=0.35)
        climate_of = climates(rng, QUARTERS)
        return plan, responses_draw(
            rng, people=people_by_team(plan), climate_of=climate_of, quarter=2
        )

    assert draw(14) == draw(14)
    assert draw(14) != draw(15)


def test_a_closed_quarter_gets_answers_from_a_plausible_share_of_each_side():
    rng = random.Random(14)
    plan = plan_draw(rng)
    people = people_by_team(plan)
    drawn = responses_draw(rng, people=people, climate_of=climates(rng, QUARTERS), quarter=0)

    for side, low, high in ((EMPLOYEE, 0.5, 0.8), (CLIENT, 0.25, 0.5)):
        invited = sum(len(languages) for (_code, s), languages in people.items() if s == side)
        answered = sum(1 for s, *_rest in drawn if s == side)
        assert low < answered / invited < high


def test_the_pure_modules_run_without_django():
    code = (
        "import sys, demo.model, demo.organisation, demo.comments;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert found.stdout.strip() == "[]"
