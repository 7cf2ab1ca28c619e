"""The boundary importer: the real Ankara file (loaded once by conftest), re-import and
prune, refused and repaired features, other formats and coordinate systems."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyogrio import raw
from sqlalchemy import func, select, text, update

from app.errors import ImportFailed
from app.models import Mahalle, Municipality, Report
from app.services.imports import MunicipalityChoice
from app.services.imports.boundaries import BoundaryFields, import_boundaries
from app.services.reference.areas import mahalle_at
from tests.support.base_data import ANKARA_DISTRICTS, ANKARA_FIELDS, BOUNDARIES
from tests.support.factories import KIZILAY, make_report
from tests.support.import_support import (
    ISTANBUL,
    ankara_features,
    mahalle_count,
    mahalle_named,
    write_geojson,
)

YENIMAHALLE_POINT = (32.7, 39.97)


CANKAYA = MunicipalityChoice(code="cankaya")


def municipality_id(db, code: str) -> int:
    return db.scalar(select(Municipality.id).where(Municipality.code == code))


def test_ankara_boundaries_are_loaded(db):
    per_district = dict(
        db.execute(select(Mahalle.district, func.count()).group_by(Mahalle.district)).all()
    )
    assert per_district == {"Çankaya": 124, "Yenimahalle": 60}
    invalid = db.scalar(
        select(func.count()).where(
            ~func.ST_IsValid(Mahalle.geom) | (func.ST_SRID(Mahalle.geom) != 4326)
        )
    )
    assert invalid == 0
    kizilay = mahalle_named(db, "Kızılay Mahallesi")
    assert kizilay.code == "relation/6777210"
    assert kizilay.name_key == "kizilay"
    assert kizilay.province == "Ankara"
    assert 0.2 < kizilay.area_km2 < 0.35


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        (KIZILAY, ("Cumhuriyet Mahallesi", "Çankaya")),
        (YENIMAHALLE_POINT, ("Yeni Batı Mahallesi", "Yenimahalle")),
        (ISTANBUL, None),
    ],
)
def test_point_lands_in_the_right_mahalle(db, point, expected):
    found = mahalle_at(db, *point)
    assert (None if found is None else (found.name, found.district)) == expected


def test_reimport_is_idempotent_preserves_population_and_reassigns_reports(db, settings):
    report, _ = make_report(db, settings)
    db.execute(
        update(Report)
        .where(Report.id == report.id)
        .values(mahalle_id=None, municipality_id=municipality_id(db, "yenimahalle"))
    )
    result = import_boundaries(db, BOUNDARIES, fields=ANKARA_FIELDS, municipality=ANKARA_DISTRICTS)
    assert (result.inserted, result.updated, result.pruned) == (0, 184, 0)
    assert result.reports_reassigned == 1
    assert mahalle_count(db) == 184
    db.refresh(report)
    cumhuriyet = mahalle_named(db, "Cumhuriyet Mahallesi")
    assert report.mahalle_id == cumhuriyet.id
    assert report.municipality_id == cumhuriyet.municipality_id == municipality_id(db, "cankaya")
    assert mahalle_named(db, "Kızılay Mahallesi").population_total == 1533
    again = import_boundaries(db, BOUNDARIES, fields=ANKARA_FIELDS, municipality=ANKARA_DISTRICTS)
    assert again.reports_reassigned == 0


def test_prune_removes_mahalle_missing_from_the_file_and_detaches_their_reports(
    db, settings, tmp_path
):
    in_yenimahalle, _ = make_report(
        db, settings, lon=YENIMAHALLE_POINT[0], lat=YENIMAHALLE_POINT[1]
    )
    in_cankaya, _ = make_report(db, settings)
    features = json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]
    keep = [
        f
        for f in features
        if f["properties"]["name"] == "Cumhuriyet Mahallesi"
        and f["properties"]["ilce"] == "Çankaya"
    ]
    path = write_geojson(tmp_path / "one.geojson", keep)
    result = import_boundaries(
        db, path, fields=ANKARA_FIELDS, prune=True, municipality=ANKARA_DISTRICTS
    )
    assert (result.updated, result.pruned, result.reports_reassigned) == (1, 183, 1)
    assert db.scalars(select(Mahalle.name)).all() == ["Cumhuriyet Mahallesi"]
    db.refresh(in_yenimahalle)
    db.refresh(in_cankaya)
    # Outside every mahalle now, it keeps the municipality it was in.
    assert in_yenimahalle.mahalle_id is None
    assert in_yenimahalle.municipality_id == municipality_id(db, "yenimahalle")
    assert in_cankaya.municipality_id == municipality_id(db, "cankaya")
    assert in_cankaya.mahalle_id is not None


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (lambda f: f["properties"].pop("name"), "name is missing"),
        (lambda f: f["properties"].update(name=""), "name is missing"),
        (
            lambda f: f.update(
                geometry={
                    "type": "Polygon",
                    "coordinates": [[[32.8, 39.9], [32.81, 39.9], [32.82, 39.9], [32.8, 39.9]]],
                }
            ),
            "broken geometry",
        ),
        (lambda f: f.update(geometry=None), "has no geometry"),
    ],
    ids=["no-name-field", "blank-name", "collinear-polygon", "null-geometry"],
)
def test_bad_feature_fails_the_whole_file(db, tmp_path, broken, expected):
    features = ankara_features(5)
    broken(features[2])
    features[4]["geometry"] = {"type": "LineString", "coordinates": [[32.8, 39.9], [32.9, 39.9]]}
    path = write_geojson(tmp_path / "bad.geojson", features)
    with pytest.raises(ImportFailed) as failure:
        import_boundaries(db, path, fields=ANKARA_FIELDS, municipality=ANKARA_DISTRICTS)
    details = failure.value.details
    assert len(details) == 2  # every problem is collected, not just the first
    assert details[0].startswith("feature #3") and expected in details[0]
    assert details[1].startswith("feature #5") and "LineString" in details[1]
    # A summary: the problems themselves are the details, so nothing is printed twice.
    assert failure.value.message == "2 problems in bad.geojson; nothing was imported"
    assert mahalle_count(db) == 184
    assert db.scalar(select(func.count()).where(Mahalle.code.like("test/%"))) == 0


def test_duplicate_codes_and_missing_fields_are_refused(db, tmp_path):
    features = ankara_features(3)
    features[2]["properties"]["osm_id"] = "test/1"
    path = write_geojson(tmp_path / "dup.geojson", features)
    with pytest.raises(ImportFailed) as failure:
        import_boundaries(db, path, fields=ANKARA_FIELDS, municipality=ANKARA_DISTRICTS)
    assert (
        failure.value.details
        == [
            "feature #3 (name 'Aşağı Yahyalar Mahallesi', code 'test/1'): "
            "code 'test/1' already used by feature #1"
        ]
        or "already used by feature #1" in failure.value.details[0]
    )
    with pytest.raises(ImportFailed) as failure:
        import_boundaries(db, path, fields=BoundaryFields(code="kod"), municipality=CANKAYA)
    assert "no field 'kod' for the code" in failure.value.details[0]
    assert "osm_id" in failure.value.details[-1]


def test_repaired_geometry_is_imported_with_a_warning(db, tmp_path):
    features = ankara_features(1)
    # A bow-tie: invalid, but make_valid turns it into two triangles.
    features[0]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[32.80, 39.90], [32.81, 39.91], [32.81, 39.90], [32.80, 39.91], [32.80, 39.90]]],
    }  # fmt: skip
    result = import_boundaries(
        db, write_geojson(tmp_path / "bow.geojson", features), municipality=CANKAYA
    )
    assert result.inserted == 1
    assert result.warnings == ["feature #1 (name '25 Mart Mahallesi', code 'test/1'): "
                               "invalid geometry was repaired"]  # fmt: skip
    geom_type, valid, parts = db.execute(
        text(
            "SELECT GeometryType(geom), ST_IsValid(geom), ST_NumGeometries(geom) "
            "FROM mahalle WHERE code = 'test/1'"
        )
    ).one()
    assert (geom_type, valid, parts) == ("MULTIPOLYGON", True, 2)


def write_layer(path: Path, geoms: list, rows: list[tuple[str, ...]], **options) -> Path:
    """Write polygons with the fields osm_id, name, ilce, il (or `fields=`) using pyogrio."""
    names = options.pop("fields", ["osm_id", "name", "ilce", "il"])
    columns = [np.array(column, dtype=object) for column in zip(*rows, strict=True)]
    options.setdefault("geometry_type", "MultiPolygon")
    raw.write(path, shapely.to_wkb(np.array(geoms, dtype=object)), columns, names, **options)
    return path


@pytest.mark.parametrize(("driver", "suffix"), [("GPKG", "gpkg"), ("ESRI Shapefile", "shp")])
def test_round_trip_in_web_mercator(db, tmp_path, driver, suffix):
    originals = db.execute(
        select(
            Mahalle.area_km2,
            func.ST_AsBinary(Mahalle.geom),
            func.ST_AsBinary(func.ST_Transform(Mahalle.geom, 3857)),
            func.ST_X(func.ST_PointOnSurface(Mahalle.geom)),
            func.ST_Y(func.ST_PointOnSurface(Mahalle.geom)),
        )
        .where(Mahalle.name.in_(["Kızılay Mahallesi", "Yeni Batı Mahallesi"]))
        .order_by(Mahalle.name)
    ).all()
    db.execute(text("DELETE FROM mahalle"))  # rolled back after the test
    path = write_layer(
        tmp_path / f"mahalle.{suffix}",
        [shapely.from_wkb(bytes(row[2])) for row in originals],
        [
            ("k1", "KIZILAY MAHALLESİ", "ÇANKAYA", "ANKARA"),
            ("k2", "YENİ BATI MAHALLESİ", "YENİMAHALLE", "ANKARA"),
        ],
        fields=["kod", "ad", "ilce_adi", "il_adi"],
        crs="EPSG:3857",
        driver=driver,
    )
    fields = BoundaryFields(code="kod", name="ad", district="ilce_adi", province="il_adi")
    result = import_boundaries(db, path, fields=fields, municipality=CANKAYA)
    assert (result.inserted, result.warnings) == (2, [])
    imported = db.scalars(select(Mahalle).order_by(Mahalle.code)).all()
    assert [m.name for m in imported] == ["KIZILAY MAHALLESİ", "YENİ BATI MAHALLESİ"]
    assert [m.name_key for m in imported] == ["kizilay", "yeni bati"]
    for mahalle, (area, wkb, _, lon, lat) in zip(imported, originals, strict=True):
        assert mahalle.area_km2 == pytest.approx(area, rel=1e-6)
        assert mahalle_at(db, lon, lat).code == mahalle.code
        shift = db.scalar(
            select(func.ST_HausdorffDistance(Mahalle.geom, func.ST_GeomFromWKB(wkb, 4326))).where(
                Mahalle.id == mahalle.id
            )
        )
        assert shift < 1e-7  # degrees: back where it was, to well under a centimetre


def test_projected_crs_without_epsg_code_is_refused_and_missing_crs_assumed_lonlat(db, tmp_path):
    path = tmp_path / "nocrs.shp"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        write_layer(
            path,
            [shapely.box(32.85, 39.91, 32.86, 39.92)],
            [("x", "X", "Çankaya", "Ankara")],
            geometry_type="Polygon",
            driver="ESRI Shapefile",
        )
    result = import_boundaries(db, path, municipality=CANKAYA)
    assert result.inserted == 1
    assert result.warnings == [
        "The file declares no CRS; coordinates are taken as lon/lat (EPSG:4326)."
    ]
    path.with_suffix(".prj").write_text(
        'PROJCS["custom TM",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",'
        '6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
        'PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],'
        'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",31.7],'
        'PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
    )
    with pytest.raises(ImportFailed, match="no EPSG code and is not lon/lat"):
        import_boundaries(db, path, municipality=CANKAYA)


def test_projected_coordinates_declared_as_lonlat_are_refused(db, tmp_path):
    path = write_layer(
        tmp_path / "metres.geojson",
        [shapely.box(3_650_000, 4_850_000, 3_651_000, 4_851_000)],
        [("m/1", "Metre", "Çankaya", "Ankara")],
        crs="EPSG:4326",
        driver="GeoJSON",
    )
    with pytest.raises(ImportFailed) as failure:
        import_boundaries(db, path, municipality=CANKAYA)
    assert failure.value.details == [
        "feature #1 (name 'Metre', code 'm/1'): has coordinates outside lon/lat range "
        "(is the file's CRS missing?)"
    ]


def test_geopackage_with_several_layers_needs_a_layer(db, tmp_path):
    path = tmp_path / "two.gpkg"
    for layer in ("mahalle", "ilce"):
        write_layer(
            path,
            [shapely.box(32.85, 39.91, 32.86, 39.92)],
            [("gp/1", "A", "Çankaya", "Ankara")],
            crs="EPSG:4326",
            driver="GPKG",
            layer=layer,
            append=layer == "ilce",
        )
    with pytest.raises(ImportFailed, match="choose one with --layer: mahalle, ilce"):
        import_boundaries(db, path, municipality=CANKAYA)
    assert import_boundaries(db, path, layer="mahalle", municipality=CANKAYA).inserted == 1


def test_nul_characters_in_vector_attributes_fail_naming_the_feature(db, tmp_path, monkeypatch):
    # GDAL itself cuts text at a NUL, so one can only reach us from a reader that does not.
    read = raw.read

    def read_with_nul(path, layer=None):
        meta, fids, geometry, fields = read(path, layer=layer)
        names = [str(n) for n in meta["fields"]]
        fields[names.index("name")][1] = "Kızılay\x00"
        return meta, fids, geometry, fields

    monkeypatch.setattr(raw, "read", read_with_nul)
    path = write_geojson(tmp_path / "nul.geojson", ankara_features(3))
    with pytest.raises(ImportFailed) as failure:
        import_boundaries(db, path, fields=ANKARA_FIELDS, municipality=ANKARA_DISTRICTS)
    assert failure.value.details == [
        "feature #2: field 'name' contains a NUL character (\\x00), which the database cannot store"
    ]
    assert db.scalar(select(func.count()).where(Mahalle.code.like("test/%"))) == 0
