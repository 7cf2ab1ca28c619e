"""The mahalle detail panel tells the same Gi* story as the indicator layer: its hotspot class
and z are this mahalle's values in the layer's own computation, for every mahalle."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.models import Role
from app.services.planning.indicators import planner_indicators
from tests.support.factories import login, make_user
from tests.support.planner_support import PERIOD, ZERO_NOISE, add_reports, grid_mahalle

__all__ = ["grid_mahalle"]

PARAMS = {"since": PERIOD.since.isoformat(), "until": PERIOD.until.isoformat()}
# Counts at or above k (5) everywhere they are not zero, so the classes are shown; the hot
# corner straddles the border between the districts "Test" (columns 0-1) and "Other" (2).
PLAN = {(0, 0): 6, (1, 0): 9, (1, 1): 14, (2, 0): 16, (2, 1): 20, (2, 2): 11, (0, 2): 5}


def classes(features) -> dict[str, tuple[str, float | None]]:
    return {
        f["properties"]["code"]: (f["properties"]["hotspot_class"], f["properties"]["hotspot_z"])
        for f in features
    }


@pytest.fixture
def planted(db, settings, grid_mahalle):
    for (col, row), n in PLAN.items():
        add_reports(db, settings, col, row, n)


def test_the_fixture_would_disagree_within_one_district(db, planted):
    """What the detail used to do (the district alone) gives other Gi* values here."""
    whole = classes(planner_indicators(db, PERIOD, 5, ZERO_NOISE, with_geometry=False))
    test_only = classes(
        planner_indicators(
            db, replace(PERIOD, districts=("Test",)), 5, ZERO_NOISE, with_geometry=False
        )
    )
    assert any(whole[code] != test_only[code] for code in test_only)


@pytest.mark.parametrize("district", [None, "Test", "Other"])
def test_detail_hotspot_equals_the_layer_for_every_mahalle(client, db, settings, planted, district):
    login(client, make_user(db, settings, Role.planner))
    params = {**PARAMS, **({"district": district} if district else {})}
    layer = client.get("/api/v1/planner/indicators", params=params)
    assert layer.status_code == 200, layer.text
    expected = classes(layer.json()["features"])
    assert len(expected) == (9 if district is None else 6 if district == "Test" else 3)
    for code, (hotspot_class, z) in expected.items():
        detail = client.get(f"/api/v1/planner/mahalle/{code}", params=params)
        assert detail.status_code == 200, detail.text
        indicators = detail.json()["indicators"]
        assert indicators["hotspot_class"] == hotspot_class, code
        assert indicators["hotspot_z"] == z, code


def test_a_mahalle_outside_the_chosen_districts_is_404(client, db, settings, planted):
    login(client, make_user(db, settings, Role.planner))
    response = client.get("/api/v1/planner/mahalle/M00", params={**PARAMS, "district": "Other"})
    assert response.status_code == 404
    assert "outside the chosen districts" in response.json()["error"]["message"]
