"""Exports read back with pyogrio: same values as the API, metadata inside, nothing below k."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pyogrio
import pytest

from app.models import Role
from tests.support.dates import month_end, month_start
from tests.support.factories import login, make_user
from tests.support.planner_support import add_reports, grid_mahalle

__all__ = ["grid_mahalle"]

PERIOD = {"since": month_start(2).isoformat(), "until": month_end(0).isoformat()}
K = 5


@pytest.fixture
def planner_client(client, db, settings, grid_mahalle):
    add_reports(db, settings, 0, 0, 6, category="dark_street")
    add_reports(db, settings, 0, 0, 5, category="verbal_harassment")
    add_reports(db, settings, 1, 0, 3)  # below k
    add_reports(db, settings, 2, 1, 7, category="unsafe_stop", time_band="day")
    login(client, make_user(db, settings, Role.planner))
    return client


def fetch(client, layer, fmt, **params) -> bytes:
    response = client.get(
        f"/api/v1/planner/exports/{layer}", params={**PERIOD, "format": fmt, **params}
    )
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    return response.content


def api_rows(client, **params) -> dict[str, dict]:
    body = client.get("/api/v1/planner/indicators", params={**PERIOD, **params}).json()
    return {f["properties"]["code"]: f["properties"] for f in body["features"]}


def count_columns(frame) -> list[str]:
    return [
        c
        for c in frame.columns
        if c.startswith("reports") and not c.endswith("_suppressed") and "per" not in c
    ]


def assert_no_small_cells(frame, columns):
    assert columns, "no count columns found: the check would pass without checking anything"
    for column in columns:
        values = pd.to_numeric(frame[column], errors="coerce").dropna()
        assert not ((values > 0) & (values < K)).any(), column


def check_values(frame, api):
    frame = frame.set_index("code")
    for code, props in api.items():
        for column in (
            "reports",
            "reports_per_1000_women",
            "share_lighting",
            "hotspot_class",
            "reports_suppressed",
        ):
            got = frame.loc[code, column]
            want = props[column]
            if want is None:
                assert pd.isna(got), (code, column, got)
            elif isinstance(want, str):
                assert got == want
            else:
                assert float(got) == pytest.approx(float(want)), (code, column)


def test_geopackage_round_trip(planner_client, tmp_path):
    path = tmp_path / "x.gpkg"
    path.write_bytes(fetch(planner_client, "indicators", "gpkg"))
    assert set(pyogrio.list_layers(path)[:, 0]) == {"indicators", "definitions", "export_metadata"}
    frame = pyogrio.read_dataframe(path, layer="indicators")
    api = api_rows(planner_client)
    assert len(frame) == 9 and frame.crs.to_epsg() == 4326
    check_values(frame, api)
    assert frame.set_index("code").loc["M10", "reports_suppressed"]
    assert_no_small_cells(frame, count_columns(frame))
    info = pyogrio.read_info(path, layer="indicators")
    meta = json.loads(info["dataset_metadata"]["metadata"])
    assert meta["period"] == PERIOD and meta["suppression_threshold_k"] == K
    assert "ODbL" in meta["licence"]["boundaries"] and "TÜİK" in meta["licence"]["population"]
    assert meta["generated_at"]
    definitions = pyogrio.read_dataframe(path, layer="definitions")
    assert "reports_per_1000_women_eb" in set(definitions["code"])
    assert bool(definitions.set_index("code").loc["reports_per_1000_women", "estimate"])
    kv = pyogrio.read_dataframe(path, layer="export_metadata").set_index("key")["value"]
    assert json.loads(kv["suppression_threshold_k"]) == K


def test_geojson_carries_metadata(planner_client, tmp_path):
    body = fetch(planner_client, "indicators", "geojson")
    data = json.loads(body)
    assert data["metadata"]["suppression_threshold_k"] == K
    path = tmp_path / "x.geojson"
    path.write_bytes(body)
    frame = pyogrio.read_dataframe(path)
    check_values(frame, api_rows(planner_client))
    assert_no_small_cells(frame, count_columns(frame))


def test_shapefile_zip(planner_client, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(fetch(planner_client, "indicators", "shp")))
    names = set(archive.namelist())
    assert {
        "indicators.shp",
        "indicators.dbf",
        "indicators.prj",
        "metadata.json",
        "fields.csv",
        "README.txt",
    } <= names
    archive.extractall(tmp_path)
    frame = pyogrio.read_dataframe(tmp_path / "indicators.shp")
    fields = pd.read_csv(tmp_path / "fields.csv").set_index("field")["code"].to_dict()
    frame = frame.rename(columns=fields)
    check_values(frame, api_rows(planner_client))
    assert_no_small_cells(frame, count_columns(frame))
    meta = json.loads(archive.read("metadata.json"))
    assert meta["period"] == PERIOD and meta["definitions"]
    assert "k = 5" in archive.read("README.txt").decode()


def test_csv_zip(planner_client, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(fetch(planner_client, "indicators", "csv")))
    assert {"indicators.csv", "metadata.json", "definitions.csv", "README.txt"} <= set(
        archive.namelist()
    )
    frame = pd.read_csv(io.BytesIO(archive.read("indicators.csv")), encoding="utf-8-sig")
    check_values(frame, api_rows(planner_client))
    assert_no_small_cells(frame, count_columns(frame))
    assert json.loads(archive.read("metadata.json"))["suppression_threshold_k"] == K


def test_filters_change_the_exported_rows(planner_client, tmp_path):
    path = tmp_path / "x.gpkg"
    path.write_bytes(fetch(planner_client, "indicators", "gpkg", district="Other"))
    frame = pyogrio.read_dataframe(path, layer="indicators")
    assert set(frame["code"]) == {"M20", "M21", "M22"}
    path.write_bytes(fetch(planner_client, "indicators", "gpkg", time_band="day"))
    frame = pyogrio.read_dataframe(path, layer="indicators").set_index("code")
    assert frame.loc["M00", "reports"] == 0 and frame.loc["M21", "reports"] == 7
    meta = json.loads(pyogrio.read_info(path, layer="indicators")["dataset_metadata"]["metadata"])
    assert meta["time_bands"] == ["day"]


def test_report_points_are_displaced_and_never_sensitive(planner_client, db, tmp_path):
    path = tmp_path / "r.gpkg"
    path.write_bytes(fetch(planner_client, "reports", "gpkg"))
    frame = pyogrio.read_dataframe(path, layer="reports")
    assert len(frame) == 6 + 3 + 7 and "verbal_harassment" not in set(frame["category"])
    from sqlalchemy import text

    exact = db.execute(
        text("SELECT ST_X(location), ST_Y(location) FROM report WHERE status = 'published'")
    ).all()
    exact_points = {(round(x, 6), round(y, 6)) for x, y in exact}
    exported = {(round(p.x, 6), round(p.y, 6)) for p in frame.geometry}
    assert not exact_points & exported
    assert "public_id" in frame.columns and "text" not in frame.columns
    sensitive = json.loads(fetch(planner_client, "sensitive", "geojson"))
    m00 = next(f for f in sensitive["features"] if f["properties"]["code"] == "M00")
    assert m00["properties"]["reports_verbal_harassment"] == 5
    assert m00["properties"]["sensitive_reports"] == 5


def test_hotspot_exports_in_every_format(planner_client, tmp_path):
    for fmt in ("geojson", "gpkg", "shp", "csv"):
        content = fetch(planner_client, "hotspots", fmt, size=500)
        if fmt in ("shp", "csv"):
            zipfile.ZipFile(io.BytesIO(content)).extractall(tmp_path / fmt)
            path = tmp_path / fmt / ("hotspots.shp" if fmt == "shp" else "hotspots.csv")
        else:
            path = tmp_path / f"h.{fmt}"
            path.write_bytes(content)
        frame = pyogrio.read_dataframe(path) if fmt != "csv" else pd.read_csv(path)
        column = "reports"
        assert column in frame.columns
        assert_no_small_cells(frame, [column])
        assert len(frame) > 0 and "hotspot_c" in "".join(frame.columns)


def test_unknown_format_and_token_access(planner_client, server):
    response = planner_client.get("/api/v1/planner/exports/indicators", params={"format": "xls"})
    assert response.status_code == 422
    token = planner_client.post("/api/v1/tokens", json={"name": "qgis"}).json()["token"]
    import httpx

    with httpx.Client(base_url=server.url, timeout=30) as bare:
        response = bare.get(
            "/api/v1/planner/exports/indicators",
            params={"format": "geojson"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200
        assert bare.get("/api/v1/planner/exports/indicators").status_code == 401


def test_reports_placed_by_mahalle_are_not_points(planner_client, db):
    from sqlalchemy import text

    before = json.loads(fetch(planner_client, "reports", "geojson"))
    db.execute(
        text(
            "UPDATE report SET location_precision = 'mahalle' WHERE id = (SELECT id FROM report "
            "WHERE status = 'published' AND category_id = (SELECT id FROM category WHERE "
            "code = 'dark_street') LIMIT 1)"
        )
    )
    after = json.loads(fetch(planner_client, "reports", "geojson"))
    assert len(after["features"]) == len(before["features"]) - 1
    indicators = api_rows(planner_client)
    assert indicators["M00"]["reports"] == 11  # still counted in its mahalle
