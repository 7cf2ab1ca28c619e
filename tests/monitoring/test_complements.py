"""Entered counts by mahalle (or any disaggregation) never give a withheld cell back by
subtraction: the headline minus the shown parts must not equal a small count (secondary
suppression, DESIGN.md §11), on the plan page, its data exports and for staff of another
municipality; the plan's own staff see every value."""

from __future__ import annotations

import csv
import io

from app.models import PeriodState, Role
from app.schemas.monitoring import ObservationCreate
from app.services.monitoring import indicators, periods
from app.services.suppression import withhold_complements
from tests.monitoring.support import YEAR, build_plan
from tests.support.factories import login, make_user

PLAN = "/api/v1/plans/YEEP-TEST"


def test_one_withheld_part_takes_the_smallest_other_with_it():
    t = ("g", 1)
    cells = [(t, {}, 20), (t, {"m": "a"}, 2), (t, {"m": "b"}, 8), (t, {"m": "c"}, 10)]
    assert withhold_complements(cells, {1}) == {2}
    # The only other part is 0: the 0 goes too (3 = 3 + 0 would give the withheld one away).
    assert withhold_complements([(t, {}, 3), (t, {"s": "f"}, 3), (t, {"s": "m"}, 0)], {1}) == {2}
    # A non-zero part goes before a zero one.
    zero = [(t, {}, 9), (t, {"m": "a"}, 3), (t, {"m": "b"}, 0), (t, {"m": "c"}, 6)]
    assert withhold_complements(zero, {1}) == {3}
    # Two withheld parts already hide each other; nothing more goes.
    assert withhold_complements([*cells, (t, {"m": "d"}, 3)], {1, 4}) == set()
    # Without an entered total nothing adds up to a secret.
    assert withhold_complements(cells[1:], {1 - 1}) == set()
    # Other tables (indicator, period) are separate.
    other = [((t[0], 2), {}, 20), ((t[0], 2), {"m": "a"}, 12), ((t[0], 2), {"m": "b"}, 8)]
    assert withhold_complements(cells + other, {1}) == {2}
    # Values that are not counts (None: a rate) are left as they are.
    rates = [(t, {}, None), (t, {"m": "a"}, 2), (t, {"m": "b"}, None)]
    assert withhold_complements(rates, {1}) == set()


def test_withheld_totals_and_two_keys_cascade():
    t = "g"
    # gender x age: the women's 18-24 cell is withheld; its row total (women) is shown, so the
    # smallest other women's cell goes; the column total (18-24) is shown too, so the men's
    # 18-24 cell goes as well.
    cells = [
        (t, {}, 40),
        (t, {"gender": "f"}, 22),
        (t, {"gender": "m"}, 18),
        (t, {"gender": "f", "age": "18-24"}, 3),
        (t, {"gender": "f", "age": "25+"}, 19),
        (t, {"gender": "m", "age": "18-24"}, 9),
        (t, {"gender": "m", "age": "25+"}, 9),
        (t, {"age": "18-24"}, 12),
        (t, {"age": "25+"}, 28),
    ]
    added = withhold_complements(cells, {3})
    assert {4, 5} <= added
    hidden = added | {3}
    # No shown total has exactly one hidden part left.
    for total, parts in (
        (1, [3, 4]),
        (2, [5, 6]),
        (7, [3, 5]),
        (8, [4, 6]),
        (0, [1, 2]),
        (0, [7, 8]),
    ):
        if total not in hidden:
            assert len([p for p in parts if p in hidden]) != 1, (total, parts, hidden)
    # A withheld total whose parts are all shown: the smallest part goes.
    assert withhold_complements([(t, {}, 9), (t, {"m": "a"}, 4), (t, {"m": "b"}, 5)], {0}) == {1}


def _enter(db, world, g2, disaggregation, value):
    body = ObservationCreate(period=str(YEAR), value=value, disaggregation=disaggregation)
    periods.enter_observation(db, world.reporter, world.plan, g2, body)


def _g2_values(detail) -> dict[str, float | None]:
    def walk(nodes):
        for node in nodes:
            for indicator in node["indicators"]:
                if indicator["code"] == "G2":
                    return indicator
            found = walk(node["children"])
            if found:
                return found
        return None

    g2 = walk(detail["items"])
    return {o["disaggregation"].get("mahalle", "*"): o["value"] for o in g2["observations"]}


def test_the_public_cannot_subtract_a_withheld_mahalle_back(client, db, settings):
    world = build_plan(db, settings)
    g2 = indicators.indicator_by_code(db, world.plan, "G2")
    _enter(db, world, g2, {}, 20)
    for mahalle, value in (("A", 2), ("B", 8), ("C", 10)):
        _enter(db, world, g2, {"mahalle": mahalle}, value)
    period = periods.period_by_label(db, world.plan, str(YEAR))
    for state in (PeriodState.collecting, PeriodState.under_review, PeriodState.published):
        periods.change_period_state(db, settings, world.planner, world.plan, period, state)

    public = _g2_values(client.get(PLAN).json())
    assert public == {"*": 20, "A": None, "B": None, "C": 10}
    rows = list(csv.DictReader(io.StringIO(client.get(f"{PLAN}/data.csv").text.lstrip("\ufeff"))))
    exported = {r["GeoCode"] or "*": r["Value"] for r in rows if r["Indicator"] == "G2"}
    assert exported == {"*": "20.0", "A": "", "B": "", "C": "10.0"}
    json_rows = client.get(f"{PLAN}/data.json").json()["data"]
    assert not [r for r in json_rows if r["Indicator"] == "G2" and r["Value"] in (2, 8)]
    # Staff of another municipality see what the public sees.
    login(client, make_user(db, settings, Role.planner, ["yenimahalle"]))
    assert _g2_values(client.get(PLAN).json()) == public
    client.post("/api/v1/auth/logout")
    client.cookies.clear()
    # The plan's own planner sees every value.
    login(client, world.planner)
    assert _g2_values(client.get(PLAN).json()) == {"*": 20, "A": 2, "B": 8, "C": 10}
