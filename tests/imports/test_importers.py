"""Importers on the real Ankara files and on small hand-made files, against real PostGIS."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyogrio import raw
from sqlalchemy import func, select, text, update

from app.config import Settings
from app.errors import ImportFailed
from app.models import Mahalle, Municipality, Report, ServiceKind, ServicePoint
from app.services.imports import MunicipalityChoice
from app.services.imports.boundaries import BoundaryFields, import_boundaries
from app.services.imports.names import name_key, turkish_casefold
from app.services.imports.population import PopulationColumns, import_population
from app.services.imports.support_services import import_service_points, service_kind
from app.services.reference.areas import mahalle_at
from tests.support.base_data import (
    ANKARA,
    ANKARA_DISTRICTS,
    ANKARA_FIELDS,
    BOUNDARIES,
    DISTRICT_SHARES,
    POPULATION,
    TUIK_COLUMNS,
)
from tests.support.factories import KIZILAY, make_report

CANKAYA_FEMALE_SHARE = 0.5207
YENIMAHALLE_POINT = (32.7, 39.97)
ISTANBUL = (28.97, 41.01)


CANKAYA = MunicipalityChoice(code="cankaya")


def municipality_id(db, code: str) -> int:
    return db.scalar(select(Municipality.id).where(Municipality.code == code))


def mahalle_count(db) -> int:
    return db.scalar(select(func.count(Mahalle.id)))


def mahalle_named(db, name: str, district: str = "Çankaya") -> Mahalle:
    return db.scalars(
        select(Mahalle).where(Mahalle.name == name, Mahalle.district == district)
    ).one()


def ankara_features(count: int) -> list[dict]:
    """The first `count` real features, with codes changed so they are new to the database."""
    features = json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"][:count]
    for i, feature in enumerate(features):
        feature["properties"]["osm_id"] = f"test/{i + 1}"
    return features


def write_geojson(path: Path, features: list[dict]) -> Path:
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return path


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


# --- Turkish-aware names --------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ÇANKAYA", "Çankaya"),
        ("KIZILAY MAHALLESİ", "Kızılay Mahallesi"),
        ("İncesu", "INCESU"),
        ("Kızılay Mah.", "kizilay"),
        ("100. YIL MH.", "100. Yıl Mahallesi"),
        ("Şehit  Cengiz   Karaca", "sehit cengiz karaca mahallesi"),
    ],
)
def test_name_key_matches_turkish_spellings(a, b):
    assert name_key(a) == name_key(b)


def test_name_key_values_and_non_matches():
    assert name_key("KIZILAY MAHALLESİ") == "kizilay"
    assert name_key("100. Yıl Mahallesi") == "100 yil"
    assert name_key("Yenimahalle") == "yenimahalle"  # only a separate word is stripped
    assert name_key("Mahallesi") == "mahallesi"  # never stripped to nothing
    assert name_key("Arka Topraklık Mahallsi") != name_key("Arka Topraklık Mahallesi")
    assert name_key("Kızılay") != name_key("Kızılcaşar")


def test_turkish_casefold_dotted_and_dotless_i():
    assert turkish_casefold("IĞDIR") == "ığdır"
    assert turkish_casefold("İZMİR") == "izmir"
    assert turkish_casefold("INCESU") == "ıncesu"
    assert turkish_casefold("I\u0307NCESU") == "incesu"  # decomposed İ


# --- boundaries: the real Ankara file (loaded once by conftest) -----------------------


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


def test_population_is_joined_with_estimated_women(db):
    cankaya = db.scalars(select(Mahalle).where(Mahalle.district == "Çankaya")).all()
    with_total = [m for m in cankaya if m.population_total is not None]
    assert len(with_total) == 122
    assert sum(m.population_total for m in with_total) == 939_486
    for m in with_total:
        assert m.women_residents == round(m.population_total * CANKAYA_FEMALE_SHARE)
        assert m.women_is_estimate is True
        assert m.population_year == 2025
    kizilay = mahalle_named(db, "Kızılay Mahallesi")
    assert (kizilay.population_total, kizilay.women_residents) == (1533, 798)
    sakarya = mahalle_named(db, "Sakarya Mahallesi")
    assert (sakarya.population_total, sakarya.women_residents) == (None, None)
    assert sakarya.women_is_estimate is False
    typo = mahalle_named(db, "Arka Topraklık Mahallsi")
    assert typo.population_total is None
    yenimahalle_totals = db.scalar(
        select(func.count(Mahalle.population_total)).where(Mahalle.district == "Yenimahalle")
    )
    assert yenimahalle_totals == 0


def test_population_summary_reports_blank_and_unmatched(db):
    result = import_population(
        db, POPULATION, columns=TUIK_COLUMNS, district_shares=DISTRICT_SHARES
    )
    assert (result.rows, result.matched, result.with_total) == (123, 123, 122)
    assert (result.women_given, result.women_estimated) == (0, 122)
    assert result.unmatched_rows == []
    assert result.mahalle_without_row == [
        "mahalle 'Arka Topraklık Mahallsi' (Çankaya) has no row in the file"
    ]
    assert any("line 88" in w and "Sakarya" in w for w in result.warnings)


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


# --- population CSV -------------------------------------------------------------------


def test_non_numeric_total_fails_naming_the_line_and_changes_nothing(db, tmp_path):
    path = write_csv(
        tmp_path / "pop.csv",
        [
            ["il", "ilce", "mahalle_name", "pop_total", "year"],
            ["Ankara", "Çankaya", "Kızılay Mahallesi", "9999", "2026"],
            ["Ankara", "Çankaya", "Cumhuriyet Mahallesi", "çok", "2026"],
            ["Ankara", "Çankaya", "Meşrutiyet Mahallesi", "12,5", "2026"],
        ],
    )
    with pytest.raises(ImportFailed) as failure:
        import_population(db, path, columns=TUIK_COLUMNS, district_shares=DISTRICT_SHARES)
    assert failure.value.details == [
        "line 3 ('Cumhuriyet Mahallesi', Çankaya, Ankara): total 'çok' is not a whole number",
        "line 4 ('Meşrutiyet Mahallesi', Çankaya, Ankara): total '12,5' is not a whole number",
    ]
    assert mahalle_named(db, "Kızılay Mahallesi").population_total == 1533


def test_numbers_beyond_the_database_integer_or_a_plausible_year_fail_naming_the_line(db, tmp_path):
    path = write_csv(
        tmp_path / "pop.csv",
        [
            ["il", "ilce", "mahalle_name", "pop_total", "women", "year"],
            ["Ankara", "Çankaya", "Kızılay Mahallesi", "99999999999", "", "2025"],
            ["Ankara", "Çankaya", "Cumhuriyet Mahallesi", "2147483647", "-1", "2025"],
            ["Ankara", "Çankaya", "Meşrutiyet Mahallesi", "1000", "500", "20255"],
        ],
    )
    with pytest.raises(ImportFailed) as failure:
        import_population(db, path, columns=PopulationColumns(women="women"))
    assert failure.value.details == [
        "line 2 ('Kızılay Mahallesi', Çankaya, Ankara): total '99999999999' is out of range "
        "(0 to 2,147,483,647)",
        "line 3 ('Cumhuriyet Mahallesi', Çankaya, Ankara): women '-1' is out of range "
        "(0 to 2,147,483,647)",
        "line 4 ('Meşrutiyet Mahallesi', Çankaya, Ankara): year '20255' is out of range "
        "(1900 to 2100)",
    ]
    assert mahalle_named(db, "Kızılay Mahallesi").population_total == 1533


def test_nul_characters_in_csv_cells_fail_naming_line_and_column(db, settings, tmp_path):
    population = write_csv(
        tmp_path / "pop.csv",
        [
            ["il", "ilce", "mahalle_name", "pop_total"],
            ["Ankara", "Çankaya", "Kızılay Mahallesi", "2000"],
            ["Ankara", "Çankaya", "Cumhuriyet\x00 Mahallesi", "2000"],
        ],
    )
    with pytest.raises(ImportFailed) as failure:
        import_population(db, population, columns=TUIK_COLUMNS)
    assert failure.value.details == [
        "line 3: column 'mahalle_name' contains a NUL character (\\x00), "
        "which the database cannot store"
    ]
    assert mahalle_named(db, "Kızılay Mahallesi").population_total == 1533

    services = write_csv(
        tmp_path / "services.csv",
        [["kind", "name", "lat", "lon"], ["polis", "Polis\x00", "39.92", "32.85"]],
    )
    with pytest.raises(ImportFailed) as failure:
        import_service_points(db, settings, services)
    assert failure.value.details[0].startswith("line 2: column 'name' contains a NUL")


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


def test_women_given_by_column_matched_by_upper_case_names(db, tmp_path):
    path = write_csv(
        tmp_path / "pop.csv",
        [
            ["IL", "ILCE", "MAHALLE", "TOPLAM", "KADIN"],
            ["ANKARA", "ÇANKAYA", "KIZILAY MAHALLESİ", "1.600", "900"],
            ["ANKARA", "YENİMAHALLE", "YENİ BATI MAH.", "12000", ""],
            ["ANKARA", "YENİMAHALLE", "OLMAYAN MAHALLESİ", "10", ""],
        ],
        delimiter=";",
    )
    columns = PopulationColumns(
        name="mahalle", district="ilce", province="il", total="toplam", women="kadin", year=None
    )
    result = import_population(db, path, columns=columns, district_shares=DISTRICT_SHARES)
    assert (result.matched, result.women_given, result.women_estimated) == (2, 1, 1)
    assert result.unmatched_rows == [
        "line 4 ('OLMAYAN MAHALLESİ', YENİMAHALLE, ANKARA) matches no imported mahalle"
    ]
    kizilay = mahalle_named(db, "Kızılay Mahallesi")
    assert (kizilay.population_total, kizilay.women_residents) == (1600, 900)
    assert kizilay.women_is_estimate is False
    yeni_bati = mahalle_named(db, "Yeni Batı Mahallesi", "Yenimahalle")
    assert yeni_bati.women_residents == round(12000 * 0.5136)
    assert yeni_bati.women_is_estimate is True


def test_women_above_total_and_duplicate_rows_are_errors(db, tmp_path):
    path = write_csv(
        tmp_path / "pop.csv",
        [
            ["il", "ilce", "mahalle_name", "pop_total", "women"],
            ["Ankara", "Çankaya", "Kızılay Mahallesi", "100", "101"],
            ["Ankara", "Çankaya", "Kizilay", "100", "50"],
        ],
    )
    columns = PopulationColumns(women="women")
    with pytest.raises(ImportFailed) as failure:
        import_population(db, path, columns=columns)
    assert failure.value.details == [
        "line 2 ('Kızılay Mahallesi', Çankaya, Ankara): women (101) exceed the total (100)",
        "line 3 ('Kizilay', Çankaya, Ankara): same mahalle as line 2",
    ]


def test_match_by_code_column(db, tmp_path):
    code = mahalle_named(db, "Kızılay Mahallesi").code
    path = write_csv(tmp_path / "pop.csv", [["kod", "nufus"], [code, "2000"]])
    columns = PopulationColumns(code="kod", total="nufus", year=None)
    result = import_population(db, path, columns=columns, district_shares=DISTRICT_SHARES)
    assert (result.matched, result.women_estimated) == (1, 1)
    assert mahalle_named(db, "Kızılay Mahallesi").women_residents == round(2000 * 0.5207)


# --- service points -------------------------------------------------------------------


def service_point_count(db) -> int:
    return db.scalar(select(func.count(ServicePoint.id)))


@pytest.mark.parametrize("kind", ["sığınma evi", "Shelter", "KADIN KONUKEVİ", "siginma"])
def test_shelter_rows_are_refused_and_nothing_is_stored(db, settings, tmp_path, kind):
    before = service_point_count(db)
    path = write_csv(
        tmp_path / "services.csv",
        [
            ["kind", "name", "lat", "lon"],
            ["polis", "Kızılay Polis Merkezi", "39.9208", "32.8541"],
            [kind, "Gizli adres", "39.9100", "32.8500"],
        ],
    )
    with pytest.raises(ImportFailed) as failure:
        import_service_points(db, settings, path)
    assert failure.value.details == [
        f"line 3 ('Gizli adres'): shelter locations are never stored (kind '{kind}'); "
        "remove this row from the file"
    ]
    assert service_point_count(db) == before


def test_csv_with_turkish_headers_and_kinds_is_imported_and_upserted(db, settings, tmp_path):
    path = write_csv(
        tmp_path / "hizmet.csv",
        [
            ["tür", "ad", "enlem", "boylam", "telefon"],
            ["kadın danışma merkezi", "Danışma A", "39,9208", "32,8541", ""],
            ["ŞÖNİM", "ŞÖNİM B", "39.9100", "32.8500", ""],
            ["polis", "Polis C", "39.97", "32.70", "155"],
            ["Sağlık", "Sağlık D", "39.9000", "32.8600", ""],
        ],
        delimiter=";",
    )
    first = import_service_points(db, settings, path)
    assert (first.inserted, first.updated) == (4, 0)
    stored = db.execute(
        select(ServicePoint.name, ServicePoint.kind, ServicePoint.is_sample, ServicePoint.source)
        .where(ServicePoint.source == "hizmet.csv")
        .order_by(ServicePoint.name)
    ).all()
    assert [tuple(r) for r in stored] == [
        ("Danışma A", ServiceKind.counselling, False, "hizmet.csv"),
        ("Polis C", ServiceKind.police, False, "hizmet.csv"),
        ("Sağlık D", ServiceKind.health, False, "hizmet.csv"),
        ("ŞÖNİM B", ServiceKind.sonim, False, "hizmet.csv"),
    ]
    lon, lat = db.execute(
        select(func.ST_X(ServicePoint.location), func.ST_Y(ServicePoint.location)).where(
            ServicePoint.name == "Danışma A"
        )
    ).one()
    assert (lon, lat) == pytest.approx((32.8541, 39.9208))
    second = import_service_points(db, settings, path)
    assert (second.inserted, second.updated) == (0, 4)


def test_geojson_sample_points(db, settings):
    result = import_service_points(
        db, settings, ANKARA / "service_points_sample.geojson", sample=True, source="demo sample"
    )
    assert (result.inserted, result.is_sample) == (8, True)
    assert result.by_kind == {
        "counselling": 2, "health": 2, "police": 2, "sonim": 1, "womens_centre": 1,
    }  # fmt: skip
    points = db.scalars(select(ServicePoint).where(ServicePoint.source == "demo sample")).all()
    assert len(points) == 8
    assert all(p.is_sample and "(örnek / sample)" in p.name and p.phone == "" for p in points)
    districts = db.scalars(
        text(
            "SELECT DISTINCT m.district FROM service_point s JOIN mahalle m "
            "ON ST_Intersects(m.geom, s.location) WHERE s.source = 'demo sample'"
        )
    ).all()
    assert districts == ["Çankaya"]


def test_geopackage_points_in_web_mercator_are_reprojected(db, settings, tmp_path):
    x, y = db.execute(
        text("SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326),"
             " 3857) AS p"),
        {"lon": KIZILAY[0], "lat": KIZILAY[1]},
    ).one()  # fmt: skip
    path = tmp_path / "points.gpkg"
    raw.write(
        path,
        shapely.to_wkb(np.array([shapely.Point(x, y)])),
        [np.array(["police"], dtype=object), np.array(["Kızılay Polis"], dtype=object)],
        ["kind", "name"],
        geometry_type="Point",
        crs="EPSG:3857",
        driver="GPKG",
    )
    assert import_service_points(db, settings, path).inserted == 1
    lon, lat = db.execute(
        select(func.ST_X(ServicePoint.location), func.ST_Y(ServicePoint.location)).where(
            ServicePoint.name == "Kızılay Polis"
        )
    ).one()
    assert (lon, lat) == pytest.approx(KIZILAY, abs=1e-9)


def test_points_outside_the_area_and_unknown_kinds_are_refused(db, settings, tmp_path):
    path = write_csv(
        tmp_path / "services.csv",
        [
            ["kind", "name", "latitude", "longitude"],
            ["police", "Istanbul", str(ISTANBUL[1]), str(ISTANBUL[0])],
            ["spa", "Hamam", "39.9208", "32.8541"],
            ["health", "No coords", "", "32.8541"],
        ],
    )
    with pytest.raises(ImportFailed) as failure:
        import_service_points(db, settings, path)
    kinds = ", ".join(k.value for k in ServiceKind)
    assert failure.value.details == [
        "line 2 ('Istanbul'): (28.97000, 41.01000) is outside every imported mahalle "
        "and the deployment area",
        f"line 3 ('Hamam'): unknown kind 'spa' (use one of: {kinds})",
        "line 4 ('No coords'): lat '' is not a number",
    ]
    wide = Settings(
        _env_file=None,
        DATABASE_URL=settings.database_url,
        deployment_area_wkt="POLYGON((28 40, 34 40, 34 42, 28 42, 28 40))",
    )
    path = write_csv(
        tmp_path / "ok.csv",
        [["kind", "name", "lat", "lon"], ["police", "Istanbul", "41.01", "28.97"]],
    )
    assert import_service_points(db, wide, path).inserted == 1


def test_service_kind_aliases():
    assert service_kind("Kadın Danışma Merkezi") is ServiceKind.counselling
    assert service_kind("ŞÖNİM") is ServiceKind.sonim
    assert service_kind("POLİS") is ServiceKind.police
    assert service_kind("womens_centre") is ServiceKind.womens_centre
    assert service_kind("shelter") is None
