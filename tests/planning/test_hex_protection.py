"""Hexagon cells: perturbed counts, and secondary suppression (a hexagon's count minus the
public points in it is its sensitive part; one withheld hexagon is the layer's total minus
the others)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
from cell_key_perturbation.create_perturbed_table import create_perturbed_table
from sqlalchemy import text

from app.services.planning import hotspots
from tests.support.cell_key_support import SHIPPED, K, ons_table, random_microdata
from tests.support.planner_support import PERIOD, ZERO_NOISE, grid_mahalle

__all__ = ["grid_mahalle"]

SQUARE = '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}'


def cell(i: int, n: int, sensitive: int = 0, ckey: int = 0, sensitive_ckey: int = 0):
    return SimpleNamespace(
        i=i,
        j=0,
        n=n,
        n_ckey=ckey,
        sensitive_n=sensitive,
        sensitive_n_ckey=sensitive_ckey,
        geometry=SQUARE,
    )


def shown(features) -> dict[str, int | None]:
    return {f["properties"]["cell"]: f["properties"]["reports"] for f in features}


def test_a_hexagon_with_a_small_sensitive_part_goes_with_the_smallest_other():
    rows = [cell(0, 12, sensitive=2), cell(1, 9), cell(2, 7), cell(3, 0)]
    out = shown(hotspots.hex_features(rows, 5, ZERO_NOISE))
    # 12 − its 10 public points = 2 sensitive reports: withheld; alone it would be the
    # layer's total minus the others, so the smallest other non-zero cell (7) goes too.
    assert out == {"0_0": None, "1_0": 9, "2_0": None, "3_0": 0}


def test_two_withheld_hexagons_need_no_third():
    rows = [cell(0, 3), cell(1, 4), cell(2, 9), cell(3, 8)]
    out = shown(hotspots.hex_features(rows, 5, ZERO_NOISE))
    assert out == {"0_0": None, "1_0": None, "2_0": 9, "3_0": 8}


def test_hexagon_counts_are_perturbed_by_their_cell_key():
    rows = [cell(i, 10 + i, ckey=40 * i) for i in range(6)]
    out = shown(hotspots.hex_features(rows, 5, SHIPPED))
    assert out == {f"{i}_0": 10 + i + SHIPPED.pvalue(10 + i, 40 * i) for i in range(6)}
    assert any(SHIPPED.pvalue(10 + i, 40 * i) for i in range(6))


def test_a_small_true_count_stays_withheld_whatever_its_noise():
    # ckey 255 is +2 for counts of two and more: 4 would be published as 6 without the rule.
    assert SHIPPED.pvalue(4, 255) == 2
    rows = [cell(0, 4, ckey=255), cell(1, 9), cell(2, 8)]
    out = shown(hotspots.hex_features(rows, 5, SHIPPED))
    assert out["0_0"] is None


def test_hexagon_counts_equal_the_ons_package(db, settings, grid_mahalle):
    """The hexagon SQL's cell keys: ~600 reports spread over the grid, binned by
    point-in-polygon and tabulated by the ONS package on the same record keys and table."""
    random_microdata(db, settings, 7)
    db.execute(text("SELECT setseed(0.7)"))
    db.execute(
        text(
            # Record keys from the same seeded source: which hexagons survive perturbation
            # and suppression is then the same on every run (the column default is random).
            "UPDATE report SET public_location = ST_SetSRID(ST_MakePoint("
            "10.0005 + random() * 0.029, 10.0005 + random() * 0.029), 4326), "
            "record_key = floor(random() * 256)"
        )
    )
    features = hotspots.hex_layer(db, PERIOD, 250, K, SHIPPED)
    data = pd.DataFrame(
        db.execute(
            text(
                "SELECT h.i || '_' || h.j AS hex, r.record_key, c.sensitive FROM report r "
                "JOIN category c ON c.id = r.category_id JOIN ST_HexagonGrid(250, "
                "ST_Transform(ST_MakeEnvelope(9.99, 9.99, 10.04, 10.04, 4326), 32632)) h "
                "ON ST_Contains(h.geom, ST_Transform(r.public_location, 32632))"
            )
        ).all(),
        columns=["hex", "record_key", "sensitive"],
    )
    expected = create_perturbed_table(
        data=data,
        ptable=ons_table(),
        geog=["hex"],
        tab_vars=[],
        record_key="record_key",
        use_existing_ons_id=False,
        threshold=K,
    ).set_index("hex")
    compared = 0
    for f in features:
        props = f["properties"]
        if props["reports"] is None:
            continue
        ons_count = expected["count"].get(props["cell"], 0)
        assert props["reports"] == (0 if pd.isna(ons_count) else int(ons_count)), props["cell"]
        compared += props["reports"] > 0
    assert compared >= 5  # most hexagons hold a small sensitive part and are withheld
