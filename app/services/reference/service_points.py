"""The support services layer: counselling centres, ŞÖNİM, police, health (never shelters).

Their exact locations are public: they are public institutions, not reporters.
"""

from __future__ import annotations

from functools import cache

from geoalchemy2 import Geography
from sqlalchemy import cast, func, select, text
from sqlalchemy.orm import Session

from app.geo.geojson import feature, feature_collection, point
from app.i18n import N_, labels
from app.models import ServiceKind, ServicePoint
from app.services.reference.scopes import area_for_code

MAX_NEAREST = 10
# (Turkish, English) names of each kind; the other languages come from the catalogues.
KIND_NAMES: dict[ServiceKind, tuple[str, str]] = {
    ServiceKind.counselling: ("Kadın danışma merkezi", N_("Women's counselling centre")),
    ServiceKind.sonim: (
        "ŞÖNİM (Şiddet Önleme ve İzleme Merkezi)",
        N_("ŞÖNİM (violence prevention and monitoring centre)"),
    ),
    ServiceKind.police: ("Polis", N_("Police")),
    ServiceKind.health: ("Sağlık", N_("Health")),
    ServiceKind.nursery: ("Kreş", N_("Nursery")),
    ServiceKind.womens_centre: ("Kadın merkezi", N_("Women's centre")),
}


@cache
def kind_label(kind: ServiceKind) -> dict[str, str]:
    """The name of a kind of service in every interface language."""
    tr, en = KIND_NAMES[kind]
    return labels(en, tr=tr)


def round_distance_m(metres: float) -> int:
    """Distances are given to 10 m: enough to walk by, no false precision."""
    return int(round(metres / 10.0) * 10)


def _properties(sp: ServicePoint) -> dict:
    return {
        "kind": sp.kind.value,
        "kind_label": kind_label(sp.kind),
        "name": sp.name,
        "address": sp.address,
        "phone": sp.phone,
        "hours": sp.hours,
        "is_sample": sp.is_sample,
    }


def service_collection(session: Session, municipality: str | None = None) -> dict:
    """The service points of the municipality's area (None: all of them) as a GeoJSON
    FeatureCollection (exact, public locations)."""
    stmt = select(
        ServicePoint,
        func.ST_X(ServicePoint.location).label("lon"),
        func.ST_Y(ServicePoint.location).label("lat"),
    ).order_by(ServicePoint.kind, ServicePoint.name, ServicePoint.id)
    area = area_for_code(session, municipality)
    if area is not None:
        stmt = stmt.where(ServicePoint.municipality_id.in_(area))
    rows = session.execute(stmt).all()
    return feature_collection(
        [feature(point(r.lon, r.lat), _properties(r[0]), id_=r[0].id) for r in rows]
    )


def nearest_services(
    session: Session, lon: float, lat: float, limit: int = 3, municipality: str | None = None
) -> list[dict]:
    """The `limit` service points nearest to the point, by the GiST index (KNN), with distance;
    with `municipality`, only those in its area (else the nearest overall, across borders)."""
    here = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    candidates = select(ServicePoint.id)
    area = area_for_code(session, municipality)
    if area is not None:
        candidates = candidates.where(ServicePoint.municipality_id.in_(area))
    nearest = (
        candidates.order_by(ServicePoint.location.op("<->")(here))
        .limit(max(limit * 4, 20))  # planar KNN first, then exact spheroid distance
        .scalar_subquery()
    )
    distance = func.ST_Distance(cast(ServicePoint.location, Geography), cast(here, Geography))
    rows = session.execute(
        select(ServicePoint, distance.label("distance_m"))
        .where(ServicePoint.id.in_(nearest))
        .order_by(distance, ServicePoint.id)
        .limit(min(max(limit, 1), MAX_NEAREST))
    ).all()
    return [{**_properties(sp), "distance_m": round_distance_m(d)} for sp, d in rows]


# The same choice as `nearest_services`, as a JSON array that another statement can select
# (the intake's placement statement, saving a round trip); :lon and :lat are its parameters.
NEAREST_SERVICES_JSON = """
    (SELECT coalesce(json_agg(json_build_object('kind', s.kind, 'name', s.name,
        'address', s.address, 'phone', s.phone, 'hours', s.hours, 'is_sample', s.is_sample,
        'distance_m', s.d) ORDER BY s.d, s.id), '[]'::json)
     FROM (SELECT sp.*, ST_Distance(CAST(sp.location AS geography),
                CAST(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS geography)) AS d
           FROM service_point AS sp
           WHERE sp.id IN (SELECT id FROM service_point
                           ORDER BY location <-> ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)
                           LIMIT 20)
           ORDER BY d, sp.id LIMIT 3) AS s)
"""


def services_from_json(items: list[dict]) -> list[dict]:
    """`NEAREST_SERVICES_JSON`'s items as `nearest_services` gives them."""
    return [
        {
            **item,
            "kind_label": kind_label(ServiceKind(item["kind"])),
            "distance_m": round_distance_m(item["distance_m"]),
        }
        for item in items
    ]


_REKEY = text(
    """
    UPDATE service_point AS s SET municipality_id = hit.municipality_id
    FROM service_point AS p
    LEFT JOIN LATERAL (
        SELECT m.municipality_id FROM mahalle AS m
        WHERE ST_Intersects(m.geom, p.location) ORDER BY m.id LIMIT 1
    ) AS hit ON true
    WHERE s.id = p.id AND s.municipality_id IS DISTINCT FROM hit.municipality_id
    """
)


def rekey_service_points(session: Session) -> None:
    """Give every service point the municipality of the mahalle holding it (NULL: none)."""
    session.execute(_REKEY)
