"""The demo's organisation: its tree, its people and its quarters, drawn without a database."""

import datetime
import random

import pytest

from demo.organisation import (
    CLIENT,
    DOMAIN,
    EMPLOYEE,
    PREFIX,
    SIDES,
    UNITS,
    plan_draw,
    quarters_for,
)
from surveys.models import Side


def test_the_pure_side_names_are_the_models_side_values():
    assert set(SIDES) == set(Side.values)
    assert {Side.EMPLOYEE: 1}[EMPLOYEE] == 1 and {CLIENT: 1}[Side.CLIENT] == 1


def test_the_tree_has_three_levels_and_parents_come_first():
    seen, depth = set(), {}
    for unit in UNITS:
        assert unit.parent is None or unit.parent in seen, unit.code
        depth[unit.code] = 0 if unit.parent is None else depth[unit.parent] + 1
        seen.add(unit.code)
    assert set(depth.values()) == {0, 1, 2}
    assert len(seen) == len(UNITS)


def test_every_team_gets_a_manager_and_every_address_is_unique_and_at_the_demo_domain():
    plan = plan_draw(random.Random(14))
    assert set(plan.managers) == {unit.code for unit in UNITS}
    emails = [email for _name, email in plan.managers.values()] + [
        email for _side, email, *_rest in plan.people
    ]
    assert len(emails) == len(set(emails))
    assert all(email.endswith(DOMAIN) for email in emails)


def test_a_small_plan_keeps_the_small_teams_whole():
    plan = plan_draw(random.Random(14), scale=0.35)
    sizes = {}
    for side, _email, code, _name, _language in plan.people:
        sizes[(code, side)] = sizes.get((code, side), 0) + 1
    for unit in UNITS:
        for side, size in ((EMPLOYEE, unit.employees), (CLIENT, unit.clients)):
            expected = size if size < 10 else max(10, round(size * 0.35))
            assert sizes.get((unit.code, side), 0) == expected


@pytest.mark.parametrize(
    ("today", "slugs"),
    [
        (datetime.date(2026, 11, 22), ["2025-t4", "2026-t1", "2026-t2", "2026-t3", "2026-t4"]),
        (datetime.date(2027, 1, 1), ["2026-t1", "2026-t2", "2026-t3", "2026-t4", "2027-t1"]),
        (datetime.date(2026, 3, 31), ["2025-t1", "2025-t2", "2025-t3", "2025-t4", "2026-t1"]),
    ],
)
def test_the_quarters_are_the_four_before_today_and_today(today, slugs):
    quarters = quarters_for(today)
    assert [quarter.slug for quarter in quarters] == [PREFIX + slug for slug in slugs]
    assert all(quarter.close_day < today for quarter in quarters[:4])
    assert quarters[4].last_day >= today
