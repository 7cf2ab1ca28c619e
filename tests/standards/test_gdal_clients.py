"""GDAL's OAPIF driver (ogrinfo, ogr2ogr to a GeoPackage), as a planner's tools read /ogc."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.standards.ogc_support import add_reports, exact_points

pytestmark = pytest.mark.skipif(
    shutil.which("ogrinfo") is None, reason="gdal-bin is not installed (scripts/system-deps.sh)"
)


def _gdal(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ogrinfo_lists_the_collections(server, db, settings):
    add_reports(db, settings)
    listing = _gdal("ogrinfo", "-ro", "-q", f"OAPIF:{server.url}/ogc")
    layers = {
        line.split(":", 1)[1].split("(")[0].strip() for line in listing.splitlines() if ":" in line
    }
    assert {
        "reports",
        "reports.cankaya",
        "indicators.yenimahalle",
        "hotspots",
        "services",
    } <= layers
    assert not [name for name in layers if name.startswith("planner-")]


def test_ogr2ogr_downloads_a_bbox_matching_the_json_api(server, client, db, settings, tmp_path):
    made = add_reports(db, settings, n_cankaya=4)
    target = tmp_path / "reports.gpkg"
    _gdal(
        "ogr2ogr",
        "-f",
        "GPKG",
        str(target),
        f"OAPIF:{server.url}/ogc",
        "reports.cankaya",
        "-spat",
        "32.80",
        "39.88",
        "32.90",
        "39.96",
        "-oo",
        "PAGE_SIZE=2",  # several pages, through the next links
    )
    import pyogrio

    frame = pyogrio.read_dataframe(target)
    features = json.loads(frame.to_json())["features"]
    api = client.get(
        "/api/v1/reports",
        params={"municipality": "cankaya", "bbox": "32.80,39.88,32.90,39.96"},
    ).json()
    assert len(features) == len(api["features"]) == len(made.public_cankaya)
    assert {f["properties"]["public_id"] for f in features} == {
        r.public_id for r in made.public_cankaya
    }
    exact = exact_points(db)
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"][:2]
        assert (round(lon, 5), round(lat, 5)) not in exact
        assert feature["properties"]["category"] == "dark_street"
