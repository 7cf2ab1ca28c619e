"""The service point importer: shelters never stored, Turkish headers and kinds, sample
points, reprojection, and rows outside the area or of unknown kinds refused."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyogrio import raw
from sqlalchemy import func, select, text

from app.config import Settings
from app.errors import ImportFailed
from app.models import ServiceKind, ServicePoint
from app.services.imports.support_services import import_service_points, service_kind
from tests.support.base_data import ANKARA
from tests.support.factories import KIZILAY
from tests.support.import_support import ISTANBUL, write_csv


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


def test_nul_characters_in_service_point_csv_fail_naming_line_and_column(db, settings, tmp_path):
    services = write_csv(
        tmp_path / "services.csv",
        [["kind", "name", "lat", "lon"], ["polis", "Polis\x00", "39.92", "32.85"]],
    )
    with pytest.raises(ImportFailed) as failure:
        import_service_points(db, settings, services)
    assert failure.value.details[0].startswith("line 2: column 'name' contains a NUL")
