"""Cell key perturbation (DESIGN.md §11): the table, the record keys, and every published count
checked against the UK ONS's own implementation (`cell-key-perturbation`) on the same record
keys and table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from app.models import CategoryGroup
from app.services.planning.indicators import planner_rows, protected_row
from app.services.suppression import (
    KEY_RANGE,
    PerturbationTableError,
    read_table,
)
from tests.support.cell_key_support import (
    CODES,
    SHIPPED,
    K,
    insert_reports,
    ons,
    perturbing_client,
    perturbing_live_server,
    random_microdata,
    template_report,
)
from tests.support.dates import month_end, month_start
from tests.support.planner_support import PERIOD, centre, grid_mahalle

__all__ = ["grid_mahalle", "perturbing_client", "perturbing_live_server"]


def test_shipped_table_is_complete_unbiased_and_bounded():
    assert SHIPPED.max_pcv == 2
    for pcv, row in enumerate(SHIPPED.rows, start=1):
        assert len(row) == KEY_RANGE
        assert sum(row) == 0  # mean zero over uniform cell keys: no bias
        assert max(abs(v) for v in row) <= 2
        assert pcv + min(row) >= 0  # never a negative count
    # The chance that two independent cells of 2+ records get the same noise (what the
    # differencing attack needs) is below 1/4, the chance of guessing 1..4 blindly.
    p = np.bincount(np.array(SHIPPED.rows[1]) + 2) / KEY_RANGE
    assert (p**2).sum() < 0.25


def test_malformed_tables_are_refused(tmp_path: Path):
    def table(lines: list[str]) -> Path:
        path = tmp_path / "t.csv"
        path.write_text("\n".join(lines) + "\n")
        return path

    full = [f"1,{c},0" for c in range(KEY_RANGE)]
    read_table(table(["pcv,ckey,pvalue", *full]))
    for bad in (
        ["pcv,ckey,value", *full],  # wrong columns
        ["pcv,ckey,pvalue", *full[:-1]],  # a ckey missing
        ["pcv,ckey,pvalue", *full, "1,0,0"],  # twice
        ["pcv,ckey,pvalue", *full[:-1], "1,255,-2"],  # 1 - 2 < 0
        ["pcv,ckey,pvalue", *full[:-1], "1,255,x"],
    ):
        with pytest.raises(PerturbationTableError):
            read_table(table(bad))


def test_record_keys_are_drawn_at_write_time_uniformly(db, settings, grid_mahalle):
    template = template_report(db, settings, *centre(0, 0))
    n = 4096
    insert_reports(db, template, ["M00"] * n, ["dark_street"] * n, [month_start(0)] * n)
    keys = np.array([k for (k,) in db.execute(text("SELECT record_key FROM report"))])
    assert keys.min() >= 0 and keys.max() <= 255
    counts = np.bincount(keys, minlength=KEY_RANGE)
    chi2 = ((counts - len(keys) / KEY_RANGE) ** 2 / (len(keys) / KEY_RANGE)).sum()
    assert chi2 < 350  # 255 degrees of freedom: p ≈ 1e-4 at 350


def test_the_perturbation_table_is_published(perturbing_client):
    body = perturbing_client.get("/api/v1/indicators/perturbation").json()
    assert body["key_range"] == KEY_RANGE and body["max_pcv"] == SHIPPED.max_pcv
    rows = pd.DataFrame(body["rows"], columns=body["columns"])
    shipped = pd.read_csv(SHIPPED.source)
    pd.testing.assert_frame_equal(rows, shipped)
    assert [n["mean"] for n in body["noise"]] == [0, 0]


@pytest.mark.parametrize("seed", [1, 2])
def test_public_counts_equal_the_ons_package(db, settings, grid_mahalle, perturbing_client, seed):
    data = random_microdata(db, settings, seed)
    params = {"since": month_start(2).isoformat(), "until": month_end(0).isoformat()}
    features = perturbing_client.get("/api/v1/indicators", params=params).json()["features"]
    ours = {f["properties"]["code"]: f["properties"] for f in features}
    totals = ons(data, [], K)
    sensitive = ons(data.assign(s=data.sensitive.astype(str)), ["s"], K)
    compared = 0
    for code in CODES:
        props = ours[code]
        published, true = sensitive.get((code, "True"), (0, 0))
        if props["sensitive_reports"] is not None:
            assert props["sensitive_reports"] == published, code
            compared += 1
        else:  # withheld: the published value or the true count is 1..k-1
            assert published is None or 0 < true < K
        published, true = totals[code]
        if props["reports"] is not None:
            assert props["reports"] == published, code
            compared += 1
        else:
            assert published is None or 0 < true < K or props["sensitive_reports"] is None
    assert compared >= 10


def test_every_planner_count_before_suppression_equals_the_ons_package(db, settings, grid_mahalle):
    """All cells of the planners' row (groups, sensitive, previous period), k = 1 so nothing
    is clamped: the SQL cell keys and the table lookup are the ONS package's, cell for cell."""
    data = random_microdata(db, settings, 3)
    rows = {r.code: protected_row(r, SHIPPED, 1) for r in planner_rows(db, PERIOD, False)}
    by_group = ons(data, ["grp"], 0)
    by_sensitive = ons(data.assign(s=data.sensitive.astype(str)), ["s"], 0)
    totals = ons(data, [], 0)
    checked = 0
    for code, row in rows.items():
        assert row.reports == totals.get(code, (0, 0))[0]
        assert row.sensitive_reports == by_sensitive.get((code, "True"), (0, 0))[0]
        for group in CategoryGroup:
            expected = by_group.get((code, group.value), (0, 0))[0]
            assert getattr(row, f"reports_{group.value}") == expected, (code, group)
            checked += 1
    assert checked == len(CODES) * len(CategoryGroup)
    # The noise was not idle: some published counts differ from the true ones.
    assert any(v[0] != v[1] for v in by_group.values())


def test_the_same_cell_always_gets_the_same_value(db, settings, grid_mahalle, perturbing_client):
    random_microdata(db, settings, 4)
    params = {"since": month_start(2).isoformat(), "until": month_end(0).isoformat()}
    first, again = (
        perturbing_client.get("/api/v1/indicators", params=params).json()["features"]
        for _ in range(2)
    )
    assert first == again
    # The same mahalle through Ankara BB and through its district: the same records, so the
    # same cell key and the same value (no second draw to average).
    ankara = perturbing_client.get(
        "/api/v1/indicators", params={**params, "municipality": "ankara"}
    )
    cankaya = perturbing_client.get(
        "/api/v1/indicators", params={**params, "municipality": "cankaya"}
    )
    by_code = {f["id"]: f["properties"]["reports"] for f in ankara.json()["features"]}
    for f in cankaya.json()["features"]:
        assert f["properties"]["reports"] == by_code[f["id"]]
    assert by_code
